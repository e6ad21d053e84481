//! Printing results: readable text, or exactly one JSON document on stdout.
//!
//! Every command's result is `Serialize + Display`; this module picks the form. Progress
//! goes to stderr, and only when stderr is a terminal and text output was asked for.

use std::{
    fmt::Display,
    fs::File,
    io::{IsTerminal, Write},
    os::fd::AsFd,
    sync::{Mutex, OnceLock},
};

use serde::Serialize;

use crate::args::{GlobalArgs, OutputFormat};

/// The real stdout, once [`claim_stdout`] has taken it.
static OUT: OnceLock<Mutex<File>> = OnceLock::new();

/// Keeps stdout for the command's own result.
///
/// The sandbox runs microdrop natively, and a native program's `msg!` is a `println!`:
/// without this, program log lines would land in the middle of `--output json`. The real
/// stdout is duplicated for [`emit`], and fd 1 is pointed at /dev/null (at stderr when
/// `RUST_LOG` asks for logs).
pub fn claim_stdout() -> std::io::Result<()> {
    let real = std::io::stdout().as_fd().try_clone_to_owned()?;
    let sink = if std::env::var_os("RUST_LOG").is_some() {
        std::io::stderr().as_fd().try_clone_to_owned()?
    } else {
        File::options().write(true).open("/dev/null")?.into()
    };
    // SAFETY: dup2 on two valid, open descriptors; fd 1 stays open throughout.
    if unsafe { libc::dup2(std::os::fd::AsRawFd::as_raw_fd(&sink), 1) } < 0 {
        return Err(std::io::Error::last_os_error());
    }
    let _ = OUT.set(Mutex::new(File::from(real)));
    Ok(())
}

/// Prints a command's result in the chosen format.
pub fn emit<T: Serialize + Display>(global: &GlobalArgs, value: &T) -> std::io::Result<()> {
    let text = match global.output {
        OutputFormat::Json => serde_json::to_string_pretty(value).map_err(std::io::Error::other)?,
        OutputFormat::Text => value.to_string(),
    };
    write_stdout(&text)
}

/// Writes one line to the real stdout.
pub fn write_stdout(text: &str) -> std::io::Result<()> {
    match OUT.get() {
        Some(out) => {
            let mut out = out.lock().unwrap_or_else(|e| e.into_inner());
            writeln!(out, "{text}")?;
            out.flush()
        }
        None => {
            let mut stdout = std::io::stdout().lock();
            writeln!(stdout, "{text}")?;
            stdout.flush()
        }
    }
}

/// A progress bar on stderr for a long job. It is drawn only for people watching a
/// terminal in text mode (hidden otherwise, so JSON and pipes stay clean), and it is
/// cleared when dropped, on success or on an error's way out: neither the report on stdout
/// nor an `error:` line ever shares the bar's line.
pub struct Progress(indicatif::ProgressBar);

impl Progress {
    /// A bar counting `what` up to `total`.
    pub fn new(global: &GlobalArgs, total: u64, what: &str) -> Self {
        let bar = if global.output == OutputFormat::Text && std::io::stderr().is_terminal() {
            let bar = indicatif::ProgressBar::new(total);
            if let Ok(style) =
                indicatif::ProgressStyle::with_template("[{bar:30}] {pos}/{len} {msg} ({eta})")
            {
                bar.set_style(style.progress_chars("#>-"));
            }
            bar
        } else {
            indicatif::ProgressBar::hidden()
        };
        bar.set_message(what.to_string());
        Self(bar)
    }

    /// `done` of the total so far.
    pub fn set(&self, done: u64) {
        self.0.set_position(done);
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.0.finish_and_clear();
    }
}

/// A progress line on stderr, for people watching a terminal.
pub fn progress(global: &GlobalArgs, message: impl Display) {
    if global.output == OutputFormat::Text && std::io::stderr().is_terminal() {
        eprintln!("{message}");
    }
}

/// What amounts of one asset are counted in, for showing them to people: its decimals
/// and its name (`SOL`, or a token's symbol). JSON keeps integers in smallest units.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    pub decimals: u32,
    pub label: String,
}

impl Unit {
    /// Lamports, shown as SOL.
    pub fn sol() -> Self {
        Self {
            decimals: crate::config::SOL_DECIMALS,
            label: "SOL".into(),
        }
    }

    /// `amount` smallest units as people read them: `0.35 SOL`, `12.5 USDC`.
    pub fn show(&self, amount: u64) -> String {
        format!("{} {}", format_units(amount, self.decimals), self.label)
    }
}

