//! Accounts owned by the program.

pub mod drop;

pub use drop::*;
