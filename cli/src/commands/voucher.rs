use std::{fmt, path::PathBuf};

use anyhow::{bail, Context, Result};
use clap::Subcommand;
use microdrop_sdk::{
    voucher::{SignedVoucher, VoucherMessage},
    Pubkey, Signer,
};
use serde::Serialize;

use crate::{args::GlobalArgs, cluster::Session, commands::sandbox::format_time};

#[derive(Subcommand, Debug)]
pub enum VoucherCommand {
    /// Sign a voucher that lets one wallet mint from a voucher-gated tier.
    Issue {
        /// The voucher signer's keypair file (the tier's `voucher_signer`).
        #[arg(long)]
        signer: PathBuf,
        /// The drop: its address, or its drop.toml.
        #[arg(long)]
        drop: String,
        /// The tier's label or id.
        #[arg(long)]
        tier: String,
        /// The wallet allowed to mint with it.
        #[arg(long)]
        wallet: Pubkey,
        /// When it expires: RFC 3339, unix seconds, or a duration from the cluster's
        /// current time (`90s`, `15m`, `2h`, `7d`).
        #[arg(long)]
        expires: String,
        /// Two-letter region code the holder was checked for (default `--`: none).
        #[arg(long, default_value = "--")]
        region: String,
        /// Most items one mint with it may create.
        #[arg(long, default_value_t = 1)]
        quantity: u32,
        /// Allow it to be used once only.
        #[arg(long)]
        single_use: bool,
        /// Nonce (default: random).
        #[arg(long)]
        nonce: Option<u64>,
    },
}

/// An issued voucher and what it says.
#[derive(Serialize)]
pub struct Issued {
    /// The voucher as buyers pass it to `mint --voucher`.
    pub voucher: String,
    pub signer: String,
    pub program: String,
    pub drop: String,
    pub tier: u8,
    pub wallet: String,
    pub max_quantity: u32,
    pub expires: String,
    pub expires_unix: i64,
    pub region: String,
    pub nonce: u64,
    pub single_use: bool,
}

impl fmt::Display for Issued {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.voucher)
    }
}

/// Reads a voucher given as its string or as a file holding it.
pub fn read_voucher(arg: &str) -> Result<SignedVoucher> {
    let path = PathBuf::from(arg);
    let text = if path.is_file() {
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?
    } else {
        arg.to_string()
    };
    SignedVoucher::decode(&text).context("--voucher")
}

/// Seconds in a duration such as `90s`, `15m`, `2h` or `7d`.
pub fn parse_duration(text: &str) -> Option<i64> {
    let (number, unit) = text.split_at(text.len().checked_sub(1)?);
    let n: i64 = number.parse().ok().filter(|n| *n > 0)?;
    let scale = match unit {
        "s" => 1,
        "m" => 60,
        "h" => 3_600,
        "d" => 86_400,
        _ => return None,
    };
    n.checked_mul(scale)
}

pub async fn run(global: &GlobalArgs, command: &VoucherCommand) -> Result<()> {
    let VoucherCommand::Issue {
        signer,
        drop,
        tier,
        wallet,
        expires,
        region,
        quantity,
        single_use,
        nonce,
    } = command;
    let key = microdrop_sdk::read_keypair_file(signer)?;
    let region: [u8; 2] = match <[u8; 2]>::try_from(region.as_bytes()) {
        Ok(code) if code == *b"--" || code.iter().all(u8::is_ascii_uppercase) => code,
        _ => bail!("--region: {region:?} is not a two-letter uppercase code"),
    };
    if *quantity == 0 {
        bail!("--quantity must be at least 1");
    }
    let (drop_address, tier_id) =
        crate::commands::allowlist::resolve_tier(global, drop, tier).await?;
    let expires_unix = match (
        crate::commands::sandbox::parse_time(expires),
        parse_duration(expires),
    ) {
        (_, Some(seconds)) => {
            let session = Session::connect(global, false).await?;
            let now = session.client.cluster_time().await;
            session.finish().await?;
            now?.checked_add(seconds)
                .context("--expires is too far away")?
        }
        (Ok(unix), None) => unix,
        (Err(_), None) => bail!(
            "--expires: {expires:?} is neither a time (RFC 3339, unix seconds) nor a duration \
             (90s, 15m, 2h, 7d)"
        ),
    };
    let nonce = nonce.unwrap_or_else(|| {
        let random = microdrop_sdk::Keypair::new().pubkey().to_bytes();
        u64::from_le_bytes(random[..8].try_into().unwrap_or_default())
    });
    // The voucher carries the drop's salt, which binds it to this cluster's drop.
    let salt = {
        let session = Session::connect(global, false).await?;
        let state = session.client.drop(&drop_address).await;
        session.finish().await?;
        state
            .with_context(|| format!("drop {drop_address}: a voucher needs the launched drop"))?
            .voucher_salt
    };
    let message = VoucherMessage {
        program: microdrop_sdk::microdrop::ID,
        drop: drop_address,
        tier_id,
        wallet: *wallet,
        max_quantity: *quantity,
        expires: expires_unix,
        region,
        nonce,
        single_use: *single_use,
        salt,
    };
    let voucher = SignedVoucher::sign(message, &key);
    crate::output::emit(
        global,
        &Issued {
            voucher: voucher.encode(),
            signer: voucher.signer.to_string(),
            program: message.program.to_string(),
            drop: drop_address.to_string(),
            tier: tier_id,
            wallet: wallet.to_string(),
            max_quantity: *quantity,
            expires: format_time(expires_unix),
            expires_unix,
            region: String::from_utf8_lossy(&region).into_owned(),
            nonce,
            single_use: *single_use,
        },
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_parse() {
        assert_eq!(parse_duration("90s"), Some(90));
        assert_eq!(parse_duration("15m"), Some(900));
        assert_eq!(parse_duration("2h"), Some(7_200));
        assert_eq!(parse_duration("7d"), Some(604_800));
        assert_eq!(parse_duration("0s"), None);
        assert_eq!(parse_duration("7w"), None);
        assert_eq!(parse_duration("h"), None);
        assert_eq!(parse_duration(""), None);
    }
}
