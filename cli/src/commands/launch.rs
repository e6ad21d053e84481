use std::{fmt, io::IsTerminal, path::PathBuf};

use anyhow::{bail, Result};
use clap::Args;
use microdrop_sdk::{
    microdrop::{
        instructions::CreateDropArgs,
        state::{Currency, Drop, DropStatus},
    },
    pda, Pubkey, TOKEN_PROGRAM_ID,
};
use serde::Serialize;

use crate::{
    args::GlobalArgs,
    cluster::Session,
    commands::status::DropView,
    config::{self, CurrencyConfig, DropConfig},
    output::{progress, sol},
};

#[derive(Args, Debug)]
pub struct LaunchArgs {
    /// The drop config.
    pub config: PathBuf,
}

#[derive(Serialize)]
pub struct Launched {
    pub cluster: String,
    pub drop: String,
    pub collection_mint: String,
    /// Whether this run created the drop (false: it already existed).
    pub created: bool,
    /// Whether this run moved the drop from draft to active.
    pub activated: bool,
    pub status: &'static str,
    pub signatures: Vec<String>,
    /// The drop as `status` shows it.
    pub details: DropView,
}

impl fmt::Display for Launched {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match (self.created, self.activated) {
            (true, _) => "created and activated",
            (false, true) => "already existed; activated",
            (false, false) => "already launched; nothing to do",
        };
        writeln!(f, "{} on {}: {what}", self.drop, self.cluster)?;
        for signature in &self.signatures {
            writeln!(f, "  signature {signature}")?;
        }
        write!(f, "\n{}", self.details)
    }
}

fn create_args(config: &DropConfig) -> CreateDropArgs {
    let d = &config.drop;
    CreateDropArgs {
        id: d.id.clone(),
        name: d.name.clone(),
        symbol: d.symbol.clone(),
        uri: d.uri.clone(),
        item_uri: d.item_uri.clone(),
        supply: d.supply,
        seller_fee_bps: d.seller_fee_bps,
    }
}

/// Fields of an existing drop that differ from the config, as `field: on-chain vs config`.
fn differences(drop: &Drop, args: &CreateDropArgs, currency: &Currency) -> Vec<String> {
    let mut out = Vec::new();
    let mut cmp = |field: &str, chain: String, config: String| {
        if chain != config {
            out.push(format!(
                "drop.{field}: on-chain {chain:?}, config {config:?}"
            ));
        }
    };
    cmp("name", drop.name.clone(), args.name.clone());
    cmp("symbol", drop.symbol.clone(), args.symbol.clone());
    cmp("uri", drop.uri.clone(), args.uri.clone());
    cmp("item_uri", drop.item_uri.clone(), args.item_uri.clone());
    cmp("supply", drop.supply.to_string(), args.supply.to_string());
    cmp(
        "currency",
        crate::commands::status::currency_name(&drop.currency),
        crate::commands::status::currency_name(currency),
    );
    cmp(
        "seller_fee_bps",
        drop.seller_fee_bps.to_string(),
        args.seller_fee_bps.to_string(),
    );
    out
}

pub async fn run(global: &GlobalArgs, args: &LaunchArgs) -> Result<()> {
    // Nothing is sent unless the whole config is valid.
    let config = config::load(&args.config)?;
    let session = Session::connect(global, true).await?;
    let result = launch(global, &session, &config).await;
    session.finish().await?;
    let launched = result?;
    crate::output::emit(global, &launched)?;
    Ok(())
}

async fn launch(global: &GlobalArgs, session: &Session, config: &DropConfig) -> Result<Launched> {
    let client = &session.client;
    let authority = client.payer();
    let args = create_args(config);
    let drop_address = pda::drop(&authority, &args.id).0;
    let currency_config: CurrencyConfig = config
        .drop
        .currency
        .parse()
        .map_err(|e: String| anyhow::anyhow!("drop.currency: {e}"))?;
    let currency = match currency_config {
        CurrencyConfig::Sol => Currency::Sol,
        CurrencyConfig::Spl(mint) => {
            check_mint(session, &mint).await?;
            Currency::Spl { mint }
        }
    };

    let mut signatures = Vec::new();
    let mut created = false;
    let drop = match client.find_drop(&drop_address).await? {
        Some(existing) => {
            let diff = differences(&existing, &args, &currency);
            if !diff.is_empty() {
                bail!(
                    "drop {drop_address} already exists with other settings, which cannot \
                     change after creation (use a new id): {}",
                    diff.join("; ")
                );
            }
            progress(global, format!("drop {drop_address} already exists"));
            existing
        }
        None => {
            let cost = client
                .launch_cost(matches!(currency, Currency::Spl { .. }))
                .await?;
            let balance = client.balance(&authority).await?;
            if balance < cost {
                bail!(
                    "insufficient funds: {authority} has {} SOL, launching needs about {} SOL",
                    sol(balance),
                    sol(cost)
                );
            }
            if session.is_real_cluster() {
                confirm(
                    global,
                    &format!(
                        "Launch drop {:?} at {drop_address} on {}?\n  creates: drop account, \
                         collection mint, metadata, master edition, token account\n  cost: \
                         about {} SOL (rent and fees) from {authority}",
                        args.id,
                        session.url,
                        sol(cost)
                    ),
                )?;
            }
            progress(global, format!("creating drop {drop_address}"));
            let currency_mint = match currency {
                Currency::Spl { mint } => Some(mint),
                Currency::Sol => None,
            };
            let (_, signature) = client.create_drop(args, currency_mint.as_ref()).await?;
            signatures.push(signature.to_string());
            created = true;
            client.drop(&drop_address).await?
        }
    };

    let mut activated = false;
    let drop = if drop.status == DropStatus::Draft {
        progress(global, "activating");
        let signature = client
            .set_drop_status(&drop_address, DropStatus::Active)
            .await?;
        signatures.push(signature.to_string());
        activated = true;
        client.drop(&drop_address).await?
    } else {
        drop
    };

    Ok(Launched {
        cluster: session.url.clone(),
        drop: drop_address.to_string(),
        collection_mint: drop.collection_mint.to_string(),
        created,
        activated,
        status: crate::commands::status::status_name(drop.status),
        signatures,
        details: DropView::new(&drop_address, &drop),
    })
}

async fn check_mint(session: &Session, mint: &Pubkey) -> Result<()> {
    let account = session.client.account(mint).await?;
    match account {
        Some(a) if a.owner == TOKEN_PROGRAM_ID && a.data.len() == 82 => Ok(()),
        Some(_) => bail!(
            "drop.currency: {mint} is not an SPL Token mint on {}",
            session.url
        ),
        None => bail!("drop.currency: no mint {mint} on {}", session.url),
    }
}

/// Asks on the terminal; without one, only `--yes` proceeds.
fn confirm(global: &GlobalArgs, summary: &str) -> Result<()> {
    if global.yes {
        return Ok(());
    }
    if !std::io::stdin().is_terminal() || !std::io::stderr().is_terminal() {
        bail!("{summary}\nrefusing to send without confirmation: pass --yes (no terminal to ask)");
    }
    eprint!("{summary}\nProceed? [y/N] ");
    let mut answer = String::new();
    std::io::stdin().read_line(&mut answer)?;
    if matches!(answer.trim(), "y" | "Y" | "yes") {
        Ok(())
    } else {
        bail!("cancelled; nothing was sent")
    }
}
