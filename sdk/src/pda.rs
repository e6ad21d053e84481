//! Program-derived addresses, one function per seed.
//!
//! Each returns the address with its canonical bump, exactly as the program derives it.

use anchor_lang::prelude::Pubkey;
use microdrop::{
    constants::{
        AIRDROP_SEED, BENEFIT_SEED, COLLECTION_MINT_SEED, DROP_SEED, EDITION_SEED,
        ITEM_PRICES_SEED, ITEM_SEED, ITEM_TIERS_SEED, METADATA_SEED, REDEMPTION_SEED, TIER_SEED,
        VAULT_SEED, VOUCHER_SEED, WALLET_SEED,
    },
    state::Drop,
};

use crate::{ASSOCIATED_TOKEN_PROGRAM_ID, TOKEN_METADATA_PROGRAM_ID, TOKEN_PROGRAM_ID};

/// The drop PDA `["drop", authority, id]`.
///
/// The seed is the id's first 32 bytes ([`Drop::id_seed`]); valid ids are never longer,
/// and `create_drop` refuses a longer one with `DropIdInvalid`.
///
/// ```
/// # use microdrop_sdk::{pda, Pubkey};
/// let creator = Pubkey::new_unique();
/// let (a, _) = pda::drop(&creator, "spring-zine");
/// assert_eq!(a, pda::drop(&creator, "spring-zine").0, "same config, same address");
/// ```
pub fn drop(authority: &Pubkey, id: &str) -> (Pubkey, u8) {
    Pubkey::find_program_address(
        &[DROP_SEED, authority.as_ref(), Drop::id_seed(id)],
        &microdrop::ID,
    )
}

/// The collection mint PDA `["collection", drop]`.
pub fn collection_mint(drop: &Pubkey) -> (Pubkey, u8) {
    Pubkey::find_program_address(&[COLLECTION_MINT_SEED, drop.as_ref()], &microdrop::ID)
}

/// The tier PDA `["tier", drop, [id]]`.
pub fn tier(drop: &Pubkey, id: u8) -> (Pubkey, u8) {
    Pubkey::find_program_address(&[TIER_SEED, drop.as_ref(), &[id]], &microdrop::ID)
}

/// A buyer's per-tier record `["wallet", tier, wallet]`.
pub fn wallet_record(tier: &Pubkey, wallet: &Pubkey) -> (Pubkey, u8) {
    Pubkey::find_program_address(
        &[WALLET_SEED, tier.as_ref(), wallet.as_ref()],
        &microdrop::ID,
    )
}

/// The drop's vault `["vault", drop]`: receives proceeds and royalties.
pub fn vault(drop: &Pubkey) -> (Pubkey, u8) {
    Pubkey::find_program_address(&[VAULT_SEED, drop.as_ref()], &microdrop::ID)
}

/// The mint of item `index` (numbered from 1) `["item", drop, index as u64 LE]`.
pub fn item_mint(drop: &Pubkey, index: u64) -> (Pubkey, u8) {
    Pubkey::find_program_address(
        &[ITEM_SEED, drop.as_ref(), &index.to_le_bytes()],
        &microdrop::ID,
    )
}

/// A spent single-use voucher's nonce record `["voucher", tier, nonce LE]`.
pub fn voucher_nonce(tier: &Pubkey, nonce: u64) -> (Pubkey, u8) {
    Pubkey::find_program_address(
        &[VOUCHER_SEED, tier.as_ref(), &nonce.to_le_bytes()],
        &microdrop::ID,
    )
}

/// A gate item's record for a holder-limited tier: `["holder", tier, item mint]`.
pub fn holder_record(tier: &Pubkey, item: &Pubkey) -> (Pubkey, u8) {
    Pubkey::find_program_address(
        &[microdrop::HOLDER_SEED, tier.as_ref(), item.as_ref()],
        &microdrop::ID,
    )
}

/// The drop's ledger for a token other than its currency: `["ledger", drop, mint]`.
pub fn token_ledger(drop: &Pubkey, mint: &Pubkey) -> (Pubkey, u8) {
    Pubkey::find_program_address(
        &[microdrop::LEDGER_SEED, drop.as_ref(), mint.as_ref()],
        &microdrop::ID,
    )
}

/// The drop's item-tier table `["item_tiers", drop]`.
pub fn item_tiers(drop: &Pubkey) -> (Pubkey, u8) {
    Pubkey::find_program_address(&[ITEM_TIERS_SEED, drop.as_ref()], &microdrop::ID)
}

