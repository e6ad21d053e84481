//! Which cluster, which wallet, which commitment: flags first, then the Solana CLI config
//! file, then defaults (the sandbox and its own wallet).

use std::{
    path::{Path, PathBuf},
    sync::Arc,
    time::Duration,
};

use anyhow::{bail, Context, Result};
use microdrop_sdk::{
    client::SendOptions,
    rpc::{HttpSender, RpcClientConfig, RpcSender},
    sandbox::{Sandbox, SANDBOX_URL},
    transport::{Faults, Faulty, Resilient, RetryPolicy, FAULTS_ENV},
    Client, CommitmentConfig, Keypair, RpcClient,
};

use crate::args::{Commitment, GlobalArgs};

/// Settings read from the Solana CLI config file (`~/.config/solana/cli/config.yml`).
#[derive(Debug, Default, PartialEq, Eq)]
pub struct SolanaConfig {
    pub json_rpc_url: Option<String>,
    pub keypair_path: Option<String>,
    pub commitment: Option<String>,
}

impl SolanaConfig {
    /// Reads the file if it exists. The format is flat YAML `key: value` lines.
    pub fn read(path: &Path) -> Result<Option<Self>> {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e).with_context(|| format!("reading {}", path.display())),
        };
        Ok(Some(Self::parse(&text)))
    }

    pub fn parse(text: &str) -> Self {
        let mut config = Self::default();
        for line in text.lines() {
            let Some((key, value)) = line.split_once(':') else {
                continue;
            };
            let value = value
                .trim()
                .trim_matches(|c| c == '"' || c == '\'')
                .to_string();
            if value.is_empty() {
                continue;
            }
            match key.trim() {
                "json_rpc_url" => config.json_rpc_url = Some(value),
                "keypair_path" => config.keypair_path = Some(value),
                "commitment" => config.commitment = Some(value),
                _ => {}
            }
        }
        config
    }
}

fn home() -> Option<PathBuf> {
    std::env::var_os("HOME").map(PathBuf::from)
}

/// Expands a cluster moniker to its URL; anything else is taken as a URL.
pub fn resolve_url(url: &str) -> Result<String> {
    Ok(match url {
        "m" | "mainnet-beta" | "mainnet" => "https://api.mainnet-beta.solana.com".into(),
        "d" | "devnet" => "https://api.devnet.solana.com".into(),
        "t" | "testnet" => "https://api.testnet.solana.com".into(),
        "l" | "localhost" => "http://localhost:8899".into(),
        SANDBOX_URL => SANDBOX_URL.into(),
        other if other.starts_with("http://") || other.starts_with("https://") => other.into(),
        other => bail!(
            "unknown cluster {other:?}: use a http(s) URL or one of mainnet-beta, devnet, \
             testnet, localhost, sandbox (m, d, t, l)"
        ),
    })
}

/// Where commands send and read.
pub struct Session {
    pub client: Client,
    /// The embedded sandbox, when the cluster is the sandbox.
    pub sandbox: Option<Sandbox>,
    /// The resolved URL, or `sandbox`.
    pub url: String,
    /// Whether this is the sandbox served by `microdrop sandbox serve`, reached over HTTP.
    pub served: bool,
}

impl Session {
    /// Whether transactions cost real money here.
    pub fn is_real_cluster(&self) -> bool {
        self.sandbox.is_none() && !self.served
    }

    /// The Solana CLI config the flags point at, or the default one; empty when absent.
    fn solana_config(global: &GlobalArgs) -> Result<SolanaConfig> {
        Ok(match &global.solana_config {
            Some(path) => Some(
                SolanaConfig::read(path)?
                    .with_context(|| format!("Solana CLI config {} not found", path.display()))?,
            ),
            None => match home() {
                Some(home) => SolanaConfig::read(&home.join(".config/solana/cli/config.yml"))?,
                None => None,
            },
        }
        .unwrap_or_default())
    }

