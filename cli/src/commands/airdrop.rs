//! `microdrop airdrop`: the creator mints items free to a list of wallets.
//!
//! Resumable by design: every recipient has an on-chain record per list, so rerunning the
//! same file after a failure or a kill sends only what is still missing.

use std::{fmt, path::PathBuf};

use anyhow::{Context, Result};
use clap::Args;
use microdrop_sdk::{airdrop::AirdropList, Client};
use serde::Serialize;

use crate::{args::GlobalArgs, cluster::Session, commands::status::resolve_drop};

#[derive(Args, Debug)]
pub struct AirdropArgs {
    /// The drop: its address, or its drop.toml.
    pub drop: String,
    /// CSV of `wallet[,quantity]` (quantity 1 when left out).
    #[arg(long)]
    pub to: PathBuf,
    /// The tier the items count toward (label or id); none by default.
    #[arg(long)]
    pub tier: Option<String>,
}

#[derive(Serialize)]
pub struct SentView {
    pub wallet: String,
    pub mints: Vec<String>,
}

#[derive(Serialize)]
pub struct Airdropped {
    pub drop: String,
    /// The list's hash, which names its records on-chain.
    pub list: String,
    /// Recipients that got items in this run.
    pub sent: Vec<SentView>,
    /// Recipients that already had their whole quantity.
    pub skipped: Vec<String>,
    pub signatures: Vec<String>,
}

impl fmt::Display for Airdropped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let items: usize = self.sent.iter().map(|s| s.mints.len()).sum();
        write!(
            f,
            "airdropped {items} item(s) to {} wallet(s) in {} transaction(s); {} already had theirs",
            self.sent.len(),
            self.signatures.len(),
            self.skipped.len()
        )?;
        for sent in &self.sent {
            write!(f, "\n  {} +{}", sent.wallet, sent.mints.len())?;
        }
        Ok(())
    }
}

pub async fn run(global: &GlobalArgs, args: &AirdropArgs) -> Result<()> {
    // The list is read and checked before any connection: a bad file sends nothing.
    let text = std::fs::read_to_string(&args.to)
        .with_context(|| format!("--to: cannot read {}", args.to.display()))?;
    let list = AirdropList::parse(&text)
        .map_err(|e| anyhow::anyhow!("--to {}: {e}", args.to.display()))?;
    let session = Session::connect(global, true).await?;
    let result = async {
        let client = &session.client;
        let address = resolve_drop(&args.drop, &client.payer())?;
        let tier_id = match &args.tier {
            Some(selector) => {
                let drop = client.drop(&address).await?;
                let tiers = client.tiers(&address, &drop).await?;
                Some(Client::find_tier(&tiers, selector)?.id)
            }
            None => None,
        };
        if session.is_real_cluster() {
            crate::commands::launch::confirm(
                global,
                &format!(
                    "Airdrop up to {} item(s) to {} wallet(s) from drop {address} on {}, paying their rent?",
                    list.total(),
                    list.entries.len(),
                    session.url
                ),
            )?;
        }
        let bar = crate::output::Progress::new(global, list.total(), "items airdropped");
        let outcome = client
            .airdrop(&address, &list, tier_id, &|done| bar.set(done))
            .await?;
        std::mem::drop(bar);
        anyhow::Ok(Airdropped {
            drop: address.to_string(),
            list: microdrop_sdk::allowlist::hex(&list.hash(tier_id)),
            sent: outcome
                .sent
                .iter()
                .map(|s| SentView {
                    wallet: s.wallet.to_string(),
                    mints: s.mints.iter().map(ToString::to_string).collect(),
                })
                .collect(),
            skipped: outcome.skipped.iter().map(ToString::to_string).collect(),
            signatures: outcome.signatures.iter().map(ToString::to_string).collect(),
        })
    }
    .await;
    session.finish().await?;
    crate::output::emit(global, &result?)?;
    Ok(())
}