impl Default for Unit {
    fn default() -> Self {
        Self::sol()
    }
}

/// The unit of SOL (`None`) or of the SPL token `mint`: its decimals, and its symbol
/// (Token Metadata's, else Token-2022 metadata's) when it has one, else its address
/// shortened (`EPjF…Dt1v`).
pub async fn unit_of(
    client: &microdrop_sdk::Client,
    mint: Option<&microdrop_sdk::Pubkey>,
) -> anyhow::Result<Unit> {
    let Some(mint) = mint else {
        return Ok(Unit::sol());
    };
    let currency = microdrop_sdk::microdrop::state::Currency::Spl { mint: *mint };
    let decimals = crate::commands::status::currency_decimals(client, &currency).await?;
    let label = client.token_symbol(mint).await?.unwrap_or_else(|| {
        let text = mint.to_string();
        format!("{}…{}", &text[..4], &text[text.len() - 4..])
    });
    Ok(Unit { decimals, label })
}

/// The unit of a drop's currency.
pub async fn currency_unit(
    client: &microdrop_sdk::Client,
    currency: &microdrop_sdk::microdrop::state::Currency,
) -> anyhow::Result<Unit> {
    match currency {
        microdrop_sdk::microdrop::state::Currency::Sol => Ok(Unit::sol()),
        microdrop_sdk::microdrop::state::Currency::Spl { mint } => {
            unit_of(client, Some(mint)).await
        }
    }
}

/// Formats lamports (or any 9-decimal amount) as SOL without floating point.
pub fn sol(lamports: u64) -> String {
    format_units(lamports, 9)
}

/// Formats an integer amount with `decimals` decimal places, trimming trailing zeros.
pub fn format_units(amount: u64, decimals: u32) -> String {
    let scale = 10u64.pow(decimals);
    let whole = amount / scale;
    let frac = amount % scale;
    if frac == 0 {
        return whole.to_string();
    }
    let digits = format!("{frac:0width$}", width = decimals as usize);
    format!("{whole}.{}", digits.trim_end_matches('0'))
}

/// Parses a decimal amount such as `"1.5"` into integer units with `decimals` places.
/// Exact: no floating point, and more decimals than the currency has is an error.
pub fn parse_units(text: &str, decimals: u32) -> Result<u64, String> {
    let bad = || format!("{text:?} is not an amount (expected e.g. 1 or 0.25)");
    let (whole, frac) = text.split_once('.').unwrap_or((text, ""));
    if whole.is_empty() && frac.is_empty() {
        return Err(bad());
    }
    if !whole.bytes().all(|b| b.is_ascii_digit()) || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    if frac.len() > decimals as usize {
        return Err(format!("{text:?} has more than {decimals} decimal places"));
    }
    let scale = 10u64.pow(decimals);
    let whole: u64 = if whole.is_empty() {
        0
    } else {
        whole.parse().map_err(|_| bad())?
    };
    let frac_units: u64 = if frac.is_empty() {
        0
    } else {
        let padded = format!("{frac:0<width$}", width = decimals as usize);
        padded.parse().map_err(|_| bad())?
    };
    whole
        .checked_mul(scale)
        .and_then(|w| w.checked_add(frac_units))
        .ok_or_else(|| format!("{text:?} is too large"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_show_amounts_as_people_read_them() {
        assert_eq!(Unit::sol().show(350_000_000), "0.35 SOL");
        let usdc = Unit {
            decimals: 6,
            label: "USDC".into(),
        };
        assert_eq!(usdc.show(12_500_000), "12.5 USDC");
        assert_eq!(usdc.show(0), "0 USDC");
    }

    #[test]
    fn amounts_round_trip_exactly() {
        assert_eq!(parse_units("1.5", 9), Ok(1_500_000_000));
        assert_eq!(parse_units("0.000000001", 9), Ok(1));
        assert_eq!(parse_units(".25", 9), Ok(250_000_000));
        assert_eq!(parse_units("7", 0), Ok(7));
        assert!(parse_units("0.0000000001", 9).is_err());
        assert!(parse_units("1e9", 9).is_err());
        assert!(parse_units("-1", 9).is_err());
        assert!(parse_units("", 9).is_err());
        assert!(parse_units("99999999999", 9).is_err());
        assert_eq!(sol(1_500_000_000), "1.5");
        assert_eq!(sol(1), "0.000000001");
        assert_eq!(sol(2_000_000_000), "2");
    }
}
