use anchor_lang::prelude::*;

use crate::{
    constants::{OPEN_SUPPLY, TIER_SEED},
    errors::MicrodropError,
    events::TierUpdated,
    state::{Drop, Tier, TierConfig},
};

#[event_cpi]
#[derive(Accounts)]
pub struct UpdateTier<'info> {
    pub authority: Signer<'info>,

    #[account(mut, has_one = authority @ MicrodropError::DropAuthorityMismatch)]
    pub drop: Box<Account<'info, Drop>>,

    #[account(
        mut,
        seeds = [TIER_SEED, drop.key().as_ref(), &[tier.id]],
        bump = tier.bump,
        has_one = drop,
    )]
    pub tier: Box<Account<'info, Tier>>,
}

impl UpdateTier<'_> {
    pub fn validate(&self, config: &TierConfig) -> Result<()> {
        require!(self.drop.is_editable(), MicrodropError::DropNotEditable);
        config.validate()?;
        require_gte!(
            config.supply,
            self.tier.minted,
            MicrodropError::TierSupplyBelowMinted
        );
        require!(
            self.drop.is_open() || config.supply != OPEN_SUPPLY,
            MicrodropError::TierSupplyOpenInCappedDrop
        );
        let total = self
            .drop
            .tier_supply_total
            .checked_sub(Tier::counted_supply(self.tier.supply))
            .and_then(|rest| rest.checked_add(Tier::counted_supply(config.supply)))
            .ok_or(MicrodropError::ArithmeticOverflow)?;
        require_gte!(
            self.drop.supply,
            total,
            MicrodropError::TierSupplyExceedsDrop
        );
        Ok(())
    }
}

#[access_control(ctx.accounts.validate(&config))]
pub fn handler(ctx: Context<UpdateTier>, config: TierConfig) -> Result<()> {
    let drop = &mut ctx.accounts.drop;
    let tier = &mut ctx.accounts.tier;
    let old = tier.config();
    drop.tier_supply_total = drop
        .tier_supply_total
        .checked_sub(Tier::counted_supply(tier.supply))
        .and_then(|rest| rest.checked_add(Tier::counted_supply(config.supply)))
        .ok_or(MicrodropError::ArithmeticOverflow)?;
    tier.apply(config.clone());
    tier.invariant()?;
    drop.invariant()?;

    emit_cpi!(TierUpdated {
        drop: ctx.accounts.drop.key(),
        tier: ctx.accounts.tier.key(),
        id: ctx.accounts.tier.id,
        old,
        new: config,
        timestamp: Clock::get()?.unix_timestamp,
    });
    Ok(())
}
