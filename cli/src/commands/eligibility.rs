use std::{collections::HashMap, fmt, path::PathBuf};

use anyhow::Result;
use clap::Args;
use microdrop_sdk::{allowlist::AllowList, eligibility::TierEligibility, Pubkey};
use serde::Serialize;

use crate::{args::GlobalArgs, cluster::Session, commands::status::DropRef};

#[derive(Args, Debug)]
pub struct EligibilityArgs {
    /// The drop: its address, or its drop.toml.
    pub drop: String,
    /// The wallet to check (default: the keypair's).
    #[arg(long)]
    pub wallet: Option<Pubkey>,
    /// Allow-list files of allow-listed tiers (for a drop.toml, the files `launch` wrote
    /// are used by default).
    #[arg(long = "allowlist")]
    pub allowlists: Vec<PathBuf>,
}

#[derive(Serialize)]
pub struct Eligibility {
    pub drop: String,
    pub wallet: String,
    /// The cluster time this answer is for.
    pub time: String,
    pub tiers: Vec<TierEligibility>,
    /// How the text shows prices.
    #[serde(skip)]
    pub unit: crate::output::Unit,
}

impl fmt::Display for Eligibility {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} on {} at {}", self.wallet, self.drop, self.time)?;
        for t in &self.tiers {
            match &t.reason {
                None => write!(
                    f,
                    "\n  {} {:<12} can mint {} now at {} each",
                    t.id,
                    t.label,
                    t.quantity,
                    self.unit.show(t.price)
                )?,
                Some(reason) => {
                    write!(f, "\n  {} {:<12} no: {}", t.id, t.label, reason.describe())?;
                    if matches!(reason, microdrop_sdk::eligibility::Reason::Upcoming) {
                        write!(
                            f,
                            " (opens {})",
                            crate::commands::sandbox::format_time(t.start)
                        )?;
                    }
                }
            }
        }
        Ok(())
    }
}

pub async fn run(global: &GlobalArgs, args: &EligibilityArgs) -> Result<()> {
    let session = Session::connect(global, false).await?;
    let result = eligibility(&session, args).await;
    session.finish().await?;
    crate::output::emit(global, &result?)?;
    Ok(())
}

async fn eligibility(session: &Session, args: &EligibilityArgs) -> Result<Eligibility> {
    let client = &session.client;
    let wallet = args.wallet.unwrap_or_else(|| client.payer());
    let drop_ref = DropRef::resolve(&args.drop, &client.payer())?;
    let address = drop_ref.address();
    let drop = client.drop(&address).await?;
    let tiers = client.tiers(&address, &drop).await?;
    let mut lists: HashMap<u8, AllowList> = HashMap::new();
    for path in &args.allowlists {
        let list = AllowList::load(path)?;
        let (list_drop, tier) = list.binding();
        anyhow::ensure!(
            list_drop == address,
            "{} is the allow list of another drop ({list_drop})",
            path.display()
        );
        lists.insert(tier, list);
    }
    for tier in &tiers {
        if tier.allowlist_root.is_some() && !lists.contains_key(&tier.id) {
            if let Some(path) = drop_ref.launched_allowlist(&tier.label) {
                lists.insert(tier.id, AllowList::load(&path)?);
            }
        }
    }
    let answers = client.eligibility(&address, &wallet, &lists).await?;
    Ok(Eligibility {
        drop: address.to_string(),
        wallet: wallet.to_string(),
        time: crate::commands::sandbox::format_time(client.cluster_time().await?),
        tiers: answers,
        unit: crate::output::currency_unit(client, &drop.currency).await?,
    })
}
