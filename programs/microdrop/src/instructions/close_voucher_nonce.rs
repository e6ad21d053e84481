use anchor_lang::prelude::*;

use crate::{
    constants::VOUCHER_SEED,
    errors::MicrodropError,
    state::{Drop, DropStatus, Tier, VoucherNonce},
};

#[derive(Accounts)]
pub struct CloseVoucherNonce<'info> {
    /// The buyer who spent the voucher; gets the rent back.
    #[account(mut)]
    pub wallet: Signer<'info>,

    pub drop: Box<Account<'info, Drop>>,

    #[account(has_one = drop)]
    pub tier: Box<Account<'info, Tier>>,

    #[account(
        mut,
        close = wallet,
        seeds = [VOUCHER_SEED, tier.key().as_ref(), &voucher_nonce.nonce.to_le_bytes()],
        bump = voucher_nonce.bump,
        has_one = wallet,
        has_one = tier,
    )]
    pub voucher_nonce: Box<Account<'info, VoucherNonce>>,
}

impl CloseVoucherNonce<'_> {
    pub fn validate(&self) -> Result<()> {
        require!(
            self.drop.status == DropStatus::Closed,
            MicrodropError::DropNotClosed
        );
        Ok(())
    }
}

#[access_control(ctx.accounts.validate())]
pub fn handler(ctx: Context<CloseVoucherNonce>) -> Result<()> {
    let _ = ctx;
    Ok(())
}
