//! `pause`, `resume` and `close`: the authority moves its drop through its life.

use std::fmt;

use anyhow::Result;
use clap::Args;
use microdrop_sdk::microdrop::state::DropStatus;
use serde::Serialize;

use crate::{args::GlobalArgs, cluster::Session, commands::status::resolve_drop};

#[derive(Args, Debug)]
pub struct LifecycleArgs {
    /// The drop: its address, or its drop.toml.
    pub drop: String,
}

#[derive(Serialize)]
pub struct StatusChanged {
    pub drop: String,
    pub status: &'static str,
    pub signature: String,
}

impl fmt::Display for StatusChanged {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} is now {} ({})",
            self.drop, self.status, self.signature
        )
    }
}

pub async fn run(global: &GlobalArgs, args: &LifecycleArgs, status: DropStatus) -> Result<()> {
    let session = Session::connect(global, true).await?;
    let result = async {
        let drop = resolve_drop(&args.drop, &session.client.payer())?;
        if session.is_real_cluster() && status == DropStatus::Closed {
            crate::commands::launch::confirm(
                global,
                &format!("Close drop {drop} on {}? Closing is final.", session.url),
            )?;
        }
        let signature = session.client.set_drop_status(&drop, status).await?;
        anyhow::Ok(StatusChanged {
            drop: drop.to_string(),
            status: crate::commands::status::status_name(status),
            signature: signature.to_string(),
        })
    }
    .await;
    session.finish().await?;
    crate::output::emit(global, &result?)?;
    Ok(())
}
