//! Token-2022 items: one Token-2022 mint per item that carries everything itself (its
//! metadata, its membership of the drop's collection group, the drop PDA as its close
//! authority, and for soulbound drops the non-transferable extension), and one token in the
//! holder's Token-2022 associated token account. The collection is a Token-2022 mint with
//! the group and metadata extensions. How such an item and its collection are made,
//! recognised, burned and corrected lives here; the instructions call these through
//! `items` and stay standard-agnostic.
//!
//! Why it costs collectors less: there is no protocol fee and no separate metadata or
//! edition account, and burning closes both accounts, so all of an item's rent goes back
//! to its holder.
//!
//! Provenance: token-group `InitializeMember` needs the group's update authority, the drop
//! PDA, to sign, and only this program signs for it. A mint whose `TokenGroupMember`
//! extension (written by Token-2022 itself) names the drop's collection was added by the
//! drop.
//!
//! Royalties follow the convention Token-2022 NFT marketplaces read, set by the Wen New
//! Standard (WNS, github.com/wen-community/wen-new-standard, `ROYALTY_BASIS_POINTS_FIELD`
//! and its royalty distribution program): the additional metadata field
//! `royalty_basis_points` holds the royalty, and every other key that parses as an address
//! is a creator whose value is its percentage share. The vault is the one creator, with
//! `100`, so royalties reach the same account and the same split as primary sales. The
//! tier that sold the item is the field `tier`, its tier id (readers that take every
//! non-royalty key as an address should skip keys that do not parse).

use anchor_lang::{
    prelude::*,
    solana_program::{
        instruction::{AccountMeta, Instruction},
        program::invoke_signed,
    },
};
use anchor_spl::{
    associated_token::{self, get_associated_token_address_with_program_id},
    token_2022::{
        self,
        spl_token_2022::{
            extension::{BaseStateWithExtensions, ExtensionType, StateWithExtensions},
            instruction::AuthorityType,
            state::{Account as TokenState, Mint as MintState},
        },
    },
    token_interface as extensions,
};
use spl_token_group_interface::state::{TokenGroup, TokenGroupMember};

use crate::{errors::MicrodropError, state::Drop};

/// Accounts each item takes in `mint` and `redeem`, in order: its mint and the holder's
/// token account.
pub const ACCOUNTS_PER_ITEM: usize = 2;

/// The additional metadata key holding the royalty in basis points (WNS).
pub const ROYALTY_BASIS_POINTS_KEY: &str = "royalty_basis_points";

/// The additional metadata key holding the id of the tier that sold the item.
pub const TIER_KEY: &str = "tier";

/// The royalty creator's share, in percent: the vault takes all of it.
const VAULT_SHARE: &str = "100";

/// The accounts of the item with mint `mint` held by `holder`, in the order instructions
/// take them (see [`ACCOUNTS_PER_ITEM`]).
pub fn item_accounts(mint: &Pubkey, holder: &Pubkey) -> [Pubkey; ACCOUNTS_PER_ITEM] {
    [*mint, token_account_address(holder, mint)]
}

/// `owner`'s Token-2022 associated token account for `mint`.
pub fn token_account_address(owner: &Pubkey, mint: &Pubkey) -> Pubkey {
    get_associated_token_address_with_program_id(owner, mint, &token_2022::ID)
}

pub use super::Creation;

/// A new mint's own accounts and its PDA's signer seeds.
pub struct NewMint<'a, 'info> {
    /// The mint PDA.
    pub mint: &'a AccountInfo<'info>,
    /// The owner's associated token account for it.
    pub token_account: &'a AccountInfo<'info>,
    pub mint_seeds: &'a [&'a [u8]],
}

/// Bytes of a token-metadata TLV entry with these strings and additional fields: the
/// entry's 4-byte header, the update authority and mint, and each string with its
/// 4-byte length (the additional fields as a vector of pairs).
pub fn metadata_entry_len(
    name: usize,
    symbol: usize,
    uri: usize,
    fields: &[(usize, usize)],
) -> usize {
    let pairs: usize = fields.iter().map(|(k, v)| 4 + k + 4 + v).sum();
    4 + 32 + 32 + (4 + name) + (4 + symbol) + (4 + uri) + 4 + pairs
}

/// Bytes of a TLV entry holding a fixed-size extension `T`.
const fn pod_entry_len<T>() -> usize {
    4 + std::mem::size_of::<T>()
}

