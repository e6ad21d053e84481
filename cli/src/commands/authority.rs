//! `authority transfer` and `authority accept`: a drop changes hands in two steps, so a
//! mistyped key loses nothing and a multisig vault can accept by its own transaction.

use std::fmt;

use anyhow::Result;
use clap::Subcommand;
use microdrop_sdk::Pubkey;
use serde::Serialize;

use crate::{args::GlobalArgs, cluster::Session, commands::status::resolve_drop};

#[derive(Subcommand, Debug)]
pub enum AuthorityCommand {
    /// Offer the drop to NEW_AUTHORITY (signed by the current authority); it changes
    /// hands when that key runs `authority accept`. The default address
    /// (11111111111111111111111111111111) withdraws an offer.
    Transfer {
        /// The drop: its address, or its drop.toml.
        drop: String,
        /// The wallet (or multisig vault) to hand the drop to.
        new_authority: Pubkey,
    },
    /// Accept a drop offered to the signing keypair, which becomes its authority.
    Accept {
        /// The drop: its address, or its drop.toml (which names its creator).
        drop: String,
    },
}

/// The drop's authority after the command.
#[derive(Serialize)]
pub struct AuthorityChanged {
    pub drop: String,
    pub authority: String,
    /// The key the drop is offered to, until it accepts; null when none.
    pub pending_authority: Option<String>,
    pub signature: String,
}

impl fmt::Display for AuthorityChanged {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.pending_authority {
            Some(pending) => write!(
                f,
                "{} is offered to {pending}; {} stays its authority until {pending} runs \
                 `microdrop authority accept` ({})",
                self.drop, self.authority, self.signature
            ),
            None => write!(
                f,
                "{}'s authority is {} ({})",
                self.drop, self.authority, self.signature
            ),
        }
    }
}

pub async fn run(global: &GlobalArgs, command: &AuthorityCommand) -> Result<()> {
    let session = Session::connect(global, true).await?;
    let result = async {
        let client = &session.client;
        let (drop, signature) = match command {
            AuthorityCommand::Transfer {
                drop,
                new_authority,
            } => {
                let drop = resolve_drop(drop, &client.payer())?;
                if session.is_real_cluster() {
                    crate::commands::launch::confirm(
                        global,
                        &format!("Offer drop {drop} to {new_authority} on {}?", session.url),
                    )?;
                }
                (drop, client.transfer_authority(&drop, new_authority).await?)
            }
            AuthorityCommand::Accept { drop } => {
                let drop = resolve_drop(drop, &client.payer())?;
                (drop, client.accept_authority(&drop).await?)
            }
        };
        let state = client.drop(&drop).await?;
        anyhow::Ok(AuthorityChanged {
            drop: drop.to_string(),
            authority: state.authority.to_string(),
            pending_authority: (state.pending_authority != Pubkey::default())
                .then(|| state.pending_authority.to_string()),
            signature: signature.to_string(),
        })
    }
    .await;
    session.finish().await?;
    crate::output::emit(global, &result?)?;
    Ok(())
}
