use anchor_lang::prelude::*;

use crate::{
    constants::{BENEFIT_SEED, MAX_BENEFITS},
    errors::MicrodropError,
    events::BenefitAdded,
    state::{Benefit, BenefitConfig, Drop, DropStatus},
};

#[event_cpi]
#[derive(Accounts)]
pub struct AddBenefit<'info> {
    #[account(mut)]
    pub authority: Signer<'info>,

    #[account(mut, has_one = authority @ MicrodropError::DropAuthorityMismatch)]
    pub drop: Box<Account<'info, Drop>>,

    /// The next benefit: its id is the drop's current benefit count.
    #[account(
        init,
        payer = authority,
        space = 8 + Benefit::INIT_SPACE,
        seeds = [BENEFIT_SEED, drop.key().as_ref(), &[drop.benefit_count]],
        bump,
    )]
    pub benefit: Box<Account<'info, Benefit>>,

    pub system_program: Program<'info, System>,
}

impl AddBenefit<'_> {
    pub fn validate(&self, config: &BenefitConfig) -> Result<()> {
        require!(
            self.drop.status != DropStatus::Closed,
            MicrodropError::DropClosed
        );
        require!(
            self.drop.benefit_count < MAX_BENEFITS,
            MicrodropError::DropBenefitLimitReached
        );
        config.validate(self.drop.tier_count)
    }
}

/// Adds the drop's next benefit.
#[access_control(ctx.accounts.validate(&config))]
pub fn handler(ctx: Context<AddBenefit>, config: BenefitConfig) -> Result<()> {
    let drop = &mut ctx.accounts.drop;
    let id = drop.benefit_count;
    drop.benefit_count = id
        .checked_add(1)
        .ok_or(MicrodropError::ArithmeticOverflow)?;
    let benefit = &mut ctx.accounts.benefit;
    benefit.set_inner(Benefit {
        drop: drop.key(),
        id,
        label: config.label.clone(),
        burn: config.burn,
        supply: config.supply,
        redeemed: 0,
        start: config.start,
        end: config.end,
        tier_mask: config.tier_mask,
        bump: ctx.bumps.benefit,
        reserved: [0; 64],
    });
    benefit.invariant()?;
    drop.invariant()?;
    emit_cpi!(BenefitAdded {
        drop: ctx.accounts.drop.key(),
        benefit: ctx.accounts.benefit.key(),
        id,
        config,
        timestamp: Clock::get()?.unix_timestamp,
    });
    Ok(())
}
