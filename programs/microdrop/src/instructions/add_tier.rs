use anchor_lang::prelude::*;

use crate::{
    constants::{MAX_TIERS, OPEN_SUPPLY, TIER_SEED},
    errors::MicrodropError,
    events::TierAdded,
    state::{Drop, Tier, TierConfig},
};

#[event_cpi]
#[derive(Accounts)]
pub struct AddTier<'info> {
    #[account(mut)]
    pub authority: Signer<'info>,

    #[account(mut, has_one = authority @ MicrodropError::DropAuthorityMismatch)]
    pub drop: Box<Account<'info, Drop>>,

    /// CHECK: the next tier (its id is the drop's current tier count), checked by its
    /// seeds and created here through the prefund-safe path.
    #[account(
        mut,
        seeds = [TIER_SEED, drop.key().as_ref(), &[drop.tier_count]],
        bump,
    )]
    pub tier: UncheckedAccount<'info>,

    pub system_program: Program<'info, System>,
}

impl AddTier<'_> {
    pub fn validate(&self, config: &TierConfig) -> Result<()> {
        let drop = &self.drop;
        require!(drop.is_editable(), MicrodropError::DropNotEditable);
        require!(
            drop.tier_count < MAX_TIERS,
            MicrodropError::DropTierLimitReached
        );
        config.validate()?;
        require!(
            drop.is_open() || config.supply != OPEN_SUPPLY,
            MicrodropError::TierSupplyOpenInCappedDrop
        );
        let total = drop
            .tier_supply_total
            .checked_add(Tier::counted_supply(config.supply))
            .ok_or(MicrodropError::ArithmeticOverflow)?;
        require_gte!(drop.supply, total, MicrodropError::TierSupplyExceedsDrop);
        Ok(())
    }
}

#[access_control(ctx.accounts.validate(&config))]
pub fn handler(ctx: Context<AddTier>, config: TierConfig) -> Result<()> {
    let drop = &mut ctx.accounts.drop;
    let id = drop.tier_count;
    drop.tier_count = id
        .checked_add(1)
        .ok_or(MicrodropError::ArithmeticOverflow)?;
    drop.tier_supply_total = drop
        .tier_supply_total
        .checked_add(Tier::counted_supply(config.supply))
        .ok_or(MicrodropError::ArithmeticOverflow)?;

    let mut tier = Tier {
        drop: drop.key(),
        id,
        label: String::new(),
        start: 0,
        end: 0,
        price: 0,
        supply: 0,
        minted: 0,
        per_wallet: 0,
        allowlist_root: None,
        holder_of: None,
        bump: ctx.bumps.tier,
        voucher_signer: None,
        regions: vec![],
        holder_limit: 0,
        reserved: [0; 71],
    };
    tier.apply(config.clone());
    tier.invariant()?;
    drop.invariant()?;
    let drop_key = drop.key();
    crate::cpi::create_program_account(
        &ctx.accounts.authority.to_account_info(),
        &ctx.accounts.tier.to_account_info(),
        &ctx.accounts.system_program.to_account_info(),
        &[TIER_SEED, drop_key.as_ref(), &[id], &[ctx.bumps.tier]],
        &tier,
    )?;

    emit_cpi!(TierAdded {
        drop: ctx.accounts.drop.key(),
        tier: ctx.accounts.tier.key(),
        id,
        config,
        timestamp: Clock::get()?.unix_timestamp,
    });
    Ok(())
}
