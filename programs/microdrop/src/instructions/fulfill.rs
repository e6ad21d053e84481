use anchor_lang::prelude::*;

use crate::{
    errors::MicrodropError,
    events::Fulfilled,
    state::{Drop, Redemption, RedemptionStatus},
};

#[event_cpi]
#[derive(Accounts)]
pub struct Fulfill<'info> {
    pub authority: Signer<'info>,

    #[account(has_one = authority @ MicrodropError::DropAuthorityMismatch)]
    pub drop: Box<Account<'info, Drop>>,

    #[account(mut, constraint = redemption.drop == drop.key() @ MicrodropError::RedemptionWrongDrop)]
    pub redemption: Box<Account<'info, Redemption>>,
}

impl Fulfill<'_> {
    pub fn validate(&self) -> Result<()> {
        require!(
            self.redemption.status == RedemptionStatus::Pending,
            MicrodropError::RedemptionAlreadyFulfilled
        );
        Ok(())
    }
}

/// Marks a redemption delivered, with a 32-byte reference.
#[access_control(ctx.accounts.validate())]
pub fn handler(ctx: Context<Fulfill>, reference: [u8; 32]) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let redemption = &mut ctx.accounts.redemption;
    redemption.status = RedemptionStatus::Fulfilled;
    redemption.reference = reference;
    redemption.fulfilled_at = now;
    emit_cpi!(Fulfilled {
        drop: ctx.accounts.drop.key(),
        redemption: ctx.accounts.redemption.key(),
        reference,
        timestamp: now,
    });
    Ok(())
}