/// Creates a mint PDA with `extensions` set up before `InitializeMint2` (which needs the
/// account to be exactly that size) but funded for `final_len`, the size Token-2022 grows
/// it to as metadata and the group or member are added.
fn create_mint_account<'info>(
    creation: &Creation<'_, 'info>,
    new: &NewMint<'_, 'info>,
    extensions: &[ExtensionType],
    final_extra: usize,
) -> Result<()> {
    let len = ExtensionType::try_calculate_account_len::<MintState>(extensions)?;
    crate::cpi::create_pda_account_funded(
        creation.payer,
        new.mint,
        creation.system_program,
        len,
        len + final_extra,
        &token_2022::ID,
        new.mint_seeds,
    )
}

/// Which group extension a mint carries: a collection's group, or an item's membership.
enum Group {
    Group,
    Member,
}

/// Points the new mint's metadata pointer, and its group or group member pointer, at the
/// mint itself (where Token-2022 keeps them), with the drop PDA as their authority.
fn point_at_itself<'info>(
    creation: &Creation<'_, 'info>,
    new: &NewMint<'_, 'info>,
    group: Group,
) -> Result<()> {
    let authority = Some(creation.drop.key());
    let mint = Some(new.mint.key());
    extensions::metadata_pointer_initialize(
        CpiContext::new(
            token_2022::ID,
            extensions::MetadataPointerInitialize {
                token_program_id: creation.token_program.clone(),
                mint: new.mint.clone(),
            },
        ),
        authority,
        mint,
    )?;
    let (token_program_id, mint_account) = (creation.token_program.clone(), new.mint.clone());
    match group {
        Group::Group => extensions::group_pointer_initialize(
            CpiContext::new(
                token_2022::ID,
                extensions::GroupPointerInitialize {
                    token_program_id,
                    mint: mint_account,
                },
            ),
            authority,
            mint,
        ),
        Group::Member => extensions::group_member_pointer_initialize(
            CpiContext::new(
                token_2022::ID,
                extensions::GroupMemberPointerInitialize {
                    token_program_id,
                    mint: mint_account,
                },
            ),
            authority,
            mint,
        ),
    }
}

/// Initialises the mint itself (0 decimals, the drop PDA as mint authority, no freeze
/// authority), its metadata, and then mints the payer's one token into their associated
/// token account.
fn initialize_with_metadata<'info>(
    creation: &Creation<'_, 'info>,
    new: &NewMint<'_, 'info>,
    name: String,
    symbol: String,
    uri: String,
    signer: &[&[&[u8]]],
) -> Result<()> {
    let authority = creation.drop.key;
    token_2022::initialize_mint2(
        CpiContext::new(
            token_2022::ID,
            token_2022::InitializeMint2 {
                mint: new.mint.clone(),
            },
        ),
        0,
        authority,
        None,
    )?;
    let ix = Instruction {
        program_id: token_2022::ID,
        accounts: vec![
            AccountMeta::new(new.mint.key(), false),
            AccountMeta::new_readonly(creation.drop.key(), false),
            AccountMeta::new_readonly(new.mint.key(), false),
            AccountMeta::new_readonly(creation.drop.key(), true),
        ],
        data: metadata_data(&INITIALIZE_DISCRIMINATOR, None, &[&name, &symbol, &uri]),
    };
    invoke_signed(&ix, &[new.mint.clone(), creation.drop.clone()], signer).map_err(Into::into)
}

/// One token of `mint` to the owner's associated token account (created here), after
/// which the mint authority is removed so the supply stays at one.
fn mint_one_to_owner<'info>(
    creation: &Creation<'_, 'info>,
    new: &NewMint<'_, 'info>,
    signer: &[&[&[u8]]],
) -> Result<()> {
    associated_token::create(CpiContext::new(
        associated_token::ID,
        associated_token::Create {
            payer: creation.payer.clone(),
            associated_token: new.token_account.clone(),
            authority: creation.owner.clone(),
            mint: new.mint.clone(),
            system_program: creation.system_program.clone(),
            token_program: creation.token_program.clone(),
        },
    ))?;
    token_2022::mint_to(
        CpiContext::new_with_signer(
            token_2022::ID,
            token_2022::MintTo {
                mint: new.mint.clone(),
                to: new.token_account.clone(),
                authority: creation.drop.clone(),
            },
            signer,
        ),
        1,
    )?;
    token_2022::set_authority(
        CpiContext::new_with_signer(
            token_2022::ID,
            token_2022::SetAuthority {
                current_authority: creation.drop.clone(),
                account_or_mint: new.mint.clone(),
            },
            signer,
        ),
        AuthorityType::MintTokens,
        None,
    )
}

