//! `microdrop refund`: a buyer's way out of a failed preorder.

use std::fmt;

use anyhow::Result;
use clap::Args;
use serde::Serialize;

use crate::{args::GlobalArgs, cluster::Session, commands::status::resolve_drop};

#[derive(Args, Debug)]
pub struct RefundArgs {
    /// The drop: its address, or its drop.toml.
    pub drop: String,
}

#[derive(Serialize)]
pub struct Refunded {
    pub drop: String,
    /// Paid back, in the currency's smallest units.
    pub refunded: u64,
    /// The burned items' mints.
    pub burned: Vec<String>,
    pub signatures: Vec<String>,
    /// Decimals of the currency, for reading `refunded`.
    pub currency_decimals: u32,
    #[serde(skip)]
    unit: crate::output::Unit,
}

impl fmt::Display for Refunded {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "burned {} item(s) of the failed preorder and got {} back",
            self.burned.len(),
            self.unit.show(self.refunded)
        )?;
        for mint in &self.burned {
            write!(f, "\n  {mint}")?;
        }
        Ok(())
    }
}

pub async fn run(global: &GlobalArgs, args: &RefundArgs) -> Result<()> {
    let session = Session::connect(global, true).await?;
    let result = async {
        let client = &session.client;
        let address = resolve_drop(&args.drop, &client.payer())?;
        let drop = client.drop(&address).await?;
        let unit = crate::output::currency_unit(client, &drop.currency).await?;
        if session.is_real_cluster() {
            crate::commands::launch::confirm(
                global,
                &format!(
                    "Burn every item of drop {address} that {} holds, for a refund, on {}?",
                    client.payer(),
                    session.url
                ),
            )?;
        }
        let outcome = client.refund(&address).await?;
        anyhow::Ok(Refunded {
            drop: address.to_string(),
            refunded: outcome.refunded,
            burned: outcome.burned.iter().map(ToString::to_string).collect(),
            signatures: outcome.signatures.iter().map(ToString::to_string).collect(),
            currency_decimals: unit.decimals,
            unit,
        })
    }
    .await;
    session.finish().await?;
    crate::output::emit(global, &result?)?;
    Ok(())
}
