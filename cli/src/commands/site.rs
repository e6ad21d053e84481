//! `microdrop site`: writes the drop's mint page, a static site a creator hosts anywhere.
//!
//! The page is `web/site`, built by Vite into `cli/assets/site` and compiled into this
//! binary. Beside it go `config.json` (the drop, the RPC endpoint the page reads and the
//! priority fee its transactions carry: `--priority-fee`, else `auto`) and,
//! for a drop.toml, each allow-listed tier's list, from which the page takes a wallet's
//! proof.

use std::{
    fmt,
    path::{Path, PathBuf},
};

use anyhow::{bail, Context, Result};
use clap::Args;
use include_dir::{include_dir, Dir};
use serde::Serialize;
use serde_json::json;

use microdrop_sdk::client::PriorityFee;

use crate::{args::GlobalArgs, cluster::Session, commands::status::DropRef};

/// The built mint page.
pub static SITE: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/assets/site");

#[derive(Args, Debug)]
pub struct SiteArgs {
    /// The drop: its address, or its drop.toml (whose allow lists the site then carries).
    pub drop: String,
    /// Where to write the site (created; an empty directory or an earlier site's).
    #[arg(long)]
    pub out: PathBuf,
    /// The RPC endpoint the page reads and sends through (default: the cluster's URL, or
    /// the served sandbox's).
    #[arg(long)]
    pub rpc: Option<String>,
}

#[derive(Serialize)]
pub struct Written {
    pub drop: String,
    pub out: String,
    pub rpc: String,
    /// The page's priority fee: `auto`, `none` or micro-lamports per compute unit.
    pub priority_fee: String,
    /// Files written, relative to `out`.
    pub files: Vec<String>,
}

impl fmt::Display for Written {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "wrote the mint page of {} to {} ({} files), reading {}; host the directory \
             anywhere",
            self.drop,
            self.out,
            self.files.len(),
            self.rpc
        )
    }
}

/// Writes `dir`'s files under `out`, adding their relative paths to `files`.
pub fn write_dir(dir: &Dir<'_>, out: &Path, files: &mut Vec<String>) -> Result<()> {
    for file in dir.files() {
        let path = out.join(file.path());
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("creating {}", parent.display()))?;
        }
        std::fs::write(&path, file.contents())
            .with_context(|| format!("writing {}", path.display()))?;
        files.push(file.path().display().to_string());
    }
    for sub in dir.dirs() {
        write_dir(sub, out, files)?;
    }
    Ok(())
}

/// `out` may take a site: missing, empty, or an earlier site (it has `config.json`).
fn check_out(out: &Path) -> Result<()> {
    match std::fs::read_dir(out) {
        Err(_) => Ok(()),
        Ok(mut entries) => {
            if entries.next().is_none() || out.join("config.json").exists() {
                Ok(())
            } else {
                bail!(
                    "--out {}: the directory holds other files; give an empty directory or an \
                     earlier site's",
                    out.display()
                )
            }
        }
    }
}

pub async fn run(global: &GlobalArgs, args: &SiteArgs) -> Result<()> {
    check_out(&args.out)?;
    let session = Session::connect(global, false).await?;
    let result = write_site(global, &session, args).await;
    session.finish().await?;
    crate::output::emit(global, &result?)?;
    Ok(())
}

async fn write_site(global: &GlobalArgs, session: &Session, args: &SiteArgs) -> Result<Written> {
    let client = &session.client;
    let drop = DropRef::resolve(&args.drop, &client.payer())?;
    let address = drop.address();
    // The drop must exist where the page will look.
    client
        .find_drop(&address)
        .await?
        .with_context(|| format!("no drop {address} on {}", session.url))?;
    let rpc = match (&args.rpc, session.sandbox.is_some()) {
        (Some(url), _) => url.clone(),
        (None, false) => session.url.clone(),
        (None, true) => bail!(
            "the sandbox is not served, so no browser can reach it: run `microdrop sandbox \
             serve` first, or pass --rpc URL"
        ),
    };
    // Allow lists travel with a drop.toml: each listed tier's wallets and allowances.
    let mut lists = Vec::new();
    if let DropRef::Config { path, config, .. } = &drop {
        let dir = path.parent().unwrap_or(Path::new("."));
        let tiers = config
            .resolve_tiers(dir, 9)
            .map_err(|problems| anyhow::anyhow!("{}", problems[0]))?;
        for tier in tiers {
            if let Some(entries) = tier.allowlist {
                let entries: Vec<_> = entries
                    .iter()
                    .map(|(wallet, allowance)| {
                        json!({ "wallet": wallet.to_string(), "allowance": allowance })
                    })
                    .collect();
                lists.push((tier.id, json!({ "tier": tier.id, "entries": entries })));
            }
        }
    }

    let mut files = Vec::new();
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("creating {}", args.out.display()))?;
    write_dir(&SITE, &args.out, &mut files)?;
    let mut allowlists = serde_json::Map::new();
    for (id, list) in lists {
        let name = format!("allowlist-{id}.json");
        std::fs::write(args.out.join(&name), serde_json::to_vec(&list)?)?;
        allowlists.insert(id.to_string(), json!(name));
        files.push(name);
    }
    // Visitors' transactions: the creator's --priority-fee, else what recent slots
    // charged to write the same accounts (the page sizes the compute limit itself).
    let priority_fee = match global.priority_fee {
        None | Some(PriorityFee::Auto) => "auto".to_string(),
        Some(PriorityFee::None) => "none".to_string(),
        Some(PriorityFee::MicroLamports(price)) => price.to_string(),
    };
    let config = json!({
        "drop": address.to_string(),
        "rpc": rpc,
        "allowlists": allowlists,
        "priority_fee": priority_fee,
    });
    std::fs::write(
        args.out.join("config.json"),
        serde_json::to_vec_pretty(&config)?,
    )?;
    files.push("config.json".into());
    Ok(Written {
        drop: address.to_string(),
        out: args.out.display().to_string(),
        rpc,
        priority_fee,
        files,
    })
}
