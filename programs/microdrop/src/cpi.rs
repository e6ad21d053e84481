//! Cross-program calls shared by the instructions: Token Metadata and PDA account creation.
//!
//! Token Metadata instructions are invoked with the drop PDA's seeds: the drop PDA is the
//! update authority of the collection and of every item, and the mint authority of each
//! item mint.
//!
//! They are built here rather than with `mpl_token_metadata`'s builders. Those serialize
//! with `borsh::to_vec`, which reserves 1 KiB per call, twice per instruction with
//! arguments. sBPF's 32 KiB heap never frees, so that was about 5 KiB of every item's 9.5
//! (measured by the `limits` suite); a three-item mint needed 39.7 KB. [`tm_instruction`]
//! sizes each buffer exactly, and a unit test checks every instruction is byte-for-byte
//! what mpl's builder makes.

use anchor_lang::solana_program::instruction::{AccountMeta, Instruction};
use anchor_lang::{
    prelude::*,
    solana_program::program::{invoke, invoke_signed},
    system_program,
};
use anchor_spl::metadata::mpl_token_metadata::{
    self,
    instructions::{
        CreateMasterEditionV3InstructionArgs, CreateMetadataAccountV3InstructionArgs,
        UpdateMetadataAccountV2InstructionArgs,
    },
    types::{CollectionDetails, DataV2},
};

/// Token Metadata's instruction discriminators (its `MetadataInstruction` variants).
pub mod tm_discriminator {
    pub const CREATE_METADATA_ACCOUNT_V3: u8 = 33;
    pub const CREATE_MASTER_EDITION_V3: u8 = 17;
    pub const VERIFY_SIZED_COLLECTION_ITEM: u8 = 30;
    pub const BURN_NFT: u8 = 29;
    pub const UPDATE_METADATA_ACCOUNT_V2: u8 = 15;
}

/// A Token Metadata instruction: `discriminator`, then the borsh of `args`, in a buffer of
/// exactly that size.
pub fn tm_instruction<A: AnchorSerialize>(
    discriminator: u8,
    args: Option<&A>,
    accounts: Vec<AccountMeta>,
) -> Result<Instruction> {
    let len = match args {
        Some(args) => anchor_lang::prelude::borsh::object_length(args)
            .map_err(|_| crate::errors::MicrodropError::ArithmeticOverflow)?,
        None => 0,
    };
    let mut data = Vec::with_capacity(1 + len);
    data.push(discriminator);
    if let Some(args) = args {
        args.serialize(&mut data)?;
    }
    Ok(Instruction {
        program_id: mpl_token_metadata::ID,
        accounts,
        data,
    })
}

/// `CreateMetadataAccountV3` with the drop PDA as mint and (signing) update authority.
pub fn create_metadata_ix(
    metadata: &Pubkey,
    mint: &Pubkey,
    authority: &Pubkey,
    payer: &Pubkey,
    args: &CreateMetadataAccountV3InstructionArgs,
) -> Result<Instruction> {
    tm_instruction(
        tm_discriminator::CREATE_METADATA_ACCOUNT_V3,
        Some(args),
        vec![
            AccountMeta::new(*metadata, false),
            AccountMeta::new_readonly(*mint, false),
            AccountMeta::new_readonly(*authority, true),
            AccountMeta::new(*payer, true),
            AccountMeta::new_readonly(*authority, true),
            AccountMeta::new_readonly(system_program::ID, false),
        ],
    )
}

/// `CreateMasterEditionV3` with the drop PDA as update and mint authority.
pub fn create_master_edition_ix(
    edition: &Pubkey,
    mint: &Pubkey,
    authority: &Pubkey,
    payer: &Pubkey,
    metadata: &Pubkey,
    token_program: &Pubkey,
    args: &CreateMasterEditionV3InstructionArgs,
) -> Result<Instruction> {
    tm_instruction(
        tm_discriminator::CREATE_MASTER_EDITION_V3,
        Some(args),
        vec![
            AccountMeta::new(*edition, false),
            AccountMeta::new(*mint, false),
            AccountMeta::new_readonly(*authority, true),
            AccountMeta::new_readonly(*authority, true),
            AccountMeta::new(*payer, true),
            AccountMeta::new(*metadata, false),
            AccountMeta::new_readonly(*token_program, false),
            AccountMeta::new_readonly(system_program::ID, false),
        ],
    )
}

