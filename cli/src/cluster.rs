//! Which cluster, which wallet, which commitment: flags first, then the Solana CLI config
//! file, then defaults (the sandbox and its own wallet).

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use microdrop_sdk::{
    sandbox::{Sandbox, SANDBOX_URL},
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
}

impl Session {
    /// Whether transactions cost real money here.
    pub fn is_real_cluster(&self) -> bool {
        self.sandbox.is_none()
    }

    /// Connects as the global flags say. `signer` is false for read-only commands, which
    /// then work without any keypair file.
    pub async fn connect(global: &GlobalArgs, signer: bool) -> Result<Self> {
        let solana_config = match &global.solana_config {
            Some(path) => Some(
                SolanaConfig::read(path)?
                    .with_context(|| format!("Solana CLI config {} not found", path.display()))?,
            ),
            None => match home() {
                Some(home) => SolanaConfig::read(&home.join(".config/solana/cli/config.yml"))?,
                None => None,
            },
        }
        .unwrap_or_default();

        let url = match &global.url {
            Some(url) => resolve_url(url)?,
            None => match &solana_config.json_rpc_url {
                Some(url) => resolve_url(url)?,
                None => SANDBOX_URL.to_string(),
            },
        };
        let commitment = match global.commitment {
            Some(c) => c,
            None => match solana_config.commitment.as_deref() {
                Some("processed") => Commitment::Processed,
                Some("finalized") => Commitment::Finalized,
                _ => Commitment::Confirmed,
            },
        };
        let commitment = commitment_config(commitment);

        if url == SANDBOX_URL {
            let sandbox = Sandbox::open(&global.sandbox_dir).await.with_context(|| {
                format!("opening the sandbox in {}", global.sandbox_dir.display())
            })?;
            let payer = match &global.keypair {
                Some(path) => read_keypair(path)?,
                None => sandbox.default_keypair()?,
            };
            let client = Client::new(sandbox.rpc_client(commitment), payer);
            return Ok(Self {
                client,
                sandbox: Some(sandbox),
                url,
            });
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
        let rpc = RpcClient::new_with_commitment(url.clone(), commitment);
        Ok(Self {
            client: Client::new(rpc, payer),
            sandbox: None,
            url,
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
