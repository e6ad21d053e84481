use std::fmt;

use anyhow::Result;
use clap::Args;
use microdrop_sdk::{allowlist::hex, Pubkey};
use serde::Serialize;

use crate::{args::GlobalArgs, cluster::Session};

#[derive(Args, Debug)]
pub struct FulfillArgs {
    /// The redemption receipt's address.
    pub redemption: Pubkey,
    /// The reference to record: 64 hex characters are taken as the 32 bytes themselves;
    /// any other text is recorded as its SHA-256 (e.g. a shipping record).
    #[arg(long)]
    pub reference: String,
}

#[derive(Serialize)]
pub struct FulfilledView {
    pub redemption: String,
    /// Hex of the recorded 32 bytes.
    pub reference: String,
    pub signature: String,
}

impl fmt::Display for FulfilledView {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} fulfilled (reference {})",
            self.redemption, self.reference
        )
    }
}

/// 64 hex characters as bytes, or else the text's SHA-256.
pub fn reference_bytes(text: &str) -> [u8; 32] {
    if text.len() == 64 && text.bytes().all(|b| b.is_ascii_hexdigit()) {
        let mut out = [0u8; 32];
        for (i, byte) in out.iter_mut().enumerate() {
            *byte = u8::from_str_radix(&text[2 * i..2 * i + 2], 16).unwrap_or(0);
        }
        return out;
    }
    microdrop_sdk::sha256(text.as_bytes())
}

pub async fn run(global: &GlobalArgs, args: &FulfillArgs) -> Result<()> {
    let session = Session::connect(global, true).await?;
    let reference = reference_bytes(&args.reference);
    let result = session.client.fulfill(&args.redemption, reference).await;
    session.finish().await?;
    crate::output::emit(
        global,
        &FulfilledView {
            redemption: args.redemption.to_string(),
            reference: hex(&reference),
            signature: result?.to_string(),
        },
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_references_are_taken_as_bytes_and_text_is_hashed() {
        let hex_text = "ab".repeat(32);
        assert_eq!(reference_bytes(&hex_text), [0xab; 32]);
        assert_ne!(reference_bytes("UPS 1Z999"), reference_bytes("UPS 1Z998"));
        assert_eq!(reference_bytes("UPS 1Z999"), reference_bytes("UPS 1Z999"));
    }
}