/// `VerifySizedCollectionItem` signed by the collection's authority (the drop PDA).
pub fn verify_sized_collection_item_ix(
    metadata: &Pubkey,
    authority: &Pubkey,
    payer: &Pubkey,
    collection_mint: &Pubkey,
    collection_metadata: &Pubkey,
    collection_edition: &Pubkey,
) -> Result<Instruction> {
    tm_instruction::<()>(
        tm_discriminator::VERIFY_SIZED_COLLECTION_ITEM,
        None,
        vec![
            AccountMeta::new(*metadata, false),
            AccountMeta::new_readonly(*authority, true),
            AccountMeta::new(*payer, true),
            AccountMeta::new_readonly(*collection_mint, false),
            AccountMeta::new(*collection_metadata, false),
            AccountMeta::new_readonly(*collection_edition, false),
        ],
    )
}

/// The accounts of an item `BurnNft` closes, with its sized collection's metadata.
pub struct BurnAccounts<'a> {
    pub metadata: &'a Pubkey,
    pub owner: &'a Pubkey,
    pub mint: &'a Pubkey,
    pub token_account: &'a Pubkey,
    pub master_edition: &'a Pubkey,
    pub token_program: &'a Pubkey,
    pub collection_metadata: &'a Pubkey,
}

/// `BurnNft` of an item in a sized collection, signed by its owner.
pub fn burn_nft_ix(accounts: &BurnAccounts<'_>) -> Result<Instruction> {
    tm_instruction::<()>(
        tm_discriminator::BURN_NFT,
        None,
        vec![
            AccountMeta::new(*accounts.metadata, false),
            AccountMeta::new(*accounts.owner, true),
            AccountMeta::new(*accounts.mint, false),
            AccountMeta::new(*accounts.token_account, false),
            AccountMeta::new(*accounts.master_edition, false),
            AccountMeta::new_readonly(*accounts.token_program, false),
            AccountMeta::new(*accounts.collection_metadata, false),
        ],
    )
}

/// `UpdateMetadataAccountV2` signed by the update authority.
pub fn update_metadata_ix(
    metadata: &Pubkey,
    update_authority: &Pubkey,
    args: &UpdateMetadataAccountV2InstructionArgs,
) -> Result<Instruction> {
    tm_instruction(
        tm_discriminator::UPDATE_METADATA_ACCOUNT_V2,
        Some(args),
        vec![
            AccountMeta::new(*metadata, false),
            AccountMeta::new_readonly(*update_authority, true),
        ],
    )
}

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
    let ix = create_metadata_ix(
        accounts.metadata.key,
        accounts.mint.key,
        accounts.authority.key,
        accounts.payer.key,
        &CreateMetadataAccountV3InstructionArgs {
            data,
            is_mutable: true,
            collection_details,
        },
    )?;
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
    let ix = create_master_edition_ix(
        accounts.edition.key,
        accounts.mint.key,
        accounts.authority.key,
        accounts.payer.key,
        accounts.metadata.key,
        accounts.token_program.key,
        &CreateMasterEditionV3InstructionArgs {
            max_supply: Some(0),
        },
    )?;
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
    let ix = verify_sized_collection_item_ix(
        item_metadata.key,
        authority.key,
        payer.key,
        collection.mint.key,
        collection.metadata.key,
        collection.edition.key,
    )?;
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
/// (predictable) address.
///
/// Every account the program creates at a predictable address goes through here, never
/// through Anchor's `init`. With lamports already at the address, `init` uses the system
/// program's `CreateAccountAllowPrefund`, which exists only where SIMD-0312 is active;
/// elsewhere a plain transfer to the address would make its creation fail for good. This
/// tops the account up to rent exemption, then allocates and assigns it, which works under
/// any feature set. An address that already holds data or belongs to a program is refused
/// by the system program (`AccountAlreadyInUse`), as `create_account` refuses it.
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

/// Creates one of this program's accounts at a PDA (prefund-safe, see
/// [`create_pda_account`]) with `8 + T::INIT_SPACE` bytes and writes `value` into it.
pub fn create_program_account<'info, T: AccountSerialize + Space>(
    payer: &AccountInfo<'info>,
    target: &AccountInfo<'info>,
    system: &AccountInfo<'info>,
    seeds: &[&[u8]],
    value: &T,
) -> Result<()> {
    create_pda_account(payer, target, system, 8 + T::INIT_SPACE, &crate::ID, seeds)?;
    write_account(target, value)
}

