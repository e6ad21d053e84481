use std::fmt;

use anyhow::Result;
use clap::Args;
use serde::Serialize;

use crate::{args::GlobalArgs, cluster::Session, commands::status::resolve_drop};

#[derive(Args, Debug)]
pub struct DistributeArgs {
    /// The drop: its address, or its drop.toml.
    pub drop: String,
}

#[derive(Serialize)]
pub struct PayoutView {
    pub recipient: String,
    /// Smallest units of `currency`.
    pub amount: u64,
}

#[derive(Serialize)]
pub struct Distribution {
    /// "SOL" or the currency mint.
    pub currency: String,
    pub payouts: Vec<PayoutView>,
    /// Left in the vault (rounding dust) for the next distribution.
    pub undistributed: u64,
    pub signature: String,
    /// How the text shows this asset's amounts.
    #[serde(skip)]
    pub unit: crate::output::Unit,
}

#[derive(Serialize)]
pub struct Distributed {
    pub drop: String,
    /// Payouts in the drop's currency.
    pub payouts: Vec<PayoutView>,
    /// Every distribution sent: the drop's currency (for an SPL drop its tokens, then its
    /// SOL royalties), then any other token the vault held.
    pub distributions: Vec<Distribution>,
    pub signatures: Vec<String>,
}

impl fmt::Display for Distributed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "distributed the vault of {}", self.drop)?;
        for d in &self.distributions {
            write!(
                f,
                "\n  {} ({} left in the vault):",
                d.unit.label,
                d.unit.show(d.undistributed)
            )?;
            for p in &d.payouts {
                write!(f, "\n    {} {}", p.recipient, d.unit.show(p.amount))?;
            }
        }
        Ok(())
    }
}

pub async fn run(global: &GlobalArgs, args: &DistributeArgs) -> Result<()> {
    let session = Session::connect(global, true).await?;
    let result = async {
        let drop = resolve_drop(&args.drop, &session.client.payer())?;
        let outcomes = session.client.distribute(&drop).await?;
        let mut distributions = Vec::with_capacity(outcomes.len());
        for o in outcomes {
            distributions.push(Distribution {
                currency: o
                    .currency_mint
                    .map_or_else(|| "SOL".to_string(), |m| m.to_string()),
                payouts: o
                    .payouts
                    .iter()
                    .map(|p| PayoutView {
                        recipient: p.recipient.to_string(),
                        amount: p.amount,
                    })
                    .collect(),
                undistributed: o.undistributed,
                signature: o.signature.to_string(),
                unit: crate::output::unit_of(&session.client, o.currency_mint.as_ref()).await?,
            });
        }
        // The SDK returns the drop's currency first.
        let payouts = distributions[0]
            .payouts
            .iter()
            .map(|p| PayoutView {
                recipient: p.recipient.clone(),
                amount: p.amount,
            })
            .collect();
        anyhow::Ok(Distributed {
            drop: drop.to_string(),
            payouts,
            signatures: distributions.iter().map(|d| d.signature.clone()).collect(),
            distributions,
        })
    }
    .await;
    session.finish().await?;
    crate::output::emit(global, &result?)?;
    Ok(())
}
