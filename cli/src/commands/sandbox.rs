use std::fmt;

use anyhow::{bail, Context, Result};
use clap::Subcommand;
use microdrop_sdk::{sandbox::Sandbox, Pubkey};
use serde::Serialize;
use serde_json::{json, Value};

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
    /// Serve the sandbox as a JSON-RPC endpoint over HTTP until SIGINT or SIGTERM, then
    /// save it. Meanwhile `--url sandbox` commands on the same directory go through it.
    Serve {
        /// Address and port to listen on (port 0 picks a free one).
        #[arg(long, default_value = "127.0.0.1:8899")]
        bind: String,
        /// Allow --bind to an address other than loopback.
        #[arg(long)]
        allow_remote: bool,
    },
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
    if let Some(serving) = microdrop_sdk::sandbox::serving(dir) {
        return through_server(global, command, &serving).await;
    }
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
        SandboxCommand::Serve { bind, allow_remote } => {
            crate::commands::serve::run(global, bind, *allow_remote).await?;
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

/// A sandbox command while `sandbox serve` holds the directory: airdrops and warps go
/// through the server; a reset or a second server is refused.
async fn through_server(
    global: &GlobalArgs,
    command: &SandboxCommand,
    serving: &Value,
) -> Result<()> {
    let url = serving["rpc"].as_str().unwrap_or_default().to_string();
    let call = |method: &str, params: Value| {
        let url = url.clone();
        let body = json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params});
        async move {
            let answer: Value = reqwest::Client::new()
                .post(&url)
                .json(&body)
                .send()
                .await
                .with_context(|| format!("reaching the sandbox server at {url}"))?
                .json()
                .await?;
            match answer.get("error") {
                Some(error) => bail!(
                    "{}",
                    error["message"].as_str().unwrap_or("sandbox server error")
                ),
                None => Ok(answer["result"].clone()),
            }
        }
    };
    match command {
        SandboxCommand::Airdrop {
            pubkey,
            sol: amount,
        } => {
            let lamports = parse_units(amount, 9).map_err(anyhow::Error::msg)?;
            let signature = call("requestAirdrop", json!([pubkey.to_string(), lamports])).await?;
            let balance = call("getBalance", json!([pubkey.to_string()])).await?;
            crate::output::emit(
                global,
                &Airdropped {
                    recipient: pubkey.to_string(),
                    lamports,
                    balance: balance["value"].as_u64().unwrap_or_default(),
                    signature: signature.as_str().unwrap_or_default().to_string(),
                },
            )?;
            Ok(())
        }
        SandboxCommand::Warp { time } => {
            let target = parse_time(time)?;
            let warped = call("sandboxWarp", json!([target])).await?;
            let unix_time = warped["unixTime"].as_i64().unwrap_or(target);
            crate::output::emit(
                global,
                &Warped {
                    unix_time,
                    time: format_time(unix_time),
                },
            )?;
            Ok(())
        }
        SandboxCommand::Reset | SandboxCommand::Serve { .. } => bail!(
            "the sandbox in {} is being served at {url}; stop that server (Ctrl-C) first",
            global.sandbox_dir.display()
        ),
    }
}
