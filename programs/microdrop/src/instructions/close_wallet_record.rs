use anchor_lang::prelude::*;

use crate::{
    constants::WALLET_SEED,
    errors::MicrodropError,
    state::{Drop, DropStatus, Tier, WalletRecord},
};

#[derive(Accounts)]
pub struct CloseWalletRecord<'info> {
    /// The wallet the record counts; it gets the rent back.
    #[account(mut)]
    pub wallet: Signer<'info>,

    pub drop: Box<Account<'info, Drop>>,

    #[account(has_one = drop)]
    pub tier: Box<Account<'info, Tier>>,

    #[account(
        mut,
        close = wallet,
        seeds = [WALLET_SEED, tier.key().as_ref(), wallet.key().as_ref()],
        bump = wallet_record.bump,
        has_one = wallet,
        has_one = tier,
    )]
    pub wallet_record: Box<Account<'info, WalletRecord>>,
}

impl CloseWalletRecord<'_> {
    pub fn validate(&self) -> Result<()> {
        require!(
            self.drop.status == DropStatus::Closed,
            MicrodropError::DropNotClosed
        );
        Ok(())
    }
}

#[access_control(ctx.accounts.validate())]
pub fn handler(ctx: Context<CloseWalletRecord>) -> Result<()> {
    let _ = ctx;
    Ok(())
}