    /// The cluster URL the flags and the Solana CLI config select (`sandbox` for the
    /// sandbox).
    pub fn configured_url(global: &GlobalArgs) -> Result<String> {
        Self::url_from(global, &Self::solana_config(global)?)
    }

    fn url_from(global: &GlobalArgs, solana_config: &SolanaConfig) -> Result<String> {
        match &global.url {
            Some(url) => resolve_url(url),
            None => match &solana_config.json_rpc_url {
                Some(url) => resolve_url(url),
                None => Ok(SANDBOX_URL.to_string()),
            },
        }
    }

    /// Connects as the global flags say. `signer` is false for read-only commands, which
    /// then work without any keypair file.
    pub async fn connect(global: &GlobalArgs, signer: bool) -> Result<Self> {
        let solana_config = Self::solana_config(global)?;
        let url = Self::url_from(global, &solana_config)?;
        let commitment = match global.commitment {
            Some(c) => c,
            None => match solana_config.commitment.as_deref() {
                Some("processed") => Commitment::Processed,
                Some("finalized") => Commitment::Finalized,
                _ => Commitment::Confirmed,
            },
        };
        let commitment = commitment_config(commitment);

        // A server holding the sandbox: go through it, so that nothing is written twice.
        let served = (url == SANDBOX_URL)
            .then(|| microdrop_sdk::sandbox::serving(&global.sandbox_dir))
            .flatten()
            .and_then(|serving| serving["rpc"].as_str().map(str::to_string));
        if let Some(server) = served {
            let payer = match &global.keypair {
                Some(path) => read_keypair(path)?,
                None => microdrop_sdk::sandbox::default_keypair_in(&global.sandbox_dir)?,
            };
            let rpc = rpc_client(
                HttpSender::new(server.clone()),
                global,
                commitment,
                SANDBOX_RETRIES,
            );
            let options = SendOptions {
                poll_interval: Duration::from_millis(20),
                ..send_options(global)
            };
            return Ok(Self {
                client: Client::new(rpc, payer).with_send_options(options),
                sandbox: None,
                url: server,
                served: true,
            });
        }
        if url == SANDBOX_URL {
            let sandbox = Sandbox::open(&global.sandbox_dir).await.with_context(|| {
                format!("opening the sandbox in {}", global.sandbox_dir.display())
            })?;
            let payer = match &global.keypair {
                Some(path) => read_keypair(path)?,
                None => sandbox.default_keypair()?,
            };
            let sender = sandbox.sender();
            let rpc = match Faults::from_env().map_err(anyhow::Error::msg)? {
                Some(faults) => {
                    let persister = sandbox.persister();
                    let kill_after = faults.kill_after;
                    let faulty = Faulty::new(sender, faults).on_kill(Arc::new(move || {
                        let persister = persister.clone();
                        Box::pin(async move {
                            // The chain keeps what landed; the process dies before hearing.
                            let _ = persister.save().await;
                            eprintln!(
                                "{FAULTS_ENV}: killed after {} landed transaction(s)",
                                kill_after.unwrap_or_default()
                            );
                            std::process::exit(KILLED_EXIT_CODE);
                        })
                    }));
                    rpc_client(faulty, global, commitment, SANDBOX_RETRIES)
                }
                None => rpc_client(sender, global, commitment, SANDBOX_RETRIES),
            };
            // The sandbox answers at once: poll it often.
            let options = SendOptions {
                poll_interval: Duration::from_millis(20),
                ..send_options(global)
            };
            let client = Client::new(rpc, payer).with_send_options(options);
            return Ok(Self {
                client,
                sandbox: Some(sandbox),
                url,
                served: false,
            });
        }

        if std::env::var_os(FAULTS_ENV).is_some_and(|v| !v.is_empty()) {
            bail!("{FAULTS_ENV} injects faults into the sandbox only; unset it to use {url}");
        }
        let keypair_path = global
            .keypair
            .clone()
            .or_else(|| solana_config.keypair_path.as_ref().map(PathBuf::from))
            .or_else(|| home().map(|h| h.join(".config/solana/id.json")));
        let payer = match keypair_path {
            Some(path) if signer || path.exists() => read_keypair(&path)?,
            // Read-only commands never sign: a throwaway key stands in.
            _ if !signer => Keypair::new(),
            _ => {
                bail!("no keypair: pass -k/--keypair or set keypair_path in the Solana CLI config")
            }
        };
        let rpc = rpc_client(
            HttpSender::new(url.clone()),
            global,
            commitment,
            RetryPolicy::default(),
        );
        Ok(Self {
            client: Client::new(rpc, payer).with_send_options(send_options(global)),
            sandbox: None,
            url,
            served: false,
        })
    }

