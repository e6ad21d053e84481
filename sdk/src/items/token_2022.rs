//! Token-2022 items: one Token-2022 mint per item carrying its own metadata (with the
//! royalty and the selling tier as additional fields) and its membership of the drop's
//! collection group, and one token in the holder's Token-2022 associated token account.
//! The program's `items::token_2022` makes them.

use anchor_lang::prelude::Pubkey;
use anchor_spl::token_2022::spl_token_2022::{
    extension::{BaseStateWithExtensions, StateWithExtensions},
    state::Mint,
};
use anchor_spl::token_interface::spl_token_metadata_interface::state::TokenMetadata;
use spl_token_group_interface::state::{TokenGroup, TokenGroupMember};

use crate::pda;

pub use microdrop::items::token_2022::{ACCOUNTS_PER_ITEM, ROYALTY_BASIS_POINTS_KEY, TIER_KEY};

/// The accounts of item `index` of `drop` held by `holder`, in the order `mint` and
/// `redeem` take them: its mint and the holder's Token-2022 token account.
pub fn item_accounts(drop: &Pubkey, holder: &Pubkey, index: u64) -> [Pubkey; ACCOUNTS_PER_ITEM] {
    let mint = pda::item_mint(drop, index).0;
    [mint, pda::associated_token_2022(holder, &mint).0]
}

/// The account that says which collection the item with mint `mint` belongs to: the mint
/// itself, whose group member extension names the group.
pub fn membership_account(mint: &Pubkey) -> Pubkey {
    *mint
}

/// The group the Token-2022 mint `data` (at `mint`) is a member of, from its member
/// extension (written only by Token-2022, with the group's update authority signing).
pub fn group_of(data: &[u8], mint: &Pubkey) -> Option<Pubkey> {
    let state = StateWithExtensions::<Mint>::unpack(data).ok()?;
    let member = state.get_extension::<TokenGroupMember>().ok()?;
    (member.mint == *mint).then_some(member.group)
}

/// Whether the mint `data` at `mint` is a member of `collection`'s group.
pub fn is_verified_member(data: &[u8], mint: &Pubkey, collection: &Pubkey) -> bool {
    group_of(data, mint) == Some(*collection)
}

/// A Token-2022 mint's metadata extension.
pub fn metadata(data: &[u8]) -> Option<TokenMetadata> {
    let state = StateWithExtensions::<Mint>::unpack(data).ok()?;
    state.get_variable_len_extension::<TokenMetadata>().ok()
}

/// The group of a collection mint: its size and most members.
pub fn group(data: &[u8]) -> Option<(u64, u64)> {
    let state = StateWithExtensions::<Mint>::unpack(data).ok()?;
    let group = state.get_extension::<TokenGroup>().ok()?;
    Some((u64::from(group.size), u64::from(group.max_size)))
}

/// The value of additional metadata field `key`.
pub fn field<'a>(metadata: &'a TokenMetadata, key: &str) -> Option<&'a str> {
    metadata
        .additional_metadata
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

/// Whether the mint `data` has the non-transferable extension (a soulbound item).
pub fn is_soulbound(data: &[u8]) -> bool {
    use anchor_spl::token_2022::spl_token_2022::extension::non_transferable::NonTransferable;
    StateWithExtensions::<Mint>::unpack(data)
        .is_ok_and(|state| state.get_extension::<NonTransferable>().is_ok())
}

/// The drop PDA and index a microdrop Token-2022 item's mint `data` claims: its metadata's
/// update authority (the drop PDA) and the number its name ends in, when `mint` is that
/// drop's item PDA for that number (only the program creates accounts there). The caller
/// checks that the drop exists.
pub fn origin(data: &[u8], mint: &Pubkey) -> Option<(Pubkey, u64)> {
    let metadata = metadata(data)?;
    let drop = Option::<Pubkey>::from(metadata.update_authority)?;
    metadata
        .name
        .rsplit_once(" #")
        .and_then(|(_, n)| n.parse::<u64>().ok())
        .filter(|n| pda::item_mint(&drop, *n).0 == *mint)
        .map(|n| (drop, n))
}