/// The drop's collection, to the creator: a Token-2022 mint whose group (at most
/// `max_size` members) and metadata live in the mint, both updated only by the drop PDA.
pub fn create_collection<'info>(
    creation: &Creation<'_, 'info>,
    new: &NewMint<'_, 'info>,
    name: String,
    symbol: String,
    uri: String,
    max_size: u64,
    signer: &[&[&[u8]]],
) -> Result<()> {
    let metadata_len = metadata_entry_len(name.len(), symbol.len(), uri.len(), &[]);
    create_mint_account(
        creation,
        new,
        &[ExtensionType::MetadataPointer, ExtensionType::GroupPointer],
        metadata_len + pod_entry_len::<TokenGroup>(),
    )?;
    point_at_itself(creation, new, Group::Group)?;
    initialize_with_metadata(creation, new, name, symbol, uri, signer)?;
    extensions::token_group_initialize(
        CpiContext::new_with_signer(
            token_2022::ID,
            extensions::TokenGroupInitialize {
                program_id: creation.token_program.clone(),
                group: new.mint.clone(),
                mint: new.mint.clone(),
                mint_authority: creation.drop.clone(),
            },
            signer,
        ),
        Some(creation.drop.key()),
        max_size,
    )?;
    mint_one_to_owner(creation, new, signer)
}

/// The item's additional metadata fields, in order: the royalty, its creator (the
/// vault), and the tier that sold it (none for an item airdropped outside tiers).
fn item_fields(drop: &Drop, vault: &Pubkey, tier_id: Option<u8>) -> Vec<(String, String)> {
    let mut fields = Vec::with_capacity(3);
    fields.push((
        ROYALTY_BASIS_POINTS_KEY.to_owned(),
        drop.seller_fee_bps.to_string(),
    ));
    fields.push((vault.to_string(), VAULT_SHARE.to_owned()));
    if let Some(tier_id) = tier_id {
        fields.push((TIER_KEY.to_owned(), tier_id.to_string()));
    }
    fields
}

/// Item `index` of `drop`, sold by tier `tier_id` (none: airdropped outside tiers), to the owner: a mint with its close
/// authority, metadata and group membership (and, soulbound, non-transferable), one token
/// in the owner's associated token account, and no mint authority left.
#[allow(clippy::too_many_arguments)]
pub fn create_item<'info>(
    creation: &Creation<'_, 'info>,
    new: &NewMint<'_, 'info>,
    drop: &Drop,
    vault: &Pubkey,
    index: u64,
    tier_id: Option<u8>,
    collection_mint: &AccountInfo<'info>,
    signer: &[&[&[u8]]],
) -> Result<()> {
    let name = format!("{} #{index}", drop.name);
    let uri = super::item_uri(&drop.item_uri, index);
    let fields = item_fields(drop, vault, tier_id);
    let mut field_lens = [(0, 0); 3];
    for ((k, v), len) in fields.iter().zip(&mut field_lens) {
        *len = (k.len(), v.len());
    }
    let metadata_len = metadata_entry_len(
        name.len(),
        drop.symbol.len(),
        uri.len(),
        &field_lens[..fields.len()],
    );
    let mut setup = [
        ExtensionType::MintCloseAuthority,
        ExtensionType::MetadataPointer,
        ExtensionType::GroupMemberPointer,
        ExtensionType::NonTransferable,
    ]
    .as_slice();
    if !drop.soulbound {
        setup = &setup[..3];
    }
    create_mint_account(
        creation,
        new,
        setup,
        metadata_len + pod_entry_len::<TokenGroupMember>(),
    )?;
    extensions::mint_close_authority_initialize(
        CpiContext::new(
            token_2022::ID,
            extensions::MintCloseAuthorityInitialize {
                token_program_id: creation.token_program.clone(),
                mint: new.mint.clone(),
            },
        ),
        Some(creation.drop.key),
    )?;
    if drop.soulbound {
        extensions::non_transferable_mint_initialize(CpiContext::new(
            token_2022::ID,
            extensions::NonTransferableMintInitialize {
                token_program_id: creation.token_program.clone(),
                mint: new.mint.clone(),
            },
        ))?;
    }
    point_at_itself(creation, new, Group::Member)?;
    initialize_with_metadata(creation, new, name, drop.symbol.clone(), uri, signer)?;
    for (key, value) in &fields {
        update_field(
            new.mint,
            creation.drop,
            MetadataField::Key(key),
            value,
            signer,
        )?;
    }
    extensions::token_member_initialize(CpiContext::new_with_signer(
        token_2022::ID,
        extensions::TokenMemberInitialize {
            program_id: creation.token_program.clone(),
            member: new.mint.clone(),
            member_mint: new.mint.clone(),
            member_mint_authority: creation.drop.clone(),
            group: collection_mint.clone(),
            group_update_authority: creation.drop.clone(),
        },
        signer,
    ))?;
    mint_one_to_owner(creation, new, signer)
}

