//! `microdrop watch`: a drop's events as JSON lines, optionally POSTed to a webhook.
//!
//! Events come from transaction history, so nothing needs to be running while they
//! happen: a watcher started later replays them. On the sandbox, history is read from the
//! state file without taking the sandbox's lock, so other commands run while it follows.
//! With `--cursor`, the id of each event is written once the event has been printed and
//! delivered, so a restarted watcher resumes after the last one handled: nothing is lost
//! and nothing repeated. Webhook deliveries are sequential and retried until the receiver
//! answers 2xx, which keeps them in chain order.

use std::{
    path::{Path, PathBuf},
    time::Duration,
};

use anyhow::{bail, Context, Result};
use clap::Args;
use hmac::{Hmac, Mac};
use microdrop_sdk::{
    rpc::RpcClientConfig,
    sandbox::{HistorySender, SANDBOX_URL},
    watch::{drop_events, Cursor, Start},
    Client, Keypair, RpcClient,
};
use sha2::Sha256;

use crate::{
    args::GlobalArgs,
    cluster::{read_keypair, Session},
    commands::status::resolve_drop,
    output::write_stdout,
};

#[derive(Args, Debug)]
pub struct WatchArgs {
    /// The drop: its address, or its drop.toml.
    pub drop: String,

    /// Replay from this transaction (its events included), or from `beginning` (the
    /// default). A cursor file that exists takes precedence.
    #[arg(long, value_name = "SIGNATURE|beginning")]
    pub from: Option<String>,

    /// Keep the id of the last event handled in this file, and resume after it.
    #[arg(long, value_name = "FILE")]
    pub cursor: Option<PathBuf>,

    /// Exit once caught up instead of following new events.
    #[arg(long)]
    pub no_follow: bool,

    /// POST each event, as its JSON document, to this URL.
    #[arg(long, value_name = "URL", requires = "secret")]
    pub webhook: Option<String>,

    /// Key for the `X-Microdrop-Signature: sha256=<hex HMAC-SHA256 of the body>` header.
    #[arg(
        long,
        value_name = "SECRET",
        requires = "webhook",
        env = "MICRODROP_WEBHOOK_SECRET",
        hide_env_values = true
    )]
    pub secret: Option<String>,

    /// Seconds between checks for new events while following.
    #[arg(long, default_value_t = 2.0, value_name = "SECONDS")]
    pub poll_interval: f64,
}

/// The signature header's value for `body`.
pub fn signature_header(secret: &str, body: &[u8]) -> String {
    let mut mac =
        Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes keys of any size");
    mac.update(body);
    let digest: [u8; 32] = mac.finalize().into_bytes().into();
    format!("sha256={}", microdrop_sdk::allowlist::hex(&digest))
}

/// A client for reading history. On the sandbox it reads the state file without the lock;
/// the wallet only matters for resolving a drop.toml to its authority's drop.
async fn history_client(global: &GlobalArgs) -> Result<Client> {
    let on_sandbox = Session::configured_url(global)? == SANDBOX_URL;
    if !on_sandbox {
        return Ok(Session::connect(global, false).await?.client);
    }
    let wallet = match &global.keypair {
        Some(path) => read_keypair(path)?,
        None => {
            let default = global.sandbox_dir.join("id.json");
            if default.exists() {
                read_keypair(&default)?
            } else {
                Keypair::new()
            }
        }
    };
    let rpc = RpcClient::new_sender(
        HistorySender::new(&global.sandbox_dir),
        RpcClientConfig::with_commitment(microdrop_sdk::CommitmentConfig::confirmed()),
    );
    Ok(Client::new(rpc, wallet))
}

fn read_cursor(path: &Path) -> Result<Option<Cursor>> {
    match std::fs::read_to_string(path) {
        Ok(text) if text.trim().is_empty() => Ok(None),
        Ok(text) => text
            .parse()
            .map(Some)
            .map_err(|e: String| anyhow::anyhow!("cursor file {}: {e}", path.display())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e).with_context(|| format!("reading {}", path.display())),
    }
}

fn write_cursor(path: &Path, cursor: &Cursor) -> Result<()> {
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, format!("{cursor}\n"))
        .and_then(|()| std::fs::rename(&tmp, path))
        .with_context(|| format!("writing cursor {}", path.display()))
}

/// POSTs `body` until the receiver answers 2xx, backing off between attempts.
async fn deliver(http: &reqwest::Client, url: &str, secret: &str, body: &str) -> Result<()> {
    let signature = signature_header(secret, body.as_bytes());
    let mut backoff = Duration::from_millis(200);
    loop {
        let sent = http
            .post(url)
            .header("Content-Type", "application/json")
            .header("X-Microdrop-Signature", &signature)
            .body(body.to_string())
            .send()
            .await;
        match sent {
            Ok(response) if response.status().is_success() => return Ok(()),
            Ok(response) => eprintln!(
                "webhook {url} answered {}; retrying in {backoff:?}",
                response.status()
            ),
            Err(e) => eprintln!("webhook {url} failed ({e}); retrying in {backoff:?}"),
        }
        tokio::time::sleep(backoff).await;
        backoff = (backoff * 2).min(Duration::from_secs(30));
    }
}

pub async fn run(global: &GlobalArgs, args: &WatchArgs) -> Result<()> {
    if !(args.poll_interval.is_finite() && args.poll_interval > 0.0) {
        bail!("--poll-interval must be a positive number of seconds");
    }
    let client = history_client(global).await?;
    let drop = resolve_drop(&args.drop, &client.payer())?;
    let mut start = match args.from.as_deref() {
        None | Some("beginning") => Start::Beginning,
        Some(signature) => Start::At(signature.parse().map_err(|_| {
            anyhow::anyhow!(
                "--from: {signature:?} is neither a transaction signature nor `beginning`"
            )
        })?),
    };
    if let Some(path) = &args.cursor {
        if let Some(cursor) = read_cursor(path)? {
            start = Start::After(cursor);
        }
    }
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()
        .context("building the webhook client")?;
    loop {
        for event in drop_events(&client, &drop, start).await? {
            let body = event.to_json().to_string();
            if let (Some(url), Some(secret)) = (&args.webhook, &args.secret) {
                deliver(&http, url, secret, &body).await?;
            }
            write_stdout(&body)?;
            if let Some(path) = &args.cursor {
                write_cursor(path, &event.cursor())?;
            }
            start = Start::After(event.cursor());
        }
        if args.no_follow {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_secs_f64(args.poll_interval)).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signs_like_the_documented_header() {
        // RFC 4231 test case 2.
        assert_eq!(
            signature_header("Jefe", b"what do ya want for nothing?"),
            "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }
}
