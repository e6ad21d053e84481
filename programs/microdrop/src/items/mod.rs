//! What an item is, per item standard.
//!
//! Everything that differs between standards (how a drop's collection and its items are
//! made, how an item is recognised as the drop's or as a holder gate's, how it is burned
//! and corrected) lives in one module per standard. The instructions call these and keep
//! tiers, payments and limits standard-agnostic.

pub mod token_metadata;
