//! The async client: builds, signs, sends and confirms transactions, and fetches accounts.
//!
//! It talks only to an [`RpcClient`]. On a real cluster that client speaks HTTP; on the
//! embedded sandbox it runs over [`crate::sandbox::SandboxSender`], a transport that answers
//! the same JSON-RPC calls from an in-process runtime. Every command therefore exercises
//! the code real clusters use.
//!
//! One file per concern, each adding its methods to [`Client`]: `send` (signing, sizing,
//! confirming; it knows nothing of what it sends), `fetch`, `mint`, `redeem`, `configure`
//! and `lookup` (the drop's address lookup table).

use std::sync::Arc;

use std::collections::HashMap;

use anchor_lang::{prelude::Pubkey, solana_program::program_pack::Pack, AccountDeserialize};
use anchor_spl::token::spl_token::state::Account as TokenAccount;
use microdrop::{
    events::Payout,
    instructions::CreateDropArgs,
    state::{
        Benefit, BenefitConfig, Currency, Drop, DropStatus, ItemStandard, Redemption,
        RedemptionStatus, SplitConfig, ThresholdState, Tier, TierConfig, WalletRecord,
    },
};
use solana_account::Account;
use solana_account_decoder_client_types::UiAccountEncoding;
use solana_address_lookup_table_interface::{instruction as alt, state::AddressLookupTable};
use solana_commitment_config::CommitmentConfig;
use solana_keypair::Keypair;
use solana_message::{v0, AddressLookupTableAccount, Instruction, VersionedMessage};
use solana_rpc_client::nonblocking::rpc_client::RpcClient;
use solana_rpc_client_api::{
    config::{
        RpcAccountInfoConfig, RpcProgramAccountsConfig, RpcSendTransactionConfig,
        RpcSimulateTransactionConfig,
    },
    filter::{Memcmp, RpcFilterType},
};
use solana_signer::Signer;
use solana_transaction::{versioned::VersionedTransaction, Signature, Transaction};
use solana_transaction_error::TransactionError;

use crate::{
    accounts,
    airdrop::AirdropList,
    allowlist::AllowList,
    eligibility::{self, Allowance, TierEligibility, WalletFacts},
    instructions::{self, AirdropRequest, MintRequest},
    pda, Error, TOKEN_2022_PROGRAM_ID, TOKEN_PROGRAM_ID,
};

/// Most items one mint transaction creates: the program's limit, set by the 64
mod configure;
mod fetch;
mod lookup;
mod mint;
mod redeem;
mod send;

pub use self::{configure::*, fetch::*, lookup::*, mint::*, redeem::*, send::*};

/// instructions a transaction may run (each item takes about 20, CPIs included). Token
/// Metadata's; see [`crate::items::max_items_per_mint`] for each standard's.
pub const MAX_ITEMS_PER_TX: u8 = microdrop::constants::MAX_ITEMS_PER_MINT;

/// A connection to a cluster plus the wallet that signs and pays.
pub struct Client {
    rpc: Arc<RpcClient>,
    payer: Arc<Keypair>,
    options: SendOptions,
}

/// The priority fee a [`Client`] adds to its transactions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PriorityFee {
    /// None: the base fee only.
    #[default]
    None,
    /// This many micro-lamports per compute unit.
    MicroLamports(u64),
    /// The 75th percentile of the fees recently paid to write the same accounts.
    Auto,
}

impl std::str::FromStr for PriorityFee {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        match text {
            "auto" => Ok(PriorityFee::Auto),
            "0" | "none" => Ok(PriorityFee::None),
            n => n.parse().map(PriorityFee::MicroLamports).map_err(|_| {
                format!("priority fee must be micro-lamports per compute unit or `auto`, not {n:?}")
            }),
        }
    }
}

/// How a [`Client`] sends transactions.
#[derive(Debug, Clone, PartialEq)]
pub struct SendOptions {
    pub priority_fee: PriorityFee,
    /// Compute units requested above what a simulation consumed, in percent.
    pub compute_headroom_percent: u32,
    /// Fresh-blockhash signings after the first, when blockhashes expire before landing.
    pub max_resigns: u32,
    /// Wait between status checks while confirming.
    pub poll_interval: std::time::Duration,
    /// Status checks before confirming gives up on a blockhash that never expires.
    pub max_confirm_polls: u32,
    /// Instruction-trace entries a mint transaction leaves unused, for what wallets add
    /// around it (tips, memos, assertions); fewer items go in a transaction otherwise.
    pub reserved_trace: usize,
}

impl Default for SendOptions {
    fn default() -> Self {
        Self {
            priority_fee: PriorityFee::None,
            compute_headroom_percent: 10,
            max_resigns: 10,
            poll_interval: std::time::Duration::from_millis(400),
            max_confirm_polls: 1_000,
            reserved_trace: TRACE_RESERVED_FOR_WALLETS,
        }
    }
}

/// Trace entries every mint leaves for the instructions wallets add, by default.
pub const TRACE_RESERVED_FOR_WALLETS: usize = 8;

impl Client {
    /// A client that signs and pays with `payer`.
    pub fn new(rpc: RpcClient, payer: Keypair) -> Self {
        Self {
            rpc: Arc::new(rpc),
            payer: Arc::new(payer),
            options: SendOptions::default(),
        }
    }

    /// The same client, sending as `options` say.
    pub fn with_send_options(mut self, options: SendOptions) -> Self {
        self.options = options;
        self
    }

    /// How this client sends.
    pub fn send_options(&self) -> &SendOptions {
        &self.options
    }

    /// The underlying RPC client.
    pub fn rpc(&self) -> &RpcClient {
        &self.rpc
    }

    /// The paying wallet's address.
    pub fn payer(&self) -> Pubkey {
        self.payer.pubkey()
    }

    /// The commitment reads and confirmations use.
    pub fn commitment(&self) -> CommitmentConfig {
        self.rpc.commitment()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auto_fee_is_the_75th_percentile_of_recent_fees() {
        assert_eq!(auto_priority_fee(vec![]), 0);
        assert_eq!(auto_priority_fee(vec![7]), 7);
        assert_eq!(auto_priority_fee(vec![0, 0, 0, 100]), 0);
        assert_eq!(auto_priority_fee(vec![400, 100, 300, 200]), 300);
        assert_eq!(auto_priority_fee(vec![5, 1, 4, 2, 3]), 4);
    }

    #[test]
    fn priority_fees_parse_from_the_command_line() {
        assert_eq!("auto".parse(), Ok(PriorityFee::Auto));
        assert_eq!("0".parse(), Ok(PriorityFee::None));
        assert_eq!("2500".parse(), Ok(PriorityFee::MicroLamports(2_500)));
        assert!("fast"
            .parse::<PriorityFee>()
            .unwrap_err()
            .contains("micro-lamports"));
    }
}
