//! Rust SDK for microdrop.
//!
//! - [`allowlist`]: allow-list trees, proofs, CSV input and the list file.
//! - [`voucher`]: signed mint vouchers and their Ed25519 instruction.
//! - [`pda`]: every program-derived address, one function per seed.
//! - [`items`]: what an item is, per item standard (its accounts, how it is recognised).
//! - [`instructions`]: pure builders returning [`Instruction`]s; they never send.
//! - [`accounts`]: decoding of drops and of the Token Metadata accounts items live in.
//! - [`events`]: decoding of the events the program emits.
//! - [`watch`]: a drop's events from transaction history, with stable ids and cursors.
//! - [`eligibility`]: what a wallet can mint now, per tier, and why not.
//! - [`Error`]: failures, with program error codes decoded to their names.
//! - [`transport`]: retries, backoff and rate limits under the RPC client, and fault
//!   injection (`MICRODROP_FAULTS`) for rehearsing against a flaky cluster.
//! - [`Client`]: async sending and fetching over any [`RpcClient`].
//! - `heap` (cargo feature `sandbox`): microdrop's sBPF heap, measured while it runs
//!   natively.
//! - `sandbox` (cargo feature `sandbox`): an in-process Solana runtime behind the same
//!   `RpcClient`, with state that persists in a directory between processes.
//!
//! [`RpcClient`]: solana_rpc_client::nonblocking::rpc_client::RpcClient

pub mod accounts;
pub mod airdrop;
pub mod allowlist;
pub mod client;
pub mod eligibility;
pub mod error;
pub mod events;
#[cfg(feature = "sandbox")]
pub mod heap;
pub mod instructions;
pub mod items;
pub mod pda;
#[cfg(feature = "sandbox")]
pub mod rpc_server;
#[cfg(feature = "sandbox")]
pub mod sandbox;
pub mod transport;
pub mod voucher;
pub mod watch;

pub use anchor_lang::{self, prelude::Pubkey};
pub use client::Client;
pub use error::Error;
pub use microdrop;
pub use solana_address_lookup_table_interface as address_lookup_table;
pub use solana_commitment_config::CommitmentConfig;
pub use solana_keypair::Keypair;
pub use solana_message::Instruction;
pub use solana_rpc_client::nonblocking::rpc_client::RpcClient;

/// The RPC transport types, for building an [`RpcClient`] over a custom transport stack.
pub mod rpc {
    pub use solana_rpc_client::{
        http_sender::HttpSender,
        rpc_client::RpcClientConfig,
        rpc_sender::{RpcSender, RpcTransportStats},
    };
}
pub use solana_signer::Signer;
pub use solana_transaction::Signature;

/// Metaplex Token Metadata.
pub const TOKEN_METADATA_PROGRAM_ID: Pubkey = anchor_spl::metadata::ID;
/// SPL Token.
pub const TOKEN_PROGRAM_ID: Pubkey = anchor_spl::token::ID;
/// SPL Token-2022.
pub const TOKEN_2022_PROGRAM_ID: Pubkey = anchor_spl::token_2022::ID;
/// SPL Associated Token Account.
pub const ASSOCIATED_TOKEN_PROGRAM_ID: Pubkey = anchor_spl::associated_token::ID;
/// The System program.
pub const SYSTEM_PROGRAM_ID: Pubkey = anchor_lang::system_program::ID;

/// Lamports per SOL.
pub const LAMPORTS_PER_SOL: u64 = 1_000_000_000;

/// The base fee per signature on every public cluster (priority fees come on top).
pub const SIGNATURE_FEE_LAMPORTS: u64 = 5_000;

/// Reads a keypair file in the Solana CLI's format (a JSON array of 64 bytes).
pub fn read_keypair_file(path: impl AsRef<std::path::Path>) -> Result<Keypair, Error> {
    use solana_signer::EncodableKey;
    let path = path.as_ref();
    Keypair::read_from_file(path).map_err(|e| Error::Keypair(format!("{}: {e}", path.display())))
}

/// Data sizes of the accounts a launch creates: the drop, the collection mint, the
/// creator's token account, the collection metadata and master edition, the vault (a
/// data-less system account), the item-tier table and, for a drop priced in an SPL token,
/// the vault's token account. Multiply by rent.
pub fn launch_account_sizes(spl_currency: bool) -> Vec<usize> {
    use anchor_lang::Space;
    let mut sizes = vec![
        8 + microdrop::state::Drop::INIT_SPACE,
        82,
        165,
        METADATA_ACCOUNT_LEN,
        MASTER_EDITION_ACCOUNT_LEN,
        0,
        microdrop::state::item_tiers::HEADER_LEN,
    ];
    if spl_currency {
        sizes.push(165);
    }
    sizes
}

/// Size Token Metadata allocates for a metadata account.
pub const METADATA_ACCOUNT_LEN: usize = 607;
/// Size Token Metadata allocates for a master edition account.
pub const MASTER_EDITION_ACCOUNT_LEN: usize = 20;
/// Token Metadata's protocol fee for creating a metadata account, held in that account
/// (on top of its rent) for Metaplex to collect.
pub const TOKEN_METADATA_CREATE_FEE: u64 = 10_000_000;

/// SHA-256 of `bytes` (the hash the program uses for allow-list nodes, too).
pub fn sha256(bytes: &[u8]) -> [u8; 32] {
    solana_sha256_hasher::hashv(&[bytes]).to_bytes()
}

#[cfg(test)]
mod pubkey_versions {
    #[test]
    fn lookup_table_interface_shares_the_pubkey_type() {
        let key: anchor_lang::prelude::Pubkey =
            solana_address_lookup_table_interface::program::id();
        assert_eq!(key, microdrop::ADDRESS_LOOKUP_TABLE_PROGRAM_ID);
    }
}
