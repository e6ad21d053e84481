//! Accounts owned by the program.

pub mod airdrop_record;
pub mod benefit;
pub mod drop;
pub mod item_prices;
pub mod item_tiers;
pub mod tier;
pub mod token_ledger;
pub mod wallet_record;

pub use airdrop_record::*;
pub use benefit::*;
pub use drop::*;
pub use tier::*;
pub use token_ledger::*;
pub use wallet_record::*;
