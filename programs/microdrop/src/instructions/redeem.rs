use anchor_lang::prelude::*;
use anchor_spl::{metadata::Metadata, token::Token, token_2022::Token2022};

use crate::{
    constants::*,
    errors::MicrodropError,
    events::Redeemed,
    items::{self, StandardAccounts},
    state::{item_tiers, Benefit, Drop, DropStatus, Redemption, RedemptionStatus, ThresholdState},
};

/// Arguments of [`redeem`](crate::microdrop::redeem).
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug, PartialEq, Eq)]
pub struct RedeemArgs {
    pub benefit_id: u8,
    /// The burned items' indexes, in the order of their accounts.
    pub indexes: Vec<u64>,
}

#[event_cpi]
#[derive(Accounts)]
#[instruction(args: RedeemArgs)]
pub struct Redeem<'info> {
    /// Holds the items, burns them, pays the receipt's rent and gets the items' rent back.
    #[account(mut)]
    pub holder: Signer<'info>,

    #[account(mut)]
    pub drop: Box<Account<'info, Drop>>,

    #[account(
        mut,
        seeds = [BENEFIT_SEED, drop.key().as_ref(), &[args.benefit_id]],
        bump = benefit.bump,
        has_one = drop,
    )]
    pub benefit: Box<Account<'info, Benefit>>,

    /// CHECK: the receipt, one per redemption, numbered by the benefit's redemption
    /// count; checked by its seeds and created here through the prefund-safe path.
    #[account(
        mut,
        seeds = [REDEMPTION_SEED, benefit.key().as_ref(), &benefit.redeemed.to_le_bytes()],
        bump,
    )]
    pub redemption: UncheckedAccount<'info>,

    /// CHECK: the drop's item-tier table, checked by its seeds and `item_tiers::check`.
    #[account(seeds = [ITEM_TIERS_SEED, drop.key().as_ref()], bump = drop.item_tiers_bump)]
    pub item_tiers: UncheckedAccount<'info>,

    /// CHECK: the drop's collection mint, address-checked.
    #[account(address = drop.collection_mint)]
    pub collection_mint: UncheckedAccount<'info>,

    /// CHECK: Token Metadata drops: the collection's metadata PDA, address-checked in
    /// `validate`; Token Metadata decrements the collection's size as items burn.
    #[account(mut)]
    pub collection_metadata: Option<UncheckedAccount<'info>>,

    /// Token Metadata drops only.
    pub token_metadata_program: Option<Program<'info, Metadata>>,
    pub token_program: Program<'info, Token>,
    pub system_program: Program<'info, System>,
    /// Token-2022 drops only.
    pub token_2022_program: Option<Program<'info, Token2022>>,
}

impl<'info> Redeem<'info> {
    /// The accounts of the item standards.
    pub fn standard_accounts(&self) -> StandardAccounts<'_, 'info> {
        StandardAccounts {
            collection_mint: self.collection_mint.as_ref(),
            collection_metadata: self.collection_metadata.as_ref().map(AsRef::as_ref),
            collection_master_edition: None,
            token_metadata_program: self.token_metadata_program.as_ref().map(AsRef::as_ref),
            token_2022_program: self.token_2022_program.as_ref().map(AsRef::as_ref),
        }
    }
}

