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

/// Seed of a tier PDA: `["tier", drop, [id]]`.
#[constant]
pub const TIER_SEED: &[u8] = b"tier";

/// Seed of a buyer's per-tier record: `["wallet", tier, buyer]`.
#[constant]
pub const WALLET_SEED: &[u8] = b"wallet";

/// Seed of a drop's vault, which receives proceeds and royalties: `["vault", drop]`.
#[constant]
pub const VAULT_SEED: &[u8] = b"vault";

/// Seed of an item's mint: `["item", drop, index as u64 little-endian]`.
#[constant]
pub const ITEM_SEED: &[u8] = b"item";

/// Seed of a benefit PDA: `["benefit", drop, [id]]`.
#[constant]
pub const BENEFIT_SEED: &[u8] = b"benefit";

/// Seed of a redemption receipt: `["redemption", benefit, index as u64 little-endian]`.
#[constant]
pub const REDEMPTION_SEED: &[u8] = b"redemption";

/// Seed of a drop's item-tier table: `["item_tiers", drop]`.
#[constant]
pub const ITEM_TIERS_SEED: &[u8] = b"item_tiers";

/// Seed of a gate item's record for a holder-gated tier: `["holder", tier, item mint]`.
#[constant]
pub const HOLDER_SEED: &[u8] = b"holder";

/// Seed of a drop's ledger for a token other than its currency: `["ledger", drop, mint]`.
#[constant]
pub const LEDGER_SEED: &[u8] = b"ledger";

/// Seed of a spent single-use voucher nonce: `["voucher", tier, nonce as u64 LE]`.
#[constant]
pub const VOUCHER_SEED: &[u8] = b"voucher";

/// Seed of a preorder drop's item-price table: `["item_prices", drop]`.
#[constant]
pub const ITEM_PRICES_SEED: &[u8] = b"item_prices";

/// Seed of a creator airdrop's record of one recipient of one list:
/// `["airdrop", drop, list, recipient]`.
#[constant]
pub const AIRDROP_SEED: &[u8] = b"airdrop";

/// Token Metadata's own PDA prefix (`"metadata"`), for its metadata and edition accounts.
#[constant]
pub const METADATA_SEED: &[u8] = b"metadata";

/// Token Metadata's suffix for master edition PDAs.
#[constant]
pub const EDITION_SEED: &[u8] = b"edition";

// Lengths are `usize`, which has no IDL type, so they are plain constants: `#[constant]`
// on them breaks the IDL build, and with it `anchor build`.

/// Longest drop id: it is a PDA seed, and a seed is at most 32 bytes.
pub const MAX_ID_LEN: usize = 32;

/// Token Metadata's limits on name, symbol and URI, in bytes.
pub const MAX_NAME_LEN: usize = 32;
pub const MAX_SYMBOL_LEN: usize = 10;
pub const MAX_URI_LEN: usize = 200;

/// Placeholder in the item URI template that each item's index replaces.
#[constant]
pub const ITEM_URI_INDEX_PLACEHOLDER: &str = "{index}";

/// Royalties and shares are in basis points: 10 000 is 100%.
#[constant]
pub const MAX_BPS: u16 = 10_000;

/// Most tiers a drop can have.
#[constant]
pub const MAX_TIERS: u8 = 8;

/// Longest tier label, in bytes.
pub const MAX_LABEL_LEN: usize = 32;

/// Longest allow-list proof accepted (a tree of 2^32 wallets), bounding compute.
pub const MAX_PROOF_LEN: usize = 32;

/// Most Token Metadata items one `mint` instruction creates, as measured by the `limits`
/// suite. A Token Metadata item takes 19 entries of the 64-entry instruction trace (its
/// mint, token account, metadata, edition, collection verification and their inner
/// calls): three items used 63 entries, leaving nothing for the compute budget and what
/// wallets add (priority fees, tips, memos, assertions). Two use 44 and leave at least 8
/// spare in every shape a mint can take.
#[constant]
pub const MAX_ITEMS_PER_MINT: u8 = 2;

/// Most Token-2022 items one `mint` instruction creates. A Token-2022 item takes 17 trace
/// entries (18 soulbound): its mint and five extension or metadata steps, three metadata
/// fields, its group membership, its associated token account (five entries with the ATA
/// program's inner calls), the token and the removal of the mint authority. Three items
/// in a plain mint use 56 of the 64, leaving 8; the `limits` suite measures every shape,
/// and the SDK sends fewer per transaction where a shape (a voucher, a holder record, a
/// priority fee) leaves less.
#[constant]
pub const MAX_TOKEN_2022_ITEMS_PER_MINT: u8 = 3;

/// Most items one `mint` instruction creates for a drop of `standard`.
pub fn max_items_per_mint(standard: crate::state::ItemStandard) -> u8 {
    match standard {
        crate::state::ItemStandard::TokenMetadata => MAX_ITEMS_PER_MINT,
        crate::state::ItemStandard::Token2022 => MAX_TOKEN_2022_ITEMS_PER_MINT,
    }
}

/// Largest account the runtime allows (10 MiB).
pub const MAX_ACCOUNT_LEN: usize = 10 * 1024 * 1024;

/// Largest drop supply: the item-tier table records two items per byte after its 40-byte
/// header and can grow no larger than an account can.
pub const MAX_SUPPLY: u64 = ((MAX_ACCOUNT_LEN - crate::state::item_tiers::HEADER_LEN) * 2) as u64;

/// The supply of an open edition: a drop or tier with this supply has no count, only its
/// window (and, for a tier, its per-wallet limit) bounds it. A drop's items are still
/// numbered no higher than [`MAX_SUPPLY`].
#[constant]
pub const OPEN_SUPPLY: u64 = u64::MAX;

/// Largest `minimum` of a preorder: the item-price table records each item sold while
/// the threshold is pending (9 bytes each) and can grow no larger than an account can.
#[constant]
pub const MAX_PREORDER_MINIMUM: u64 = 1_000_000;

/// Most items one `refund` instruction burns and repays.
#[constant]
pub const MAX_REFUND_ITEMS: u8 = 4;

/// Most recipients of a drop's proceeds.
pub const MAX_SPLITS: usize = 8;

/// Most benefits per drop.
#[constant]
pub const MAX_BENEFITS: u8 = 8;

/// Most items one redemption burns (transaction size and instruction limits).
#[constant]
pub const MAX_BURN_PER_REDEMPTION: u8 = 4;

/// The Address Lookup Table program, which owns every lookup table.
#[constant]
pub const ADDRESS_LOOKUP_TABLE_PROGRAM_ID: Pubkey =
    pubkey!("AddressLookupTab1e1111111111111111111111111");
