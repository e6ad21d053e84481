use anchor_lang::prelude::*;
use anchor_spl::{
    metadata::{mpl_token_metadata, Metadata},
    token_2022::Token2022,
};

use crate::{
    constants::*,
    errors::MicrodropError,
    events::ItemUriUpdated,
    instructions::mint::item_mint_address,
    items::{token_2022, token_metadata},
    state::{Drop, DropStatus, ItemStandard},
};

/// Arguments of [`update_item_uri`](crate::microdrop::update_item_uri).
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug, PartialEq, Eq)]
pub struct UpdateItemUriArgs {
    /// The item's index (1 for the first item minted).
    pub index: u64,
    /// Its new metadata URI, 1-200 bytes.
    pub uri: String,
}

#[event_cpi]
#[derive(Accounts)]
#[instruction(args: UpdateItemUriArgs)]
pub struct UpdateItemUri<'info> {
    /// Pays the rent a longer URI needs (Token-2022 items keep their metadata in the mint).
    #[account(mut)]
    pub authority: Signer<'info>,

    #[account(has_one = authority @ MicrodropError::DropAuthorityMismatch)]
    pub drop: Box<Account<'info, Drop>>,

    /// CHECK: the item's mint PDA `["item", drop, index]`, checked in `validate`; a
    /// Token-2022 item's metadata lives in it.
    #[account(mut)]
    pub item_mint: UncheckedAccount<'info>,

    /// CHECK: Token Metadata drops: the item's metadata PDA, address-checked in
    /// `validate`; Token Metadata checks the drop PDA is its update authority.
    #[account(mut)]
    pub item_metadata: Option<UncheckedAccount<'info>>,

    /// Token Metadata drops only.
    pub token_metadata_program: Option<Program<'info, Metadata>>,
    /// Token-2022 drops only.
    pub token_2022_program: Option<Program<'info, Token2022>>,
    /// Token-2022 drops: pays a longer URI's rent.
    pub system_program: Option<Program<'info, System>>,
}

impl UpdateItemUri<'_> {
    pub fn validate(&self, args: &UpdateItemUriArgs) -> Result<()> {
        let drop = &self.drop;
        require!(
            drop.status != DropStatus::Closed,
            MicrodropError::DropClosed
        );
        require!(
            !args.uri.is_empty() && args.uri.len() <= MAX_URI_LEN,
            MicrodropError::ItemUriInvalid
        );
        require!(
            (1..=drop.minted).contains(&args.index)
                && self.item_mint.key() == item_mint_address(&drop.key(), args.index).0,
            MicrodropError::ItemAccountsMismatch
        );
        match drop.standard {
            ItemStandard::TokenMetadata => {
                require!(
                    self.token_metadata_program.is_some(),
                    MicrodropError::StandardAccountsMismatch
                );
                let metadata = self
                    .item_metadata
                    .as_ref()
                    .ok_or(MicrodropError::StandardAccountsMismatch)?;
                require!(
                    *metadata.owner == mpl_token_metadata::ID
                        && metadata.key()
                            == token_metadata::metadata_address(&self.item_mint.key()),
                    MicrodropError::ItemAccountsMismatch
                );
            }
            ItemStandard::Token2022 => {
                require!(
                    self.token_2022_program.is_some() && self.system_program.is_some(),
                    MicrodropError::StandardAccountsMismatch
                );
                require!(
                    *self.item_mint.owner == anchor_spl::token_2022::ID,
                    MicrodropError::ItemAccountsMismatch
                );
            }
        }
        Ok(())
    }
}

/// Replaces one item's metadata URI; everything else in its metadata stays as minted.
#[access_control(ctx.accounts.validate(&args))]
pub fn handler(ctx: Context<UpdateItemUri>, args: UpdateItemUriArgs) -> Result<()> {
    let drop = &ctx.accounts.drop;
    let drop_key = drop.key();
    let vault = Pubkey::find_program_address(&[VAULT_SEED, drop_key.as_ref()], &crate::ID).0;
    let seeds = drop.signer_seeds();
    let accounts = &ctx.accounts;
    match drop.standard {
        ItemStandard::TokenMetadata => token_metadata::update_uri(
            accounts
                .item_metadata
                .as_ref()
                .ok_or(MicrodropError::StandardAccountsMismatch)?,
            &accounts.drop.to_account_info(),
            drop,
            &vault,
            args.index,
            args.uri.clone(),
            &[&seeds[..]],
        )?,
        ItemStandard::Token2022 => token_2022::update_uri(
            &accounts.item_mint,
            &accounts.drop.to_account_info(),
            &accounts.authority,
            args.uri.clone(),
            &[&seeds[..]],
        )?,
    }
    emit_cpi!(ItemUriUpdated {
        drop: drop_key,
        mint: ctx.accounts.item_mint.key(),
        index: args.index,
        uri: args.uri,
        timestamp: Clock::get()?.unix_timestamp,
    });
    Ok(())
}