/// A preorder drop's item-price table `["item_prices", drop]`.
pub fn item_prices(drop: &Pubkey) -> (Pubkey, u8) {
    Pubkey::find_program_address(&[ITEM_PRICES_SEED, drop.as_ref()], &microdrop::ID)
}

/// The airdrop record of `recipient` in list `list` of `drop`:
/// `["airdrop", drop, list, recipient]`.
pub fn airdrop_record(drop: &Pubkey, list: &[u8; 32], recipient: &Pubkey) -> (Pubkey, u8) {
    Pubkey::find_program_address(
        &[AIRDROP_SEED, drop.as_ref(), list, recipient.as_ref()],
        &microdrop::ID,
    )
}

/// The benefit PDA `["benefit", drop, [id]]`.
pub fn benefit(drop: &Pubkey, id: u8) -> (Pubkey, u8) {
    Pubkey::find_program_address(&[BENEFIT_SEED, drop.as_ref(), &[id]], &microdrop::ID)
}

/// Redemption receipt number `index` of `benefit`: `["redemption", benefit, index LE]`.
pub fn redemption(benefit: &Pubkey, index: u64) -> (Pubkey, u8) {
    Pubkey::find_program_address(
        &[REDEMPTION_SEED, benefit.as_ref(), &index.to_le_bytes()],
        &microdrop::ID,
    )
}

/// Token Metadata's metadata account of `mint`.
pub fn metadata(mint: &Pubkey) -> (Pubkey, u8) {
    Pubkey::find_program_address(
        &[
            METADATA_SEED,
            TOKEN_METADATA_PROGRAM_ID.as_ref(),
            mint.as_ref(),
        ],
        &TOKEN_METADATA_PROGRAM_ID,
    )
}

/// Token Metadata's master edition account of `mint`.
pub fn master_edition(mint: &Pubkey) -> (Pubkey, u8) {
    Pubkey::find_program_address(
        &[
            METADATA_SEED,
            TOKEN_METADATA_PROGRAM_ID.as_ref(),
            mint.as_ref(),
            EDITION_SEED,
        ],
        &TOKEN_METADATA_PROGRAM_ID,
    )
}

/// The associated token account of `owner` for `mint` (SPL Token program).
pub fn associated_token(owner: &Pubkey, mint: &Pubkey) -> (Pubkey, u8) {
    Pubkey::find_program_address(
        &[owner.as_ref(), TOKEN_PROGRAM_ID.as_ref(), mint.as_ref()],
        &ASSOCIATED_TOKEN_PROGRAM_ID,
    )
}

/// `owner`'s Token-2022 associated token account for `mint`.
pub fn associated_token_2022(owner: &Pubkey, mint: &Pubkey) -> (Pubkey, u8) {
    Pubkey::find_program_address(
        &[
            owner.as_ref(),
            crate::TOKEN_2022_PROGRAM_ID.as_ref(),
            mint.as_ref(),
        ],
        &ASSOCIATED_TOKEN_PROGRAM_ID,
    )
}

/// Anchor's event authority PDA, the signer of the program's `emit_cpi!` self-invocations.
pub fn event_authority() -> (Pubkey, u8) {
    Pubkey::find_program_address(&[b"__event_authority"], &microdrop::ID)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_authority_matches_the_program() {
        assert_eq!(event_authority().0, microdrop::EVENT_AUTHORITY_AND_BUMP.0);
        assert_eq!(event_authority().1, microdrop::EVENT_AUTHORITY_AND_BUMP.1);
    }

    #[test]
    fn items_match_the_program() {
        let drop = Pubkey::new_unique();
        assert_eq!(
            item_mint(&drop, 7),
            microdrop::instructions::mint::item_mint_address(&drop, 7)
        );
        let mint = Pubkey::new_unique();
        assert_eq!(
            metadata(&mint).0,
            microdrop::items::token_metadata::metadata_address(&mint)
        );
        assert_eq!(
            master_edition(&mint).0,
            microdrop::items::token_metadata::master_edition_address(&mint)
        );
    }

    #[test]
    fn drops_differ_by_authority_and_id() {
        let a = Pubkey::new_unique();
        let b = Pubkey::new_unique();
        assert_ne!(drop(&a, "x").0, drop(&b, "x").0);
        assert_ne!(drop(&a, "x").0, drop(&a, "y").0);
    }

    #[test]
    fn an_id_longer_than_a_seed_still_derives() {
        let a = Pubkey::new_unique();
        assert_eq!(drop(&a, &"x".repeat(33)), drop(&a, &"x".repeat(32)));
    }
}
