use std::fmt;

use anyhow::{bail, Result};
use clap::Args;
use microdrop_sdk::microdrop::state::DropStatus;
use serde::Serialize;

use crate::{args::GlobalArgs, cluster::Session, commands::status::resolve_drop, output::sol};

#[derive(Args, Debug)]
pub struct ReclaimArgs {
    /// The drop: its address, or its drop.toml.
    pub drop: String,
}

#[derive(Serialize)]
pub struct Reclaimed {
    pub drop: String,
    pub wallet: String,
    /// Records closed (wallet records and spent voucher records).
    pub closed: usize,
    /// Rent they held, now back in the wallet (lamports).
    pub reclaimed: u64,
    pub signatures: Vec<String>,
}

impl fmt::Display for Reclaimed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "closed {} record(s) of {} in {}: {} SOL back",
            self.closed,
            self.wallet,
            self.drop,
            sol(self.reclaimed)
        )
    }
}

pub async fn run(global: &GlobalArgs, args: &ReclaimArgs) -> Result<()> {
    let session = Session::connect(global, true).await?;
    let result = async {
        let client = &session.client;
        let drop = resolve_drop(&args.drop, &client.payer())?;
        if client.drop(&drop).await?.status != DropStatus::Closed {
            bail!("drop {drop} is not closed yet; records can be closed once it is");
        }
        let (ixs, rent) = client.reclaimable(&drop).await?;
        let closed = ixs.len();
        let signatures = client.send_packed(ixs).await?;
        anyhow::Ok(Reclaimed {
            drop: drop.to_string(),
            wallet: client.payer().to_string(),
            closed,
            reclaimed: rent,
            signatures: signatures.iter().map(ToString::to_string).collect(),
        })
    }
    .await;
    session.finish().await?;
    crate::output::emit(global, &result?)?;
    Ok(())
}