/// Saves `value` at a PDA of this program: creates the account (prefund-safe) while this
/// program does not own it yet, and overwrites it afterwards.
pub fn save_program_account<'info, T: AccountSerialize + Space>(
    payer: &AccountInfo<'info>,
    target: &AccountInfo<'info>,
    system: &AccountInfo<'info>,
    seeds: &[&[u8]],
    value: &T,
) -> Result<()> {
    if *target.owner == crate::ID {
        write_account(target, value)
    } else {
        create_program_account(payer, target, system, seeds, value)
    }
}

/// Writes `value` (discriminator and fields) over an account of this program.
pub fn write_account<T: AccountSerialize>(target: &AccountInfo<'_>, value: &T) -> Result<()> {
    let mut data = target.try_borrow_mut_data()?;
    value.try_serialize(&mut &mut data[..])
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

#[cfg(test)]
mod tests {
    //! Each exact-size builder against mpl-token-metadata's own, byte for byte.

    use anchor_spl::metadata::mpl_token_metadata::{
        instructions::{
            BurnNft, CreateMasterEditionV3, CreateMetadataAccountV3, UpdateMetadataAccountV2,
            VerifySizedCollectionItem,
        },
        types::{Collection, Creator},
    };

    use super::*;

    fn keys<const N: usize>() -> [Pubkey; N] {
        std::array::from_fn(|_| Pubkey::new_unique())
    }

    fn data() -> DataV2 {
        DataV2 {
            name: "Spring Zine #12".into(),
            symbol: "ZINE".into(),
            uri: "https://example.com/12.json".into(),
            seller_fee_basis_points: 500,
            creators: Some(vec![Creator {
                address: Pubkey::new_unique(),
                verified: true,
                share: 100,
            }]),
            collection: Some(Collection {
                verified: false,
                key: Pubkey::new_unique(),
            }),
            uses: None,
        }
    }

    #[test]
    fn token_metadata_instructions_match_mpls_builders() {
        let [metadata, mint, authority, payer, edition, token, collection, c_meta, c_edition] =
            keys::<9>();
        let args = CreateMetadataAccountV3InstructionArgs {
            data: data(),
            is_mutable: true,
            collection_details: Some(CollectionDetails::V1 { size: 0 }),
        };
        let theirs = CreateMetadataAccountV3 {
            metadata,
            mint,
            mint_authority: authority,
            payer,
            update_authority: (authority, true),
            system_program: system_program::ID,
            rent: None,
        }
        .instruction(args.clone());
        let ours = create_metadata_ix(&metadata, &mint, &authority, &payer, &args).unwrap();
        assert_eq!(ours, theirs);
        assert_eq!(ours.data.capacity(), ours.data.len(), "exactly sized");

        let args = CreateMasterEditionV3InstructionArgs {
            max_supply: Some(0),
        };
        let theirs = CreateMasterEditionV3 {
            edition,
            mint,
            update_authority: authority,
            mint_authority: authority,
            payer,
            metadata,
            token_program: token,
            system_program: system_program::ID,
            rent: None,
        }
        .instruction(args.clone());
        let ours = create_master_edition_ix(
            &edition, &mint, &authority, &payer, &metadata, &token, &args,
        )
        .unwrap();
        assert_eq!(ours, theirs);

        let theirs = VerifySizedCollectionItem {
            metadata,
            collection_authority: authority,
            payer,
            collection_mint: collection,
            collection: c_meta,
            collection_master_edition_account: c_edition,
            collection_authority_record: None,
        }
        .instruction();
        let ours = verify_sized_collection_item_ix(
            &metadata,
            &authority,
            &payer,
            &collection,
            &c_meta,
            &c_edition,
        )
        .unwrap();
        assert_eq!(ours, theirs);

        let theirs = BurnNft {
            metadata,
            owner: payer,
            mint,
            token_account: token,
            master_edition_account: edition,
            spl_token_program: authority,
            collection_metadata: Some(c_meta),
        }
        .instruction();
        let ours = burn_nft_ix(&BurnAccounts {
            metadata: &metadata,
            owner: &payer,
            mint: &mint,
            token_account: &token,
            master_edition: &edition,
            token_program: &authority,
            collection_metadata: &c_meta,
        })
        .unwrap();
        assert_eq!(ours, theirs);

        let args = UpdateMetadataAccountV2InstructionArgs {
            data: Some(data()),
            new_update_authority: None,
            primary_sale_happened: None,
            is_mutable: None,
        };
        let theirs = UpdateMetadataAccountV2 {
            metadata,
            update_authority: authority,
        }
        .instruction(args.clone());
        let ours = update_metadata_ix(&metadata, &authority, &args).unwrap();
        assert_eq!(ours, theirs);
    }
}
