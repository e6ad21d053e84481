use anchor_lang::prelude::*;

use crate::{
    constants::{MAX_TIERS, TIER_SEED},
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

    /// The next tier: its id is the drop's current tier count.
    #[account(
        init,
        payer = authority,
        space = 8 + Tier::INIT_SPACE,
        seeds = [TIER_SEED, drop.key().as_ref(), &[drop.tier_count]],
        bump,
    )]
    pub tier: Box<Account<'info, Tier>>,

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
        let total = drop
            .tier_supply_total
            .checked_add(config.supply)
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
        .checked_add(config.supply)
        .ok_or(MicrodropError::ArithmeticOverflow)?;

    let tier = &mut ctx.accounts.tier;
    tier.set_inner(Tier {
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
        reserved: [0; 75],
    });
    tier.apply(config.clone());
    tier.invariant()?;
    drop.invariant()?;

    emit_cpi!(TierAdded {
        drop: ctx.accounts.drop.key(),
        tier: ctx.accounts.tier.key(),
        id,
        config,
        timestamp: Clock::get()?.unix_timestamp,
    });
    Ok(())
}
