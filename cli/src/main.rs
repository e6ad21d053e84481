//! `microdrop`: run NFT micro-drops from one drop.toml.
//!
//! Exit codes: 0 success, 1 a failure the user can act on (bad config, program error,
//! insufficient funds; one line on stderr, or a JSON `error` document with `--output json`),
//! 2 a usage error. A closed stdout (`| head`) ends quietly with 0.

mod args;
mod cluster;
mod commands;
mod config;
mod output;

use std::process::ExitCode;

use args::{Cli, Command, OutputFormat};
use clap::Parser;
use microdrop_sdk::microdrop::state::DropStatus;

/// A failure the command has already reported in its own output (e.g. `validate`'s list).
#[derive(Debug)]
pub struct Reported;

impl std::fmt::Display for Reported {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("failed (reported above)")
    }
}

impl std::error::Error for Reported {}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Err(e) = output::claim_stdout() {
        eprintln!("error: cannot set up stdout: {e}");
        return ExitCode::FAILURE;
    }
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(&cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => report(&cli, err),
    }
}

async fn run(cli: &Cli) -> anyhow::Result<()> {
    let global = &cli.global;
    match &cli.command {
        Command::Init(args) => commands::init::run(global, args),
        Command::Validate(args) => commands::validate::run(global, args),
        Command::Launch(args) => commands::launch::run(global, args).await,
        Command::Status(args) => commands::status::run(global, args).await,
        Command::Watch(args) => commands::watch::run(global, args).await,
        Command::Rehearse(args) => commands::rehearse::run(global, args).await,
        Command::Mint(args) => commands::mint::run(global, args).await,
        Command::Eligibility(args) => commands::eligibility::run(global, args).await,
        Command::Item(args) => commands::item::run(global, args).await,
        Command::Items(args) => commands::items::run(global, args).await,
        Command::Authority(command) => commands::authority::run(global, command).await,
        Command::Allowlist(command) => commands::allowlist::run(global, command).await,
        Command::Distribute(args) => commands::distribute::run(global, args).await,
        Command::Burn(args) => commands::burn::run(global, args).await,
        Command::Refund(args) => commands::refund::run(global, args).await,
        Command::Site(args) => commands::site::run(global, args).await,
        Command::Dashboard(args) => commands::dashboard::run(global, args).await,
        Command::Airdrop(args) => commands::airdrop::run(global, args).await,
        Command::Redemptions(args) => commands::redemptions::run(global, args).await,
        Command::Fulfill(args) => commands::fulfill::run(global, args).await,
        Command::Reclaim(args) => commands::reclaim::run(global, args).await,
        Command::Pause(args) => commands::lifecycle::run(global, args, DropStatus::Paused).await,
        Command::Resume(args) => commands::lifecycle::run(global, args, DropStatus::Active).await,
        Command::Close(args) => commands::lifecycle::run(global, args, DropStatus::Closed).await,
        Command::Voucher(command) => commands::voucher::run(global, command).await,
        Command::Wallet => commands::wallet::run(global).await,
        Command::Sandbox(command) => commands::sandbox::run(global, command).await,
    }
}

fn report(cli: &Cli, err: anyhow::Error) -> ExitCode {
    if err.is::<Reported>() {
        return ExitCode::FAILURE;
    }
    if is_broken_pipe(&err) {
        return ExitCode::SUCCESS;
    }
    let message = one_line(&err);
    let logs = err
        .chain()
        .find_map(|cause| cause.downcast_ref::<microdrop_sdk::Error>())
        .map(|e| relevant_logs(e.logs()))
        .unwrap_or_default();
    if cli.global.output == OutputFormat::Json {
        let mut doc = serde_json::json!({ "error": message });
        if let Some(invalid) = err.downcast_ref::<config::InvalidConfig>() {
            doc["problems"] = serde_json::to_value(&invalid.problems).unwrap_or_default();
        }
        if let Some((program, code, name)) = err
            .downcast_ref::<microdrop_sdk::Error>()
            .and_then(microdrop_sdk::Error::program_error)
        {
            doc["program_error"] =
                serde_json::json!({ "program": program, "code": code, "name": name });
        }
        if !logs.is_empty() {
            doc["logs"] = serde_json::json!(logs);
        }
        // Best effort: the error still goes to stderr if stdout is gone.
        let _ = output::write_stdout(&doc.to_string());
    }
    eprintln!("error: {message}");
    if !logs.is_empty() {
        eprintln!("program logs (last {}):", logs.len());
        for line in &logs {
            eprintln!("  {line}");
        }
    }
    ExitCode::FAILURE
}

/// The program logs worth showing with a failure: the last lines, where the failing
/// program explains itself.
fn relevant_logs(logs: &[String]) -> Vec<String> {
    const SHOWN: usize = 12;
    logs[logs.len().saturating_sub(SHOWN)..].to_vec()
}

/// The error and its causes on one line: `launching: insufficient funds: ...`.
fn one_line(err: &anyhow::Error) -> String {
    err.chain()
        .map(|cause| cause.to_string().replace('\n', " "))
        .collect::<Vec<_>>()
        .join(": ")
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