/// Lets an open edition's group take `max_size` members: its `max_size` starts at 0 and
/// follows the items, raised by the drop PDA (the group's update authority) before each
/// instruction's new members join, so it always equals the items made.
pub fn raise_group_max_size<'info>(
    token_program: &AccountInfo<'info>,
    collection_mint: &AccountInfo<'info>,
    drop: &AccountInfo<'info>,
    max_size: u64,
    signer: &[&[&[u8]]],
) -> Result<()> {
    let ix = spl_token_group_interface::instruction::update_group_max_size(
        token_program.key,
        collection_mint.key,
        drop.key,
        max_size,
    );
    invoke_signed(&ix, &[collection_mint.clone(), drop.clone()], signer).map_err(Into::into)
}

/// Token-metadata interface discriminators (the first 8 bytes of the SHA-256 of
/// `spl_token_metadata_interface:initialize_account` and `...:updating_field`).
const INITIALIZE_DISCRIMINATOR: [u8; 8] = [210, 225, 30, 162, 88, 184, 77, 141];
const UPDATE_FIELD_DISCRIMINATOR: [u8; 8] = [221, 233, 49, 45, 181, 202, 220, 200];

/// A field of the token-metadata interface: borsh's tag of `Field::Uri`, and of
/// `Field::Key` followed by the key.
enum MetadataField<'a> {
    Uri,
    Key(&'a str),
}

/// A token-metadata instruction's data, sized exactly: the discriminator, then (for
/// `UpdateField`) the field, then borsh strings. The interface's own builders serialize
/// with `borsh::to_vec`, which reserves 1 KiB per call on sBPF's never-freeing 32 KiB
/// heap: four per item made a three-item mint overrun it (measured by the `limits`
/// suite). A unit test checks these bytes are the interface's.
fn metadata_data(
    discriminator: &[u8; 8],
    field: Option<&MetadataField<'_>>,
    strings: &[&str],
) -> Vec<u8> {
    let field_len = match field {
        None => 0,
        Some(MetadataField::Uri) => 1,
        Some(MetadataField::Key(key)) => 1 + 4 + key.len(),
    };
    let len = 8 + field_len + strings.iter().map(|s| 4 + s.len()).sum::<usize>();
    let mut data = Vec::with_capacity(len);
    data.extend_from_slice(discriminator);
    let push = |data: &mut Vec<u8>, text: &str| {
        data.extend_from_slice(&(text.len() as u32).to_le_bytes());
        data.extend_from_slice(text.as_bytes());
    };
    match field {
        None => {}
        Some(MetadataField::Uri) => data.push(2),
        Some(MetadataField::Key(key)) => {
            data.push(3);
            push(&mut data, key);
        }
    }
    for text in strings {
        push(&mut data, text);
    }
    data
}

/// Sets one metadata field of `mint` (the drop PDA signs as update authority).
fn update_field<'info>(
    mint: &AccountInfo<'info>,
    drop: &AccountInfo<'info>,
    field: MetadataField<'_>,
    value: &str,
    signer: &[&[&[u8]]],
) -> Result<()> {
    let ix = Instruction {
        program_id: token_2022::ID,
        accounts: vec![
            AccountMeta::new(mint.key(), false),
            AccountMeta::new_readonly(drop.key(), true),
        ],
        data: metadata_data(&UPDATE_FIELD_DISCRIMINATOR, Some(&field), &[value]),
    };
    invoke_signed(&ix, &[mint.clone(), drop.clone()], signer).map_err(Into::into)
}

