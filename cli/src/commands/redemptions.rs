use std::fmt;

use anyhow::Result;
use clap::{Args, ValueEnum};
use microdrop_sdk::{
    allowlist::hex,
    microdrop::state::{Redemption, RedemptionStatus},
    Pubkey,
};
use serde::Serialize;

use crate::{args::GlobalArgs, cluster::Session, commands::status::resolve_drop};

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusFilter {
    Pending,
    Fulfilled,
}

#[derive(Args, Debug)]
pub struct RedemptionsArgs {
    /// The drop: its address, or its drop.toml.
    pub drop: String,
    /// Only redemptions with this status.
    #[arg(long, value_enum)]
    pub status: Option<StatusFilter>,
    /// Only this holder's redemptions.
    #[arg(long)]
    pub holder: Option<Pubkey>,
}

/// A redemption receipt as `redemptions` lists it.
#[derive(Serialize)]
pub struct RedemptionView {
    pub address: String,
    /// The benefit's id.
    pub benefit: u8,
    pub holder: String,
    pub burned: Vec<String>,
    pub status: &'static str,
    /// Hex of the creator's 32-byte reference, once fulfilled.
    pub reference: Option<String>,
    pub redeemed_at: String,
}

impl RedemptionView {
    pub fn new(address: &Pubkey, r: &Redemption) -> Self {
        let fulfilled = r.status == RedemptionStatus::Fulfilled;
        Self {
            address: address.to_string(),
            benefit: r.benefit_id,
            holder: r.holder.to_string(),
            burned: r.burned.iter().map(ToString::to_string).collect(),
            status: if fulfilled { "fulfilled" } else { "pending" },
            reference: fulfilled.then(|| hex(&r.reference)),
            redeemed_at: crate::commands::sandbox::format_time(r.redeemed_at),
        }
    }
}

#[derive(Serialize)]
pub struct Redemptions {
    pub drop: String,
    pub redemptions: Vec<RedemptionView>,
}

impl fmt::Display for Redemptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} redemption(s) of {}",
            self.redemptions.len(),
            self.drop
        )?;
        for r in &self.redemptions {
            write!(
                f,
                "\n  {} benefit {} by {} at {}: {} ({} burned)",
                r.address,
                r.benefit,
                r.holder,
                r.redeemed_at,
                r.status,
                r.burned.len()
            )?;
        }
        Ok(())
    }
}

pub async fn run(global: &GlobalArgs, args: &RedemptionsArgs) -> Result<()> {
    let session = Session::connect(global, false).await?;
    let result = async {
        let drop = resolve_drop(&args.drop, &session.client.payer())?;
        let status = args.status.map(|s| match s {
            StatusFilter::Pending => RedemptionStatus::Pending,
            StatusFilter::Fulfilled => RedemptionStatus::Fulfilled,
        });
        let found = session
            .client
            .redemptions(&drop, args.holder.as_ref(), status)
            .await?;
        anyhow::Ok(Redemptions {
            drop: drop.to_string(),
            redemptions: found
                .iter()
                .map(|(a, r)| RedemptionView::new(a, r))
                .collect(),
        })
    }
    .await;
    session.finish().await?;
    crate::output::emit(global, &result?)?;
    Ok(())
}
