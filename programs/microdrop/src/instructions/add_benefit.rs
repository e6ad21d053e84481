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

    /// CHECK: the next benefit (its id is the drop's current benefit count), checked by
    /// its seeds and created here through the prefund-safe path.
    #[account(
        mut,
        seeds = [BENEFIT_SEED, drop.key().as_ref(), &[drop.benefit_count]],
        bump,
    )]
    pub benefit: UncheckedAccount<'info>,

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
    let benefit = Benefit {
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
    };
    benefit.invariant()?;
    drop.invariant()?;
    let drop_key = drop.key();
    crate::cpi::create_program_account(
        &ctx.accounts.authority.to_account_info(),
        &ctx.accounts.benefit.to_account_info(),
        &ctx.accounts.system_program.to_account_info(),
        &[BENEFIT_SEED, drop_key.as_ref(), &[id], &[ctx.bumps.benefit]],
        &benefit,
    )?;
    emit_cpi!(BenefitAdded {
        drop: ctx.accounts.drop.key(),
        benefit: ctx.accounts.benefit.key(),
        id,
        config,
        timestamp: Clock::get()?.unix_timestamp,
    });
    Ok(())
}
