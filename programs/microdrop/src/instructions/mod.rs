//! One instruction per file, each with its `<Ix>Args`, accounts struct and `handler`.

// Every module exports a `handler`; the globs are needed because Anchor's `#[program]`
// expects each accounts struct and its generated client modules at the crate root, and
// `lib.rs` calls handlers by their module path, never through the glob.
#![allow(ambiguous_glob_reexports)]

pub mod accept_authority;
pub mod add_benefit;
pub mod add_tier;
pub mod airdrop;
pub mod close_voucher_nonce;
pub mod close_wallet_record;
pub mod create_drop;
pub mod distribute;
pub mod distribute_token;
pub mod fulfill;
pub mod mint;
pub mod redeem;
pub mod refund;
pub mod set_drop_status;
pub mod set_lookup_table;
pub mod set_splits;
pub mod transfer_authority;
pub mod update_item_uri;
pub mod update_tier;

pub use accept_authority::*;
pub use add_benefit::*;
pub use add_tier::*;
pub use airdrop::*;
pub use close_voucher_nonce::*;
pub use close_wallet_record::*;
pub use create_drop::*;
pub use distribute::*;
pub use distribute_token::*;
pub use fulfill::*;
pub use mint::*;
pub use redeem::*;
pub use refund::*;
pub use set_drop_status::*;
pub use set_lookup_table::*;
pub use set_splits::*;
pub use transfer_authority::*;
pub use update_item_uri::*;
pub use update_tier::*;
