//! What an item is, per item standard.
//!
//! Everything that differs between standards (how a drop's collection and its items are
//! made, how an item is recognised as the drop's or as a holder gate's, how it is burned
//! and corrected) lives in one module per standard: [`token_metadata`] and [`token_2022`].
//! The instructions call the functions here, which pick the drop's standard, and keep
//! tiers, payments and limits standard-agnostic.

pub mod token_2022;
pub mod token_metadata;

use anchor_lang::prelude::*;

use crate::{
    constants::ITEM_URI_INDEX_PLACEHOLDER,
    errors::MicrodropError,
    state::{Drop, ItemStandard},
};

/// Renders the item URI template for `index`.
pub fn item_uri(template: &str, index: u64) -> String {
    template.replace(ITEM_URI_INDEX_PLACEHOLDER, &index.to_string())
}

/// Whether the drop's item-tier table records which tier sold each item. Token Metadata
/// items cannot say it themselves; Token-2022 items carry it in their metadata (the `tier`
/// field, which only the drop PDA can change), so their mints neither grow the table nor
/// charge buyers its rent.
pub fn tier_in_table(standard: ItemStandard) -> bool {
    standard == ItemStandard::TokenMetadata
}

/// The tier that sold the item with accounts `item` (checked by `check_held_item`), item
/// `index` of the drop: from the item-tier table `table` or the item itself.
pub fn tier_of(
    standard: ItemStandard,
    item: &[AccountInfo<'_>],
    table: &[u8],
    index: u64,
) -> Result<Option<u8>> {
    match standard {
        ItemStandard::TokenMetadata => crate::state::item_tiers::tier_of(table, index),
        ItemStandard::Token2022 => {
            let mint = item.first().ok_or(MicrodropError::ItemAccountsMismatch)?;
            token_2022::tier_of(mint)
        }
    }
}

/// Accounts each item of `standard` takes in `mint` and `redeem`.
pub fn accounts_per_item(standard: ItemStandard) -> usize {
    match standard {
        ItemStandard::TokenMetadata => token_metadata::ACCOUNTS_PER_ITEM,
        ItemStandard::Token2022 => token_2022::ACCOUNTS_PER_ITEM,
    }
}

/// `accounts` are those of the item with mint `mint` held by `holder`, in the order the
/// standard's `item_accounts` gives.
pub fn check_item_accounts(
    standard: ItemStandard,
    accounts: &[AccountInfo<'_>],
    mint: &Pubkey,
    holder: &Pubkey,
) -> Result<()> {
    let matches = |expected: &[Pubkey]| {
        accounts.len() == expected.len()
            && accounts
                .iter()
                .zip(expected)
                .all(|(account, expected)| account.key == expected)
    };
    let ok = match standard {
        ItemStandard::TokenMetadata => matches(&token_metadata::item_accounts(mint, holder)),
        ItemStandard::Token2022 => matches(&token_2022::item_accounts(mint, holder)),
    };
    require!(ok, MicrodropError::ItemAccountsMismatch);
    Ok(())
}

/// The accounts an instruction holds for the item standards: each standard needs its own,
/// and a drop's instruction must carry those of the drop's standard.
pub struct StandardAccounts<'a, 'info> {
    /// The drop's collection mint (address-checked by the instruction).
    pub collection_mint: &'a AccountInfo<'info>,
    /// Token Metadata: the collection's metadata PDA.
    pub collection_metadata: Option<&'a AccountInfo<'info>>,
    /// Token Metadata: the collection's master edition PDA (where the instruction has it).
    pub collection_master_edition: Option<&'a AccountInfo<'info>>,
    /// Token Metadata: its program.
    pub token_metadata_program: Option<&'a AccountInfo<'info>>,
    /// Token-2022: its program.
    pub token_2022_program: Option<&'a AccountInfo<'info>>,
}

impl<'info> StandardAccounts<'_, 'info> {
    /// Checks the standard's accounts are all there, and (Token Metadata) that the
    /// collection's metadata and, when `edition` is needed, master edition are the
    /// collection mint's.
    pub fn check(&self, standard: ItemStandard, edition: bool) -> Result<()> {
        let ok = match standard {
            ItemStandard::TokenMetadata => {
                let mint = self.collection_mint.key;
                self.token_metadata_program.is_some()
                    && self
                        .collection_metadata
                        .is_some_and(|m| *m.key == token_metadata::metadata_address(mint))
                    && (!edition
                        || self.collection_master_edition.is_some_and(|e| {
                            *e.key == token_metadata::master_edition_address(mint)
                        }))
            }
            ItemStandard::Token2022 => self.token_2022_program.is_some(),
        };
        require!(ok, MicrodropError::StandardAccountsMismatch);
        Ok(())
    }

    fn metadata(&self) -> Result<&AccountInfo<'info>> {
        self.collection_metadata
            .ok_or_else(|| error!(MicrodropError::StandardAccountsMismatch))
    }

    fn token_2022(&self) -> Result<&AccountInfo<'info>> {
        self.token_2022_program
            .ok_or_else(|| error!(MicrodropError::StandardAccountsMismatch))
    }
}

/// What creating a collection or an item needs besides its own accounts.
#[derive(Clone, Copy)]
pub struct Creation<'a, 'info> {
    /// The drop PDA, signing with the drop's seeds.
    pub drop: &'a AccountInfo<'info>,
    /// Pays every account.
    pub payer: &'a AccountInfo<'info>,
    /// Receives the token in its associated token account: the payer, or an airdrop's
    /// recipient.
    pub owner: &'a AccountInfo<'info>,
    /// The items' token program: SPL Token for Token Metadata items, Token-2022 for
    /// Token-2022 items.
    pub token_program: &'a AccountInfo<'info>,
    pub system_program: &'a AccountInfo<'info>,
}