/// The group `mint` (a Token-2022 mint account) is a member of, read from its
/// `TokenGroupMember` extension, which only Token-2022 writes and only when the group's
/// update authority signed. `None` when it is no member of any group, or when the member
/// extension is another mint's.
fn group_of(mint: &AccountInfo<'_>) -> Result<Option<Pubkey>> {
    let data = mint.try_borrow_data()?;
    let Ok(state) = StateWithExtensions::<MintState>::unpack(&data) else {
        return Ok(None);
    };
    Ok(state
        .get_extension::<TokenGroupMember>()
        .ok()
        .filter(|member| member.mint == mint.key())
        .map(|member| member.group))
}

/// The tier that sold the item with mint `mint`, from its metadata's `tier` field.
pub fn tier_of(mint: &AccountInfo<'_>) -> Result<Option<u8>> {
    use anchor_spl::token_interface::spl_token_metadata_interface::state::TokenMetadata;
    let data = mint.try_borrow_data()?;
    let state = StateWithExtensions::<MintState>::unpack(&data)?;
    let metadata = state.get_variable_len_extension::<TokenMetadata>()?;
    Ok(metadata
        .additional_metadata
        .iter()
        .find(|(key, _)| key == TIER_KEY)
        .and_then(|(_, value)| value.parse().ok()))
}

/// A Token-2022 token account's base state, or `None` when `account` is none.
fn token_state(account: &AccountInfo<'_>) -> Option<TokenState> {
    if *account.owner != token_2022::ID {
        return None;
    }
    let data = account.try_borrow_data().ok()?;
    StateWithExtensions::<TokenState>::unpack(&data)
        .ok()
        .map(|state| state.base)
}

/// A holder gate on a Token-2022 collection: `token` (a Token-2022 account owned by
/// `buyer`, holding one token) is of `mint`, a Token-2022 mint that the group `collection`
/// added as a member. Returns the item's mint.
pub fn check_gate(
    token: &AccountInfo<'_>,
    mint: &AccountInfo<'_>,
    buyer: &Pubkey,
    collection: &Pubkey,
) -> Result<Pubkey> {
    let state = token_state(token).ok_or(MicrodropError::HolderItemInvalid)?;
    require_keys_eq!(state.owner, *buyer, MicrodropError::HolderNotOwner);
    require!(state.amount == 1, MicrodropError::HolderNotOwner);
    require!(
        *mint.owner == token_2022::ID && state.mint == mint.key(),
        MicrodropError::HolderItemInvalid
    );
    let group = group_of(mint)?.ok_or(MicrodropError::HolderCollectionUnverified)?;
    require_keys_eq!(group, *collection, MicrodropError::HolderWrongCollection);
    Ok(mint.key())
}

/// Item `index` of the drop, held by `holder`, can be burned: its mint is the drop's item
/// PDA, a live Token-2022 mint in the drop's collection, and `holder` holds its one token
/// in the given account.
pub fn check_held_item(
    item: &[AccountInfo<'_>],
    drop: &Pubkey,
    collection_mint: &Pubkey,
    holder: &Pubkey,
    index: u64,
) -> Result<()> {
    let [mint, token] = item else {
        return err!(MicrodropError::ItemAccountsMismatch);
    };
    require!(
        mint.key() == crate::instructions::mint::item_mint_address(drop, index).0
            && *mint.owner == token_2022::ID,
        MicrodropError::RedeemItemInvalid
    );
    let group = group_of(mint)?.ok_or(MicrodropError::RedeemUnverifiedCollection)?;
    require_keys_eq!(
        group,
        *collection_mint,
        MicrodropError::RedeemWrongCollection
    );
    let state = token_state(token).ok_or(MicrodropError::RedeemItemInvalid)?;
    require_keys_eq!(state.mint, mint.key(), MicrodropError::RedeemItemInvalid);
    require!(
        state.owner == *holder && state.amount == 1,
        MicrodropError::RedeemNotOwner
    );
    Ok(())
}

/// Burns an item (accounts in [`item_accounts`] order) and returns all of its rent to the
/// holder: the token is burned, the holder's token account closed, and the mint closed
/// with the drop PDA's close authority.
pub fn burn_item<'info>(
    item: &[AccountInfo<'info>],
    holder: &AccountInfo<'info>,
    drop: &AccountInfo<'info>,
    signer: &[&[&[u8]]],
) -> Result<()> {
    let [mint, token] = item else {
        return err!(MicrodropError::ItemAccountsMismatch);
    };
    token_2022::burn(
        CpiContext::new(
            token_2022::ID,
            token_2022::Burn {
                mint: mint.clone(),
                from: token.clone(),
                authority: holder.clone(),
            },
        ),
        1,
    )?;
    token_2022::close_account(CpiContext::new(
        token_2022::ID,
        token_2022::CloseAccount {
            account: token.clone(),
            destination: holder.clone(),
            authority: holder.clone(),
        },
    ))?;
    token_2022::close_account(CpiContext::new_with_signer(
        token_2022::ID,
        token_2022::CloseAccount {
            account: mint.clone(),
            destination: holder.clone(),
            authority: drop.clone(),
        },
        signer,
    ))
}

/// Replaces item `mint`'s metadata URI (the drop PDA signs as update authority). The
/// mint grows or shrinks with it; `payer` first adds whatever rent a longer URI needs.
pub fn update_uri<'info>(
    mint: &AccountInfo<'info>,
    drop: &AccountInfo<'info>,
    payer: &AccountInfo<'info>,
    uri: String,
    signer: &[&[&[u8]]],
) -> Result<()> {
    let current_len = {
        let data = mint.try_borrow_data()?;
        let state = StateWithExtensions::<MintState>::unpack(&data)?;
        let metadata = state.get_variable_len_extension::<
            anchor_spl::token_interface::spl_token_metadata_interface::state::TokenMetadata,
        >()?;
        metadata.uri.len()
    };
    let new_len = (mint.data_len() + uri.len()).saturating_sub(current_len);
    let top_up = Rent::get()?
        .minimum_balance(new_len)
        .saturating_sub(mint.lamports());
    if top_up > 0 {
        anchor_lang::system_program::transfer(
            CpiContext::new(
                anchor_lang::system_program::ID,
                anchor_lang::system_program::Transfer {
                    from: payer.clone(),
                    to: mint.clone(),
                },
            ),
            top_up,
        )?;
    }
    update_field(mint, drop, MetadataField::Uri, &uri, signer)
}

