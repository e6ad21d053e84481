//! Token Metadata items: a Metaplex NFT per item (a mint PDA, one token in the holder's
//! associated token account, metadata and a master edition) verified into the drop's sized
//! collection NFT. How such an item and its collection are made, recognised, burned and
//! corrected lives here; the instructions call these and stay standard-agnostic.
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
use anchor_spl::{
    associated_token::{self, get_associated_token_address},
    metadata::mpl_token_metadata::{
        self,
        accounts::Metadata as MetadataAccount,
        instructions::{
            CreateMasterEditionV3InstructionArgs, CreateMetadataAccountV3InstructionArgs,
            UpdateMetadataAccountV2InstructionArgs,
        },
        types::{Collection, CollectionDetails, Creator, DataV2},
    },
    token::{self, Mint, TokenAccount},
};

use crate::{errors::MicrodropError, state::Drop};

/// Accounts each item takes in `mint` and `redeem`, in order: its mint, the holder's token
/// account, its metadata and its master edition.
pub const ACCOUNTS_PER_ITEM: usize = 4;

/// The accounts of the item with mint `mint` held by `holder`, in the order instructions
/// take them (see [`ACCOUNTS_PER_ITEM`]).
pub fn item_accounts(mint: &Pubkey, holder: &Pubkey) -> [Pubkey; ACCOUNTS_PER_ITEM] {
    [
        *mint,
        get_associated_token_address(holder, mint),
        metadata_address(mint),
        master_edition_address(mint),
    ]
}

pub use super::Creation;

/// One NFT's own accounts, in [`item_accounts`] order, and its mint PDA's signer seeds.
pub struct NewNft<'a, 'info> {
    pub accounts: &'a [AccountInfo<'info>],
    pub mint_seeds: &'a [&'a [u8]],
}

/// An NFT to the owner: its mint PDA (prefund-safe), one token in the owner's associated
/// token account, metadata, and a master edition that takes over the mint and freeze
/// authorities (fixing the supply at one).
fn create_nft<'info>(
    creation: &Creation<'_, 'info>,
    nft: &NewNft<'_, 'info>,
    data: DataV2,
    collection_details: Option<CollectionDetails>,
    signer: &[&[&[u8]]],
) -> Result<()> {
    let [mint, token_account, metadata, edition] = nft.accounts else {
        return err!(MicrodropError::ItemAccountsMismatch);
    };
    crate::cpi::create_pda_account(
        creation.payer,
        mint,
        creation.system_program,
        Mint::LEN,
        &token::ID,
        nft.mint_seeds,
    )?;
    let authority = creation.drop.key;
    token::initialize_mint2(
        CpiContext::new(token::ID, token::InitializeMint2 { mint: mint.clone() }),
        0,
        authority,
        Some(authority),
    )?;
    associated_token::create_idempotent(CpiContext::new(
        associated_token::ID,
        associated_token::Create {
            payer: creation.payer.clone(),
            associated_token: token_account.clone(),
            authority: creation.owner.clone(),
            mint: mint.clone(),
            system_program: creation.system_program.clone(),
            token_program: creation.token_program.clone(),
        },
    ))?;
    token::mint_to(
        CpiContext::new_with_signer(
            token::ID,
            token::MintTo {
                mint: mint.clone(),
                to: token_account.clone(),
                authority: creation.drop.clone(),
            },
            signer,
        ),
        1,
    )?;
    let accounts = NftAccounts {
        metadata,
        edition,
        mint,
        authority: creation.drop,
        payer: creation.payer,
        token_program: creation.token_program,
        system_program: creation.system_program,
    };
    create_metadata(&accounts, data, collection_details, signer)?;
    create_master_edition(&accounts, signer)
}

/// The drop's sized collection NFT, to the creator: named, with the collection URI, and
/// earning nothing itself (items carry the royalty).
pub fn create_collection<'info>(
    creation: &Creation<'_, 'info>,
    nft: &NewNft<'_, 'info>,
    name: String,
    symbol: String,
    uri: String,
    signer: &[&[&[u8]]],
) -> Result<()> {
    let data = DataV2 {
        name,
        symbol,
        uri,
        seller_fee_basis_points: 0,
        creators: None,
        collection: None,
        uses: None,
    };
    create_nft(
        creation,
        nft,
        data,
        Some(CollectionDetails::V1 { size: 0 }),
        signer,
    )
}

/// Item `index` of `drop` to the owner, verified into the drop's collection.
pub fn create_item<'info>(
    creation: &Creation<'_, 'info>,
    nft: &NewNft<'_, 'info>,
    drop: &Drop,
    vault: &Pubkey,
    index: u64,
    collection: &CollectionAccounts<'_, 'info>,
    signer: &[&[&[u8]]],
) -> Result<()> {
    let data = item_data(drop, creation.drop.key, vault, index);
    create_nft(creation, nft, data, None, signer)?;
    verify_collection_item(
        &nft.accounts[2],
        creation.drop,
        creation.payer,
        collection,
        signer,
    )
}

/// Metadata of item `index`: `<name> #<index>`, the rendered URI, the drop's royalty, and
/// creators that send royalties to the vault.
///
/// Creators: the drop PDA, verified with a 0% share, proves provenance (only this program
/// can sign for it); the vault, with 100%, is where marketplaces pay royalties, the same
/// account that receives primary proceeds, so one split governs all income.
pub fn item_data(drop: &Drop, drop_address: &Pubkey, vault: &Pubkey, index: u64) -> DataV2 {
    DataV2 {
        name: format!("{} #{index}", drop.name),
        symbol: drop.symbol.clone(),
        uri: super::item_uri(&drop.item_uri, index),
        seller_fee_basis_points: drop.seller_fee_bps,
        creators: Some(vec![
            Creator {
                address: *drop_address,
                verified: true,
                share: 0,
            },
            Creator {
                address: *vault,
                verified: false,
                share: 100,
            },
        ]),
        collection: Some(Collection {
            verified: false,
            key: drop.collection_mint,
        }),
        uses: None,
    }
}

