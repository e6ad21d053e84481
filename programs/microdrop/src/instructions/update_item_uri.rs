use anchor_lang::prelude::*;
use anchor_spl::metadata::{mpl_token_metadata, Metadata};

use crate::{
    constants::*,
    errors::MicrodropError,
    events::ItemUriUpdated,
    instructions::mint::item_mint_address,
    items::token_metadata,
    state::{Drop, DropStatus},
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
    pub authority: Signer<'info>,

    #[account(has_one = authority @ MicrodropError::DropAuthorityMismatch)]
    pub drop: Box<Account<'info, Drop>>,

    /// CHECK: the item's mint PDA `["item", drop, index]`, checked in `validate`.
    pub item_mint: UncheckedAccount<'info>,

    /// CHECK: the item's metadata PDA, checked by its seeds; Token Metadata checks the drop
    /// PDA is its update authority.
    #[account(
        mut,
        seeds = [METADATA_SEED, mpl_token_metadata::ID.as_ref(), item_mint.key().as_ref()],
        bump,
        seeds::program = mpl_token_metadata::ID,
    )]
    pub item_metadata: UncheckedAccount<'info>,

    pub token_metadata_program: Program<'info, Metadata>,
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
                && self.item_mint.key() == item_mint_address(&drop.key(), args.index).0
                && *self.item_metadata.owner == mpl_token_metadata::ID,
            MicrodropError::ItemAccountsMismatch
        );
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
    token_metadata::update_uri(
        &ctx.accounts.item_metadata.to_account_info(),
        &ctx.accounts.drop.to_account_info(),
        drop,
        &vault,
        args.index,
        args.uri.clone(),
        &[&seeds[..]],
    )?;
    emit_cpi!(ItemUriUpdated {
        drop: drop_key,
        mint: ctx.accounts.item_mint.key(),
        index: args.index,
        uri: args.uri,
        timestamp: Clock::get()?.unix_timestamp,
    });
    Ok(())
}
