//! `items`: every item a drop has minted, and the hash list marketplaces take.

use std::{fmt, path::PathBuf};

use anyhow::{Context, Result};
use clap::Args;
use serde::Serialize;

use crate::{args::GlobalArgs, cluster::Session, commands::status::resolve_drop};

#[derive(Args, Debug)]
pub struct ItemsArgs {
    /// The drop: its address, or its drop.toml.
    pub drop: String,
    /// Also write the hash list: a JSON array of the mint addresses of the items not
    /// burned, as marketplaces take it.
    #[arg(long, value_name = "FILE")]
    pub hash_list: Option<PathBuf>,
}

/// One item.
#[derive(Serialize)]
pub struct ItemView {
    pub index: u64,
    pub mint: String,
    /// Who holds it; null once burned.
    pub owner: Option<String>,
    /// The id of the tier that sold it.
    pub tier: Option<u8>,
    pub burned: bool,
}

#[derive(Serialize)]
pub struct Items {
    pub drop: String,
    pub items: Vec<ItemView>,
    /// Where the hash list was written, when asked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hash_list: Option<String>,
}

impl fmt::Display for Items {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let burned = self.items.iter().filter(|i| i.burned).count();
        write!(
            f,
            "{} item(s) of {} ({burned} burned)",
            self.items.len(),
            self.drop
        )?;
        for item in &self.items {
            let tier = item.tier.map_or_else(|| "-".to_string(), |t| t.to_string());
            let holder = match (&item.owner, item.burned) {
                (_, true) => "burned",
                (Some(owner), false) => owner.as_str(),
                (None, false) => "(nobody)",
            };
            write!(
                f,
                "\n  #{:<6} {}  tier {tier}  {holder}",
                item.index, item.mint
            )?;
        }
        if let Some(path) = &self.hash_list {
            write!(f, "\nhash list written to {path}")?;
        }
        Ok(())
    }
}

pub async fn run(global: &GlobalArgs, args: &ItemsArgs) -> Result<()> {
    let session = Session::connect(global, false).await?;
    let result = async {
        let drop = resolve_drop(&args.drop, &session.client.payer())?;
        let records = session.client.items(&drop).await?;
        if let Some(path) = &args.hash_list {
            let mints: Vec<String> = records
                .iter()
                .filter(|r| !r.burned)
                .map(|r| r.mint.to_string())
                .collect();
            let text = serde_json::to_string_pretty(&mints)?;
            std::fs::write(path, text + "\n")
                .with_context(|| format!("writing the hash list to {}", path.display()))?;
        }
        anyhow::Ok(Items {
            drop: drop.to_string(),
            items: records
                .iter()
                .map(|r| ItemView {
                    index: r.index,
                    mint: r.mint.to_string(),
                    owner: r.owner.map(|o| o.to_string()),
                    tier: r.tier,
                    burned: r.burned,
                })
                .collect(),
            hash_list: args.hash_list.as_ref().map(|p| p.display().to_string()),
        })
    }
    .await;
    session.finish().await?;
    crate::output::emit(global, &result?)?;
    Ok(())
}