    /// Persists the sandbox's state (a no-op on real clusters). Called whether the command
    /// succeeded or not: whatever landed on the chain is part of its history.
    pub async fn finish(&self) -> Result<()> {
        if let Some(sandbox) = &self.sandbox {
            sandbox.save().await.context("saving the sandbox state")?;
        }
        Ok(())
    }
}

/// Retries on the sandbox: its faults are injected, and no server needs a rest.
const SANDBOX_RETRIES: RetryPolicy = RetryPolicy {
    max_retries: 20,
    initial_backoff: Duration::from_millis(5),
    max_backoff: Duration::from_millis(100),
    rate_limit: None,
};

/// The exit status of a process `kill_after` ended, as a shell reports a SIGKILL.
pub const KILLED_EXIT_CODE: i32 = 137;

/// An `RpcClient` over `sender`, with retries, backoff and the `--rpc-rate-limit` pacing.
fn rpc_client<S: RpcSender + Send + Sync + 'static>(
    sender: S,
    global: &GlobalArgs,
    commitment: CommitmentConfig,
    policy: RetryPolicy,
) -> RpcClient {
    let policy = RetryPolicy {
        rate_limit: global.rpc_rate_limit,
        ..policy
    };
    RpcClient::new_sender(
        Resilient::new(sender, policy),
        RpcClientConfig::with_commitment(commitment),
    )
}

fn send_options(global: &GlobalArgs) -> SendOptions {
    SendOptions {
        priority_fee: global.priority_fee.unwrap_or_default(),
        ..SendOptions::default()
    }
}

/// Reads a Solana CLI keypair file (a JSON array of 64 bytes).
pub fn read_keypair(path: &Path) -> Result<Keypair> {
    microdrop_sdk::read_keypair_file(path)
        .with_context(|| format!("reading keypair {}", path.display()))
}

fn commitment_config(commitment: Commitment) -> CommitmentConfig {
    match commitment {
        Commitment::Processed => CommitmentConfig::processed(),
        Commitment::Confirmed => CommitmentConfig::confirmed(),
        Commitment::Finalized => CommitmentConfig::finalized(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_solana_cli_config() {
        let config = SolanaConfig::parse(
            "---\njson_rpc_url: \"https://api.devnet.solana.com\"\nwebsocket_url: \"\"\n\
             keypair_path: /home/me/.config/solana/id.json\ncommitment: finalized\n",
        );
        assert_eq!(
            config.json_rpc_url.as_deref(),
            Some("https://api.devnet.solana.com")
        );
        assert_eq!(
            config.keypair_path.as_deref(),
            Some("/home/me/.config/solana/id.json")
        );
        assert_eq!(config.commitment.as_deref(), Some("finalized"));
    }

    #[test]
    fn monikers_expand() {
        assert_eq!(resolve_url("d").unwrap(), "https://api.devnet.solana.com");
        assert_eq!(resolve_url("l").unwrap(), "http://localhost:8899");
        assert_eq!(resolve_url("sandbox").unwrap(), "sandbox");
        assert_eq!(
            resolve_url("https://rpc.example.com").unwrap(),
            "https://rpc.example.com"
        );
        assert!(resolve_url("devnett").is_err());
    }
}