/// Every check, before any effect: the benefit's window and supply, the number of items,
/// and for each item its collection (verified), ownership, liveness and tier.
fn validate<'info>(ctx: &Context<'info, Redeem<'info>>, args: &RedeemArgs, now: i64) -> Result<()> {
    let accounts = &ctx.accounts;
    let drop = &accounts.drop;
    let benefit = &accounts.benefit;
    require!(
        drop.status != DropStatus::Paused,
        MicrodropError::DropPaused
    );
    // A preorder's benefits wait for its minimum: a failed run delivers nothing, and its
    // items are refunded instead.
    require!(
        matches!(
            drop.threshold(now),
            ThresholdState::Unconditional | ThresholdState::Met
        ),
        MicrodropError::ThresholdNotMet
    );
    benefit.check_open(now)?;
    require!(
        benefit.redeemed < benefit.supply,
        MicrodropError::BenefitExhausted
    );
    require!(
        args.indexes.len() == usize::from(benefit.burn),
        MicrodropError::RedeemWrongItemCount
    );
    let per_item = items::accounts_per_item(drop.standard);
    require!(
        ctx.remaining_accounts.len() == args.indexes.len() * per_item,
        MicrodropError::ItemAccountsMismatch
    );
    accounts.standard_accounts().check(drop.standard, false)?;
    for (i, index) in args.indexes.iter().enumerate() {
        require!(
            !args.indexes[..i].contains(index),
            MicrodropError::ItemAccountsMismatch
        );
    }
    item_tiers::check(&accounts.item_tiers, &drop.key())?;
    let tiers = accounts.item_tiers.try_borrow_data()?;

    for (index, item) in args
        .indexes
        .iter()
        .zip(ctx.remaining_accounts.chunks_exact(per_item))
    {
        items::check_held_item(&drop.key(), drop, item, &accounts.holder.key(), *index)?;
        let tier = items::tier_of(drop.standard, item, &tiers, *index)?;
        require!(
            benefit.tier_mask == 0 || tier.is_some_and(|t| benefit.accepts_tier(t)),
            MicrodropError::BenefitTierNotEligible
        );
    }
    Ok(())
}

/// Burns the benefit's number of items in the drop's standard, their rent returning to the
/// holder (for Token Metadata, the token, metadata and edition accounts; for Token-2022,
/// everything: the token account and the mint), and writes the receipt.
pub fn handler<'info>(ctx: Context<'info, Redeem<'info>>, args: RedeemArgs) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    validate(&ctx, &args, now)?;

    let accounts = &ctx.accounts;
    let drop = &accounts.drop;
    let seeds = drop.signer_seeds();
    let standard = accounts.standard_accounts();
    let per_item = items::accounts_per_item(drop.standard);
    let mut burned = Vec::with_capacity(args.indexes.len());
    for item in ctx.remaining_accounts.chunks_exact(per_item) {
        items::burn_item(
            &standard,
            &drop.to_account_info(),
            drop,
            item,
            &accounts.holder.to_account_info(),
            &accounts.token_program.to_account_info(),
            &[&seeds[..]],
        )?;
        burned.push(item[0].key());
    }

    let benefit = &mut ctx.accounts.benefit;
    let index = benefit.redeemed;
    benefit.redeemed = index
        .checked_add(1)
        .ok_or(MicrodropError::ArithmeticOverflow)?;
    benefit.invariant()?;
    let drop = &mut ctx.accounts.drop;
    drop.burned = drop
        .burned
        .checked_add(u64::from(ctx.accounts.benefit.burn))
        .ok_or(MicrodropError::ArithmeticOverflow)?;
    drop.invariant()?;
    let benefit_key = ctx.accounts.benefit.key();
    let receipt = Redemption {
        drop: ctx.accounts.drop.key(),
        benefit: ctx.accounts.benefit.key(),
        benefit_id: ctx.accounts.benefit.id,
        holder: ctx.accounts.holder.key(),
        index,
        burned: burned.clone(),
        redeemed_at: now,
        status: RedemptionStatus::Pending,
        reference: [0; 32],
        fulfilled_at: 0,
        bump: ctx.bumps.redemption,
    };
    crate::cpi::create_program_account(
        &ctx.accounts.holder.to_account_info(),
        &ctx.accounts.redemption.to_account_info(),
        &ctx.accounts.system_program.to_account_info(),
        &[
            REDEMPTION_SEED,
            benefit_key.as_ref(),
            &index.to_le_bytes(),
            &[ctx.bumps.redemption],
        ],
        &receipt,
    )?;

    emit_cpi!(Redeemed {
        drop: ctx.accounts.drop.key(),
        benefit: ctx.accounts.benefit.key(),
        benefit_id: ctx.accounts.benefit.id,
        redemption: ctx.accounts.redemption.key(),
        holder: ctx.accounts.holder.key(),
        burned,
        timestamp: now,
    });
    Ok(())
}
