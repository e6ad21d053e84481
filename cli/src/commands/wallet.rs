use std::fmt;

use anyhow::Result;
use serde::Serialize;

use crate::{args::GlobalArgs, cluster::Session, output::sol};

/// The wallet commands sign with, where it is used, and its balance.
#[derive(Serialize)]
pub struct Wallet {
    pub address: String,
    pub cluster: String,
    /// Lamports.
    pub balance: u64,
}

impl fmt::Display for Wallet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} on {}: {} SOL",
            self.address,
            self.cluster,
            sol(self.balance)
        )
    }
}

pub async fn run(global: &GlobalArgs) -> Result<()> {
    let session = Session::connect(global, true).await?;
    let balance = session.client.balance(&session.client.payer()).await;
    session.finish().await?;
    crate::output::emit(
        global,
        &Wallet {
            address: session.client.payer().to_string(),
            cluster: session.url.clone(),
            balance: balance?,
        },
    )?;
    Ok(())
}
