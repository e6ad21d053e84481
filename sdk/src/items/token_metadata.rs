//! Token Metadata items: a Metaplex NFT per item (a mint PDA, one token in the holder's
//! associated token account, metadata, a master edition) verified into the drop's sized
//! collection NFT.

use anchor_lang::prelude::Pubkey;

use crate::{accounts, pda};

/// Accounts each item takes in `mint` and `redeem`.
pub const ACCOUNTS_PER_ITEM: usize = microdrop::items::token_metadata::ACCOUNTS_PER_ITEM;

/// The accounts of item `index` of `drop` held by `holder`, in the order `mint` and
/// `redeem` take them: its mint, the holder's token account, its metadata and its master
/// edition.
pub fn item_accounts(drop: &Pubkey, holder: &Pubkey, index: u64) -> [Pubkey; ACCOUNTS_PER_ITEM] {
    let mint = pda::item_mint(drop, index).0;
    [
        mint,
        pda::associated_token(holder, &mint).0,
        pda::metadata(&mint).0,
        pda::master_edition(&mint).0,
    ]
}

/// The collection NFT's metadata and master edition, which minting and redeeming touch.
pub fn collection_accounts(collection_mint: &Pubkey) -> [Pubkey; 2] {
    [
        pda::metadata(collection_mint).0,
        pda::master_edition(collection_mint).0,
    ]
}

/// The account that says which collection the item with mint `mint` belongs to (its
/// metadata): what a holder gate and [`origin`] read.
pub fn membership_account(mint: &Pubkey) -> Pubkey {
    pda::metadata(mint).0
}

/// Whether `membership` (the data of [`membership_account`]) shows an item verified into
/// `collection`.
pub fn is_verified_member(membership: &[u8], collection: &Pubkey) -> bool {
    accounts::decode_metadata(membership).is_ok_and(|metadata| {
        metadata
            .collection
            .is_some_and(|c| c.verified && c.key == *collection)
    })
}

/// The drop PDA and index a microdrop item's `membership` data claims: its first creator,
/// verified (which only the program can do for its drop PDA), and the number its name ends
/// in (` #<index>`), when the item's `mint` is that drop's item PDA for that number. The
/// caller checks that the drop exists.
pub fn origin(membership: &[u8], mint: &Pubkey) -> Option<(Pubkey, u64)> {
    let metadata = accounts::decode_metadata(membership).ok()?;
    let first = metadata
        .creators
        .as_ref()
        .and_then(|c| c.first())
        .filter(|c| c.verified)?;
    metadata
        .name
        .rsplit_once(" #")
        .and_then(|(_, n)| n.parse::<u64>().ok())
        .filter(|n| pda::item_mint(&first.address, *n).0 == *mint)
        .map(|n| (first.address, n))
}