/// A holder gate: `token` (owned by `buyer`, holding the item) and `metadata` show an item
/// verified into `collection`. Returns the item's mint.
pub fn check_gate(
    token: &TokenAccount,
    metadata: &AccountInfo<'_>,
    buyer: &Pubkey,
    collection: &Pubkey,
) -> Result<Pubkey> {
    require_keys_eq!(token.owner, *buyer, MicrodropError::HolderNotOwner);
    require!(token.amount >= 1, MicrodropError::HolderNotOwner);
    require_keys_eq!(
        *metadata.owner,
        mpl_token_metadata::ID,
        MicrodropError::HolderItemInvalid
    );
    require_keys_eq!(
        metadata.key(),
        metadata_address(&token.mint),
        MicrodropError::HolderItemInvalid
    );
    let decoded = MetadataAccount::safe_deserialize(&metadata.try_borrow_data()?)
        .map_err(|_| error!(MicrodropError::HolderItemInvalid))?;
    let item_collection = decoded
        .collection
        .ok_or(MicrodropError::HolderWrongCollection)?;
    require_keys_eq!(
        item_collection.key,
        *collection,
        MicrodropError::HolderWrongCollection
    );
    require!(
        item_collection.verified,
        MicrodropError::HolderCollectionUnverified
    );
    Ok(token.mint)
}

/// Item `index` of the drop, held by `holder`, can be burned: its accounts (in
/// [`item_accounts`] order) are the item's, it is verified into the drop's collection, and
/// `holder` holds its one token.
pub fn check_held_item(
    item: &[AccountInfo<'_>],
    drop: &Pubkey,
    collection_mint: &Pubkey,
    holder: &Pubkey,
    index: u64,
) -> Result<()> {
    let [mint, token, metadata, edition] = item else {
        return err!(MicrodropError::ItemAccountsMismatch);
    };
    require!(
        *metadata.owner == mpl_token_metadata::ID
            && metadata.key() == metadata_address(&mint.key()),
        MicrodropError::RedeemItemInvalid
    );
    let decoded = MetadataAccount::safe_deserialize(&metadata.try_borrow_data()?)
        .map_err(|_| error!(MicrodropError::RedeemItemInvalid))?;
    let collection = decoded
        .collection
        .ok_or(MicrodropError::RedeemWrongCollection)?;
    require_keys_eq!(
        collection.key,
        *collection_mint,
        MicrodropError::RedeemWrongCollection
    );
    require!(
        collection.verified,
        MicrodropError::RedeemUnverifiedCollection
    );
    require_keys_eq!(
        mint.key(),
        crate::instructions::mint::item_mint_address(drop, index).0,
        MicrodropError::RedeemItemInvalid
    );
    require_keys_eq!(*token.owner, token::ID, MicrodropError::RedeemItemInvalid);
    let token_account = TokenAccount::try_deserialize(&mut &token.try_borrow_data()?[..])
        .map_err(|_| error!(MicrodropError::RedeemItemInvalid))?;
    require_keys_eq!(
        token_account.mint,
        mint.key(),
        MicrodropError::RedeemItemInvalid
    );
    require!(
        token_account.owner == *holder && token_account.amount == 1,
        MicrodropError::RedeemNotOwner
    );
    require_keys_eq!(
        edition.key(),
        master_edition_address(&mint.key()),
        MicrodropError::ItemAccountsMismatch
    );
    Ok(())
}

/// Burns an item (accounts in [`item_accounts`] order) through Token Metadata: its token,
/// metadata and edition accounts close and their rent goes to the holder; the sized
/// collection shrinks by one.
pub fn burn_item<'info>(
    item: &[AccountInfo<'info>],
    holder: &AccountInfo<'info>,
    token_program: &AccountInfo<'info>,
    collection_metadata: &AccountInfo<'info>,
) -> Result<()> {
    let [mint, token, metadata, edition] = item else {
        return err!(MicrodropError::ItemAccountsMismatch);
    };
    let ix = burn_nft_ix(&BurnAccounts {
        metadata: metadata.key,
        owner: holder.key,
        mint: mint.key,
        token_account: token.key,
        master_edition: edition.key,
        token_program: token_program.key,
        collection_metadata: collection_metadata.key,
    })?;
    invoke(
        &ix,
        &[
            metadata.clone(),
            holder.clone(),
            mint.clone(),
            token.clone(),
            edition.clone(),
            token_program.clone(),
            collection_metadata.clone(),
        ],
    )
    .map_err(Into::into)
}

/// Replaces item `index`'s metadata URI; everything else stays as minted (the collection
/// verified, as minting left it).
pub fn update_uri<'info>(
    metadata: &AccountInfo<'info>,
    drop_info: &AccountInfo<'info>,
    drop: &Drop,
    vault: &Pubkey,
    index: u64,
    uri: String,
    signer: &[&[&[u8]]],
) -> Result<()> {
    let mut data = item_data(drop, drop_info.key, vault, index);
    data.uri = uri;
    if let Some(collection) = data.collection.as_mut() {
        collection.verified = true;
    }
    let ix = update_metadata_ix(
        metadata.key,
        drop_info.key,
        &UpdateMetadataAccountV2InstructionArgs {
            data: Some(data),
            new_update_authority: None,
            primary_sale_happened: None,
            is_mutable: None,
        },
    )?;
    invoke_signed(&ix, &[metadata.clone(), drop_info.clone()], signer).map_err(Into::into)
}

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
