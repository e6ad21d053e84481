//! Accounts owned by the program.

pub mod drop;
pub mod tier;
pub mod wallet_record;

pub use drop::*;
pub use tier::*;
pub use wallet_record::*;
