//! What an item is, per item standard, on the client's side: the accounts an item takes in
//! `mint` and `redeem`, and how a held item is recognised as a collection's member or as a
//! drop's own. It mirrors the program's `items` module, one module per standard; the
//! functions here pick the standard, and the client and the instruction builders call them
//! and stay standard-agnostic.

pub mod token_2022;
pub mod token_metadata;

use anchor_lang::prelude::Pubkey;
pub use microdrop::{
    constants::max_items_per_mint,
    items::{accounts_per_item, tier_in_table},
    state::ItemStandard,
};

use crate::{TOKEN_2022_PROGRAM_ID, TOKEN_PROGRAM_ID};

/// The accounts of item `index` of a `standard` drop held by `holder`, in the order `mint`
/// and `redeem` take them.
pub fn item_accounts(
    standard: ItemStandard,
    drop: &Pubkey,
    holder: &Pubkey,
    index: u64,
) -> Vec<Pubkey> {
    match standard {
        ItemStandard::TokenMetadata => token_metadata::item_accounts(drop, holder, index).to_vec(),
        ItemStandard::Token2022 => token_2022::item_accounts(drop, holder, index).to_vec(),
    }
}

/// The token program of a `standard` drop's items.
pub fn token_program(standard: ItemStandard) -> Pubkey {
    match standard {
        ItemStandard::TokenMetadata => TOKEN_PROGRAM_ID,
        ItemStandard::Token2022 => TOKEN_2022_PROGRAM_ID,
    }
}

/// Accounts every mint of a `standard` drop touches besides the program's own, for the
/// drop's lookup table.
pub fn shared_accounts(standard: ItemStandard, collection_mint: &Pubkey) -> Vec<Pubkey> {
    match standard {
        ItemStandard::TokenMetadata => {
            let mut out = token_metadata::collection_accounts(collection_mint).to_vec();
            out.push(crate::TOKEN_METADATA_PROGRAM_ID);
            out
        }
        ItemStandard::Token2022 => vec![TOKEN_2022_PROGRAM_ID],
    }
}

/// The account proving which collection the item with mint `mint`, held in an account of
/// `token_program`, belongs to: Token Metadata's metadata for SPL Token items, the mint
/// itself for Token-2022 items. What a holder gate takes beside the token account.
pub fn membership_account(token_program: &Pubkey, mint: &Pubkey) -> Pubkey {
    if *token_program == TOKEN_2022_PROGRAM_ID {
        token_2022::membership_account(mint)
    } else {
        token_metadata::membership_account(mint)
    }
}

/// Whether `membership` (the data of [`membership_account`]) shows the item with mint
/// `mint` is a verified member of `collection`.
pub fn is_verified_member(
    token_program: &Pubkey,
    membership: &[u8],
    mint: &Pubkey,
    collection: &Pubkey,
) -> bool {
    if *token_program == TOKEN_2022_PROGRAM_ID {
        token_2022::is_verified_member(membership, mint, collection)
    } else {
        token_metadata::is_verified_member(membership, collection)
    }
}

/// The drop PDA and index a microdrop item claims, from its [`membership_account`]'s data,
/// when `mint` is that drop's item PDA for that index. The caller checks the drop exists.
pub fn origin(token_program: &Pubkey, membership: &[u8], mint: &Pubkey) -> Option<(Pubkey, u64)> {
    if *token_program == TOKEN_2022_PROGRAM_ID {
        token_2022::origin(membership, mint)
    } else {
        token_metadata::origin(membership, mint)
    }
}

/// The tier that sold item `index`, whose [`membership_account`] holds `membership`: for
/// Token Metadata from the drop's item-tier table `table`, for Token-2022 from the item's
/// own `tier` metadata field.
pub fn tier_of(token_program: &Pubkey, membership: &[u8], table: &[u8], index: u64) -> Option<u8> {
    if *token_program == TOKEN_2022_PROGRAM_ID {
        let metadata = token_2022::metadata(membership)?;
        token_2022::field(&metadata, token_2022::TIER_KEY)?
            .parse()
            .ok()
    } else {
        microdrop::state::item_tiers::tier_of(table, index)
            .ok()
            .flatten()
    }
}

/// The name users write for a standard (`drop.toml`'s `standard`, JSON's `standard`).
pub fn standard_name(standard: ItemStandard) -> &'static str {
    match standard {
        ItemStandard::TokenMetadata => "token-metadata",
        ItemStandard::Token2022 => "token-2022",
    }
}

/// The standard a name ([`standard_name`]) stands for.
pub fn parse_standard(name: &str) -> Option<ItemStandard> {
    match name {
        "token-metadata" => Some(ItemStandard::TokenMetadata),
        "token-2022" => Some(ItemStandard::Token2022),
        _ => None,
    }
}