/// One item to create: its accounts (in the standard's `item_accounts` order), its index,
/// the tier selling it (none: airdropped outside tiers), and its mint PDA's signer seeds.
pub struct NewItem<'a, 'info> {
    pub accounts: &'a [AccountInfo<'info>],
    pub index: u64,
    pub tier_id: Option<u8>,
    pub mint_seeds: &'a [&'a [u8]],
}

/// Makes room in an open edition's collection for the items up to index `last`, before
/// they are created. Token Metadata sizes its collection as items are verified, so only
/// a Token-2022 group (whose `max_size` follows the items) needs it; a capped drop's
/// group was sized for its supply at creation.
pub fn make_room<'info>(
    standard: &StandardAccounts<'_, 'info>,
    drop_info: &AccountInfo<'info>,
    drop: &Drop,
    last: u64,
    signer: &[&[&[u8]]],
) -> Result<()> {
    if drop.standard != ItemStandard::Token2022 || !drop.is_open() {
        return Ok(());
    }
    token_2022::raise_group_max_size(
        standard.token_2022()?,
        standard.collection_mint,
        drop_info,
        last,
        signer,
    )
}

/// Creates item `item` of `drop` to the creation's owner, in the drop's standard.
pub fn create_item<'info>(
    creation: &Creation<'_, 'info>,
    standard: &StandardAccounts<'_, 'info>,
    drop: &Drop,
    vault: &Pubkey,
    item: &NewItem<'_, 'info>,
    signer: &[&[&[u8]]],
) -> Result<()> {
    match drop.standard {
        ItemStandard::TokenMetadata => {
            let edition = standard
                .collection_master_edition
                .ok_or(MicrodropError::StandardAccountsMismatch)?;
            token_metadata::create_item(
                creation,
                &token_metadata::NewNft {
                    accounts: item.accounts,
                    mint_seeds: item.mint_seeds,
                },
                drop,
                vault,
                item.index,
                &token_metadata::CollectionAccounts {
                    mint: standard.collection_mint,
                    metadata: standard.metadata()?,
                    edition,
                },
                signer,
            )
        }
        ItemStandard::Token2022 => {
            let [mint, token_account] = item.accounts else {
                return err!(MicrodropError::ItemAccountsMismatch);
            };
            token_2022::create_item(
                &Creation {
                    token_program: standard.token_2022()?,
                    ..*creation
                },
                &token_2022::NewMint {
                    mint,
                    token_account,
                    mint_seeds: item.mint_seeds,
                },
                drop,
                vault,
                item.index,
                item.tier_id,
                standard.collection_mint,
                signer,
            )
        }
    }
}

/// A holder gate: `token`, the buyer's token account, holds an item of `collection`, as
/// `proof` shows: for an SPL Token account, the item's Token Metadata metadata (verified
/// into the collection); for a Token-2022 account, the item's mint (a member of the
/// collection's group). The gate's standard is the token account's; it need not be the
/// drop's. Returns the item's mint.
pub fn check_gate(
    token: &AccountInfo<'_>,
    proof: &AccountInfo<'_>,
    buyer: &Pubkey,
    collection: &Pubkey,
) -> Result<Pubkey> {
    if *token.owner == anchor_spl::token_2022::ID {
        return token_2022::check_gate(token, proof, buyer, collection);
    }
    require_keys_eq!(
        *token.owner,
        anchor_spl::token::ID,
        MicrodropError::HolderItemInvalid
    );
    let data = token.try_borrow_data()?;
    let account = anchor_spl::token::TokenAccount::try_deserialize(&mut &data[..])
        .map_err(|_| error!(MicrodropError::HolderItemInvalid))?;
    token_metadata::check_gate(&account, proof, buyer, collection)
}

/// Item `index` of the drop, held by `holder`, can be burned (its accounts in the
/// standard's order).
pub fn check_held_item(
    drop_key: &Pubkey,
    drop: &Drop,
    item: &[AccountInfo<'_>],
    holder: &Pubkey,
    index: u64,
) -> Result<()> {
    match drop.standard {
        ItemStandard::TokenMetadata => {
            token_metadata::check_held_item(item, drop_key, &drop.collection_mint, holder, index)
        }
        ItemStandard::Token2022 => {
            token_2022::check_held_item(item, drop_key, &drop.collection_mint, holder, index)
        }
    }
}

/// Burns a held item, returning its rent to the holder: for Token Metadata, what Token
/// Metadata's burn returns (token account, metadata, edition); for Token-2022, all of it
/// (token account and mint).
pub fn burn_item<'info>(
    standard: &StandardAccounts<'_, 'info>,
    drop_info: &AccountInfo<'info>,
    drop: &Drop,
    item: &[AccountInfo<'info>],
    holder: &AccountInfo<'info>,
    token_program: &AccountInfo<'info>,
    signer: &[&[&[u8]]],
) -> Result<()> {
    match drop.standard {
        ItemStandard::TokenMetadata => {
            token_metadata::burn_item(item, holder, token_program, standard.metadata()?)
        }
        ItemStandard::Token2022 => token_2022::burn_item(item, holder, drop_info, signer),
    }
}
