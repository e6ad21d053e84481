//! Seeds and limits shared by the program, the SDK and the IDL.
//!
//! Every seed lives here as a `#[constant]` so it reaches the IDL, and no instruction
//! spells a seed literal at its use site.

use anchor_lang::prelude::*;

/// Seed of the [`Drop`](crate::state::Drop) PDA: `["drop", authority, id]`.
#[constant]
pub const DROP_SEED: &[u8] = b"drop";

/// Seed of a drop's collection mint PDA: `["collection", drop]`.
#[constant]
pub const COLLECTION_MINT_SEED: &[u8] = b"collection";

/// Token Metadata's own PDA prefix (`"metadata"`), for its metadata and edition accounts.
#[constant]
pub const METADATA_SEED: &[u8] = b"metadata";

/// Token Metadata's suffix for master edition PDAs.
#[constant]
pub const EDITION_SEED: &[u8] = b"edition";

/// Longest drop id: it is a PDA seed, and a seed is at most 32 bytes.
#[constant]
pub const MAX_ID_LEN: usize = 32;

/// Token Metadata's limits on name, symbol and URI, in bytes.
#[constant]
pub const MAX_NAME_LEN: usize = 32;
#[constant]
pub const MAX_SYMBOL_LEN: usize = 10;
#[constant]
pub const MAX_URI_LEN: usize = 200;

/// Placeholder in the item URI template that each item's index replaces.
#[constant]
pub const ITEM_URI_INDEX_PLACEHOLDER: &str = "{index}";

/// Royalties and shares are in basis points: 10 000 is 100%.
#[constant]
pub const MAX_BPS: u16 = 10_000;
