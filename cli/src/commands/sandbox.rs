use std::fmt;

use anyhow::{Context, Result};
use clap::Subcommand;
use microdrop_sdk::{sandbox::Sandbox, Pubkey};
use serde::Serialize;

use crate::{
    args::GlobalArgs,
    output::{parse_units, sol},
};

#[derive(Subcommand, Debug)]
pub enum SandboxCommand {
    /// Give SOL to an address from the sandbox's faucet.
    Airdrop {
        /// Recipient address.
        pubkey: Pubkey,
        /// Amount in SOL, e.g. 2 or 0.5.
        sol: String,
    },
    /// Move the sandbox clock forward to a time (RFC 3339, e.g. 2027-01-01T00:00:00Z, or unix seconds).
    Warp {
        /// Target time.
        time: String,
    },
    /// Delete the sandbox's chain state; its default keypair is kept and refunded.
    Reset,
}

#[derive(Serialize)]
pub struct Airdropped {
    pub recipient: String,
    pub lamports: u64,
    pub balance: u64,
    pub signature: String,
}

impl fmt::Display for Airdropped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "airdropped {} SOL to {}; balance {} SOL",
            sol(self.lamports),
            self.recipient,
            sol(self.balance)
        )
    }
}

#[derive(Serialize)]
pub struct Warped {
    pub unix_time: i64,
    pub time: String,
}

impl fmt::Display for Warped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "sandbox clock is now {} ({})", self.time, self.unix_time)
    }
}

#[derive(Serialize)]
pub struct WasReset {
    pub reset: bool,
    pub sandbox_dir: String,
}

impl fmt::Display for WasReset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "sandbox in {} reset", self.sandbox_dir)
    }
}

/// Parses RFC 3339 or unix seconds.
pub fn parse_time(text: &str) -> Result<i64> {
    if let Ok(unix) = text.parse::<i64>() {
        return Ok(unix);
    }
    let parsed = time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339)
        .with_context(|| {
            format!("{text:?} is not a time: use RFC 3339 (2027-01-01T00:00:00Z) or unix seconds")
        })?;
    Ok(parsed.unix_timestamp())
}

/// Formats unix seconds as RFC 3339 (UTC).
pub fn format_time(unix: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(unix)
        .ok()
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_else(|| unix.to_string())
}

pub async fn run(global: &GlobalArgs, command: &SandboxCommand) -> Result<()> {
    let dir = &global.sandbox_dir;
    match command {
        SandboxCommand::Airdrop {
            pubkey,
            sol: amount,
        } => {
            let lamports = parse_units(amount, 9).map_err(anyhow::Error::msg)?;
            let sandbox = Sandbox::open(dir).await?;
            let signature = sandbox.airdrop(pubkey, lamports).await;
            sandbox.save().await?;
            let signature = signature?;
            let client = microdrop_sdk::Client::new(
                sandbox.rpc_client(microdrop_sdk::CommitmentConfig::confirmed()),
                microdrop_sdk::Keypair::new(),
            );
            let balance = client.balance(pubkey).await?;
            crate::output::emit(
                global,
                &Airdropped {
                    recipient: pubkey.to_string(),
                    lamports,
                    balance,
                    signature: signature.to_string(),
                },
            )?;
        }
        SandboxCommand::Warp { time } => {
            let target = parse_time(time)?;
            let sandbox = Sandbox::open(dir).await?;
            sandbox.warp_to(target).await?;
            sandbox.save().await?;
            crate::output::emit(
                global,
                &Warped {
                    unix_time: sandbox.unix_time(),
                    time: format_time(sandbox.unix_time()),
                },
            )?;
        }
        SandboxCommand::Reset => {
            Sandbox::reset(dir)?;
            crate::output::emit(
                global,
                &WasReset {
                    reset: true,
                    sandbox_dir: dir.display().to_string(),
                },
            )?;
        }
    }
    Ok(())
}
