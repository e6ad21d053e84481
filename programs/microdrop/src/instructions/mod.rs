//! One instruction per file, each with its `<Ix>Args`, accounts struct and `handler`.

// Every module exports a `handler`; the globs are needed because Anchor's `#[program]`
// expects each accounts struct and its generated client modules at the crate root, and
// `lib.rs` calls handlers by their module path, never through the glob.
#![allow(ambiguous_glob_reexports)]

pub mod add_tier;
pub mod close_wallet_record;
pub mod create_drop;
pub mod mint;
pub mod set_drop_status;
pub mod update_tier;

pub use add_tier::*;
pub use close_wallet_record::*;
pub use create_drop::*;
pub use mint::*;
pub use set_drop_status::*;
pub use update_tier::*;
