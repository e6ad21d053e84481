//! Command-line arguments. Global flags are declared once and accepted anywhere.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use microdrop_sdk::client::PriorityFee;

#[derive(Parser, Debug)]
#[command(
    name = "microdrop",
    version,
    about = "Run NFT micro-drops from one drop.toml: validate, launch, mint, status",
    long_about = "Run NFT micro-drops from one drop.toml.\n\nWithout a Solana CLI config, \
                  commands run against the embedded sandbox: an in-process Solana runtime \
                  whose state persists in --sandbox-dir, so no validator is needed."
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Args, Debug, Clone)]
pub struct GlobalArgs {
    /// Cluster: a URL or moniker (mainnet-beta, devnet, testnet, localhost, sandbox, or
    /// m/d/t/l). Default: the Solana CLI config's json_rpc_url, else the sandbox.
    #[arg(short = 'u', long, global = true, env = "MICRODROP_URL")]
    pub url: Option<String>,

    /// Keypair file that signs and pays. Default: on the sandbox its own funded wallet,
    /// elsewhere the Solana CLI config's keypair_path, else ~/.config/solana/id.json.
    #[arg(short = 'k', long, global = true, env = "MICRODROP_KEYPAIR")]
    pub keypair: Option<PathBuf>,

    /// Commitment for reads and confirmations. Default: the Solana CLI config's, else confirmed.
    #[arg(long, global = true, value_enum)]
    pub commitment: Option<Commitment>,

    /// Output format: readable text, or exactly one JSON document on stdout.
    #[arg(long, global = true, value_enum, default_value_t = OutputFormat::Text, env = "MICRODROP_OUTPUT")]
    pub output: OutputFormat,

    /// Where the sandbox keeps its chain state between commands.
    #[arg(
        long,
        global = true,
        default_value = ".microdrop/sandbox",
        env = "MICRODROP_SANDBOX_DIR"
    )]
    pub sandbox_dir: PathBuf,

    /// Solana CLI config file to take defaults from.
    #[arg(
        short = 'C',
        long = "config",
        global = true,
        env = "MICRODROP_SOLANA_CONFIG"
    )]
    pub solana_config: Option<PathBuf>,

    /// Answer yes to confirmations (needed on real clusters without a terminal).
    #[arg(short = 'y', long, global = true)]
    pub yes: bool,

    /// Priority fee for every transaction: micro-lamports per compute unit, or `auto`
    /// (the 75th percentile of recent fees for the same accounts). Default: none.
    #[arg(
        long,
        global = true,
        env = "MICRODROP_PRIORITY_FEE",
        value_name = "MICRO_LAMPORTS|auto"
    )]
    pub priority_fee: Option<PriorityFee>,

    /// At most this many RPC requests per second (for shared or free endpoints).
    #[arg(long, global = true, env = "MICRODROP_RPC_RATE_LIMIT", value_name = "REQUESTS_PER_SECOND", value_parser = positive_rate)]
    pub rpc_rate_limit: Option<f64>,
}

fn positive_rate(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(rate) if rate.is_finite() && rate > 0.0 => Ok(rate),
        _ => Err(format!(
            "must be a positive number of requests per second, not {text:?}"
        )),
    }
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputFormat {
    Text,
    Json,
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Commitment {
    Processed,
    Confirmed,
    Finalized,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Write a commented example drop.toml (and its presale.csv) into DIR (default: .).
    Init(crate::commands::init::InitArgs),
    /// Check a drop.toml offline and list every problem with its field.
    Validate(crate::commands::validate::ValidateArgs),
    /// Create the drop described by a drop.toml and activate it. Idempotent.
    Launch(crate::commands::launch::LaunchArgs),
    /// Run the whole drop in a throwaway sandbox and report how it behaves (exit 1 on problems).
    Rehearse(crate::commands::rehearse::RehearseArgs),
    /// Show a drop and its tiers, by address or by drop.toml.
    Status(crate::commands::status::StatusArgs),
    /// Mint items from a tier.
    Mint(crate::commands::mint::MintArgs),
    /// What a wallet can mint now, per tier, and why not.
    Eligibility(crate::commands::eligibility::EligibilityArgs),
    /// Show one item as wallets see it (`item update-uri` corrects its metadata URI).
    Item(crate::commands::item::ItemArgs),
    /// Every item a drop has minted (`--hash-list FILE` writes the marketplaces' hash list).
    Items(crate::commands::items::ItemsArgs),
    /// Hand a drop to another authority in two steps: `transfer`, then `accept`.
    #[command(subcommand)]
    Authority(crate::commands::authority::AuthorityCommand),
    /// Build allow lists and print proofs.
    #[command(subcommand)]
    Allowlist(crate::commands::allowlist::AllowlistCommand),
    /// Pay every split recipient its share of the vault (anyone may run it).
    Distribute(crate::commands::distribute::DistributeArgs),
    /// Burn items to redeem a benefit; the chain keeps a receipt.
    Burn(crate::commands::burn::BurnArgs),
    /// Burn your items of a failed preorder and get back what they were sold for.
    Refund(crate::commands::refund::RefundArgs),
    /// Mint items free to a list of wallets (creator only; rerun to resume).
    Airdrop(crate::commands::airdrop::AirdropArgs),
    /// Write the drop's mint page: a static site to host anywhere.
    Site(crate::commands::site::SiteArgs),
    /// Serve a live dashboard of the drop for its creator, with pause, resume and fulfil.
    Dashboard(crate::commands::dashboard::DashboardArgs),
    /// List a drop's redemption receipts.
    Redemptions(crate::commands::redemptions::RedemptionsArgs),
    /// Mark a redemption fulfilled, with a reference (creator only).
    Fulfill(crate::commands::fulfill::FulfillArgs),
    /// Close your records in a closed drop (wallet and voucher records) and get their rent back.
    Reclaim(crate::commands::reclaim::ReclaimArgs),
    /// Pause an active drop (tiers can then be changed).
    Pause(crate::commands::lifecycle::LifecycleArgs),
    /// Resume a paused drop.
    Resume(crate::commands::lifecycle::LifecycleArgs),
    /// Close a drop for good (buyers can then recover their records' rent).
    Close(crate::commands::lifecycle::LifecycleArgs),
    /// Issue signed mint vouchers for voucher-gated tiers.
    #[command(subcommand)]
    Voucher(crate::commands::voucher::VoucherCommand),
    /// Show the wallet commands sign with, and its balance.
    Wallet,
    /// Stream a drop's events as JSON lines, optionally POSTing each to a webhook.
    Watch(crate::commands::watch::WatchArgs),
    /// Manage the embedded sandbox cluster.
    #[command(subcommand)]
    Sandbox(crate::commands::sandbox::SandboxCommand),
}