#[cfg(test)]
mod tests {
    use super::*;
    use anchor_spl::token_interface::spl_token_metadata_interface::state::TokenMetadata;

    #[test]
    fn metadata_instructions_are_the_interfaces_bytes() {
        use anchor_spl::token_interface::spl_token_metadata_interface::{
            instruction as interface, state::Field,
        };
        let (program, key) = (token_2022::ID, Pubkey::new_unique());
        let expected = interface::initialize(
            &program,
            &key,
            &key,
            &key,
            &key,
            "Zine #1".into(),
            "ZINE".into(),
            "https://x/1".into(),
        );
        assert_eq!(
            metadata_data(
                &INITIALIZE_DISCRIMINATOR,
                None,
                &["Zine #1", "ZINE", "https://x/1"]
            ),
            expected.data
        );
        let expected =
            interface::update_field(&program, &key, &key, Field::Uri, "https://y".into());
        assert_eq!(
            metadata_data(
                &UPDATE_FIELD_DISCRIMINATOR,
                Some(&MetadataField::Uri),
                &["https://y"]
            ),
            expected.data
        );
        let expected =
            interface::update_field(&program, &key, &key, Field::Key("tier".into()), "2".into());
        assert_eq!(
            metadata_data(
                &UPDATE_FIELD_DISCRIMINATOR,
                Some(&MetadataField::Key("tier")),
                &["2"]
            ),
            expected.data
        );
    }

    #[test]
    fn metadata_entry_len_is_what_token_2022_allocates() {
        let metadata = TokenMetadata {
            update_authority: Some(Pubkey::new_unique()).try_into().unwrap(),
            mint: Pubkey::new_unique(),
            name: "Night Market #12".into(),
            symbol: "NITE".into(),
            uri: "https://example.com/12.json".into(),
            additional_metadata: vec![
                ("royalty_basis_points".into(), "500".into()),
                (Pubkey::new_unique().to_string(), "100".into()),
                ("tier".into(), "3".into()),
            ],
        };
        let fields: Vec<_> = metadata
            .additional_metadata
            .iter()
            .map(|(k, v)| (k.len(), v.len()))
            .collect();
        assert_eq!(
            metadata_entry_len(
                metadata.name.len(),
                metadata.symbol.len(),
                metadata.uri.len(),
                &fields
            ),
            // `tlv_size_of` counts a standalone TLV account's 12-byte entry header (an
            // 8-byte discriminator and a 4-byte length); inside a mint, an extension's
            // header is 4 bytes (a 2-byte type and a 2-byte length).
            metadata.tlv_size_of().unwrap() - 12 + 4
        );
    }
}
