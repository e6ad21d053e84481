//! Cross-program calls shared by the instructions: Token Metadata and PDA account creation.
//!
//! Token Metadata instructions are built with `mpl_token_metadata`'s builders and invoked
//! with the drop PDA's seeds: the drop PDA is the update authority of the collection and of
//! every item, and the mint authority of each item mint.

use anchor_lang::{
    prelude::*,
    solana_program::program::{invoke, invoke_signed},
    system_program,
};
use anchor_spl::metadata::mpl_token_metadata::{
    self,
    instructions::{
        CreateMasterEditionV3, CreateMasterEditionV3InstructionArgs, CreateMetadataAccountV3,
        CreateMetadataAccountV3InstructionArgs, VerifySizedCollectionItem,
    },
    types::{CollectionDetails, DataV2},
};

/// Accounts every Token Metadata create call needs.
pub struct NftAccounts<'a, 'info> {
    pub metadata: &'a AccountInfo<'info>,
    pub edition: &'a AccountInfo<'info>,
    pub mint: &'a AccountInfo<'info>,
    /// The drop PDA: mint and update authority.
    pub authority: &'a AccountInfo<'info>,
    pub payer: &'a AccountInfo<'info>,
    pub token_program: &'a AccountInfo<'info>,
    pub system_program: &'a AccountInfo<'info>,
}

/// Creates a mutable metadata account whose update authority is the (signing) drop PDA.
pub fn create_metadata(
    accounts: &NftAccounts<'_, '_>,
    data: DataV2,
    collection_details: Option<CollectionDetails>,
    signer: &[&[&[u8]]],
) -> Result<()> {
    let ix = CreateMetadataAccountV3 {
        metadata: accounts.metadata.key(),
        mint: accounts.mint.key(),
        mint_authority: accounts.authority.key(),
        payer: accounts.payer.key(),
        update_authority: (accounts.authority.key(), true),
        system_program: system_program::ID,
        rent: None,
    }
    .instruction(CreateMetadataAccountV3InstructionArgs {
        data,
        is_mutable: true,
        collection_details,
    });
    invoke_signed(
        &ix,
        &[
            accounts.metadata.clone(),
            accounts.mint.clone(),
            accounts.authority.clone(),
            accounts.payer.clone(),
            accounts.system_program.clone(),
        ],
        signer,
    )
    .map_err(Into::into)
}

/// Creates a master edition with no prints: the token stays one of one, and the edition
/// takes over the mint and freeze authorities.
pub fn create_master_edition(accounts: &NftAccounts<'_, '_>, signer: &[&[&[u8]]]) -> Result<()> {
    let ix = CreateMasterEditionV3 {
        edition: accounts.edition.key(),
        mint: accounts.mint.key(),
        update_authority: accounts.authority.key(),
        mint_authority: accounts.authority.key(),
        payer: accounts.payer.key(),
        metadata: accounts.metadata.key(),
        token_program: accounts.token_program.key(),
        system_program: system_program::ID,
        rent: None,
    }
    .instruction(CreateMasterEditionV3InstructionArgs {
        max_supply: Some(0),
    });
    invoke_signed(
        &ix,
        &[
            accounts.edition.clone(),
            accounts.mint.clone(),
            accounts.authority.clone(),
            accounts.payer.clone(),
            accounts.metadata.clone(),
            accounts.token_program.clone(),
            accounts.system_program.clone(),
        ],
        signer,
    )
    .map_err(Into::into)
}

/// Collection accounts for verification.
pub struct CollectionAccounts<'a, 'info> {
    pub mint: &'a AccountInfo<'info>,
    pub metadata: &'a AccountInfo<'info>,
    pub edition: &'a AccountInfo<'info>,
}

/// Verifies an item into the drop's sized collection (the drop PDA signs as its authority).
pub fn verify_collection_item<'info>(
    item_metadata: &AccountInfo<'info>,
    authority: &AccountInfo<'info>,
    payer: &AccountInfo<'info>,
    collection: &CollectionAccounts<'_, 'info>,
    signer: &[&[&[u8]]],
) -> Result<()> {
    let ix = VerifySizedCollectionItem {
        metadata: item_metadata.key(),
        collection_authority: authority.key(),
        payer: payer.key(),
        collection_mint: collection.mint.key(),
        collection: collection.metadata.key(),
        collection_master_edition_account: collection.edition.key(),
        collection_authority_record: None,
    }
    .instruction();
    invoke_signed(
        &ix,
        &[
            item_metadata.clone(),
            authority.clone(),
            payer.clone(),
            collection.mint.clone(),
            collection.metadata.clone(),
            collection.edition.clone(),
        ],
        signer,
    )
    .map_err(Into::into)
}

/// Creates a PDA account owned by `owner`, even if someone already sent lamports to its
/// (predictable) address: `create_account` would refuse such an account, which would let
/// anyone block a mint with a plain transfer.
pub fn create_pda_account<'info>(
    payer: &AccountInfo<'info>,
    target: &AccountInfo<'info>,
    system: &AccountInfo<'info>,
    space: usize,
    owner: &Pubkey,
    seeds: &[&[u8]],
) -> Result<()> {
    let rent = Rent::get()?.minimum_balance(space);
    let space_u64 =
        u64::try_from(space).map_err(|_| crate::errors::MicrodropError::ArithmeticOverflow)?;
    if target.lamports() == 0 {
        let ix = anchor_lang::solana_program::system_instruction::create_account(
            payer.key, target.key, rent, space_u64, owner,
        );
        return invoke_signed(
            &ix,
            &[payer.clone(), target.clone(), system.clone()],
            &[seeds],
        )
        .map_err(Into::into);
    }
    let top_up = rent.saturating_sub(target.lamports());
    if top_up > 0 {
        let ix = anchor_lang::solana_program::system_instruction::transfer(
            payer.key, target.key, top_up,
        );
        invoke(&ix, &[payer.clone(), target.clone(), system.clone()])?;
    }
    let allocate = anchor_lang::solana_program::system_instruction::allocate(target.key, space_u64);
    invoke_signed(&allocate, &[target.clone(), system.clone()], &[seeds])?;
    let assign = anchor_lang::solana_program::system_instruction::assign(target.key, owner);
    invoke_signed(&assign, &[target.clone(), system.clone()], &[seeds]).map_err(Into::into)
}

/// The Token Metadata metadata PDA of `mint`.
pub fn metadata_address(mint: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(
        &[
            crate::constants::METADATA_SEED,
            mpl_token_metadata::ID.as_ref(),
            mint.as_ref(),
        ],
        &mpl_token_metadata::ID,
    )
    .0
}

/// The Token Metadata master edition PDA of `mint`.
pub fn master_edition_address(mint: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(
        &[
            crate::constants::METADATA_SEED,
            mpl_token_metadata::ID.as_ref(),
            mint.as_ref(),
            crate::constants::EDITION_SEED,
        ],
        &mpl_token_metadata::ID,
    )
    .0
}
