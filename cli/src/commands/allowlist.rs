use std::{fmt, path::PathBuf};

use anyhow::{bail, Context, Result};
use clap::Subcommand;
use microdrop_sdk::{
    allowlist::{hex, parse_csv, AllowList},
    Client, Pubkey,
};
use serde::Serialize;

use crate::{
    args::GlobalArgs, cluster::Session, commands::status::DropRef, config::DEFAULT_ALLOWANCE,
};

#[derive(Subcommand, Debug)]
pub enum AllowlistCommand {
    /// Build a tier's allow list from a CSV of `wallet[,allowance]` and write its file.
    Build {
        /// CSV of `wallet[,allowance]` rows (a `wallet,allowance` header is allowed).
        csv: PathBuf,
        /// The drop: its address, or its drop.toml.
        #[arg(long)]
        drop: String,
        /// The tier's label or id.
        #[arg(long)]
        tier: String,
        /// Where to write the allow-list file (JSON).
        #[arg(long)]
        out: PathBuf,
        /// Allowance of rows that give none.
        #[arg(long, default_value_t = DEFAULT_ALLOWANCE)]
        default_allowance: u32,
    },
    /// Print a wallet's allowance and Merkle proof from an allow-list file.
    Proof {
        /// The allow-list file.
        file: PathBuf,
        /// The wallet.
        wallet: Pubkey,
    },
}

#[derive(Serialize)]
pub struct Built {
    pub file: String,
    pub drop: String,
    pub tier: u8,
    pub root: String,
    pub wallets: usize,
    pub depth: usize,
}

impl fmt::Display for Built {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "wrote {} ({} wallets, proofs of at most {} hashes)\nroot {}",
            self.file, self.wallets, self.depth, self.root
        )
    }
}

#[derive(Serialize)]
pub struct Proof {
    pub wallet: String,
    pub drop: String,
    pub tier: u8,
    pub allowance: u32,
    pub root: String,
    pub proof: Vec<String>,
}

impl fmt::Display for Proof {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} may mint {} from tier {} of {}\nroot  {}",
            self.wallet, self.allowance, self.tier, self.drop, self.root
        )?;
        for hash in &self.proof {
            write!(f, "\nproof {hash}")?;
        }
        Ok(())
    }
}

pub async fn run(global: &GlobalArgs, command: &AllowlistCommand) -> Result<()> {
    match command {
        AllowlistCommand::Build {
            csv,
            drop,
            tier,
            out,
            default_allowance,
        } => {
            let text = std::fs::read_to_string(csv)
                .with_context(|| format!("reading {}", csv.display()))?;
            let entries = parse_csv(&text, *default_allowance).map_err(|rows| {
                anyhow::anyhow!("{} has bad rows: {}", csv.display(), rows.join("; "))
            })?;
            if entries.is_empty() {
                bail!("{} lists no wallet", csv.display());
            }
            let (drop_address, tier_id) = resolve_tier(global, drop, tier).await?;
            let list = AllowList::new(drop_address, tier_id, entries)?;
            list.save(out)?;
            crate::output::emit(
                global,
                &Built {
                    file: out.display().to_string(),
                    drop: drop_address.to_string(),
                    tier: tier_id,
                    root: hex(&list.root()),
                    wallets: list.len(),
                    depth: list.depth(),
                },
            )?;
        }
        AllowlistCommand::Proof { file, wallet } => {
            let list = AllowList::load(file)?;
            let (drop, tier) = list.binding();
            let (allowance, proof) = list
                .proof(wallet)
                .with_context(|| format!("{wallet} is not on the allow list {}", file.display()))?;
            crate::output::emit(
                global,
                &Proof {
                    wallet: wallet.to_string(),
                    drop: drop.to_string(),
                    tier,
                    allowance,
                    root: hex(&list.root()),
                    proof: proof.iter().map(hex).collect(),
                },
            )?;
        }
    }
    Ok(())
}

/// The drop address and tier id: offline from a drop.toml or a numeric id, otherwise by
/// reading the drop's tiers from the cluster.
pub async fn resolve_tier(global: &GlobalArgs, drop: &str, tier: &str) -> Result<(Pubkey, u8)> {
    let needs_chain = drop.parse::<Pubkey>().is_ok() && tier.parse::<u8>().is_err();
    if !needs_chain {
        let authority = if drop.parse::<Pubkey>().is_ok() {
            Pubkey::default()
        } else {
            crate::cluster::Session::connect(global, false)
                .await?
                .client
                .payer()
        };
        let drop_ref = DropRef::resolve(drop, &authority)?;
        let id = match &drop_ref {
            DropRef::Config { config, .. } => config
                .find_tier(tier)
                .map(|(id, _)| id)
                .with_context(|| format!("no tier {tier:?} in the drop.toml"))?,
            DropRef::Address(_) => tier.parse()?,
        };
        return Ok((drop_ref.address(), id));
    }
    let session = Session::connect(global, false).await?;
    let address: Pubkey = drop.parse()?;
    let state = session.client.drop(&address).await?;
    let tiers = session.client.tiers(&address, &state).await?;
    let id = Client::find_tier(&tiers, tier)?.id;
    session.finish().await?;
    Ok((address, id))
}
