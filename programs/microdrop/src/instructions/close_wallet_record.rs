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

    /// CHECK: the wallet's record for the tier, checked by its seeds and its type (either
    /// layout, see `WalletRecord::LEGACY_LEN`); closed here, its rent to the wallet.
    #[account(
        mut,
        seeds = [WALLET_SEED, tier.key().as_ref(), wallet.key().as_ref()],
        bump,
    )]
    pub wallet_record: UncheckedAccount<'info>,
}

impl CloseWalletRecord<'_> {
    pub fn validate(&self) -> Result<()> {
        require!(
            self.drop.status == DropStatus::Closed,
            MicrodropError::DropNotClosed
        );
        require_keys_eq!(
            *self.wallet_record.owner,
            crate::ID,
            ErrorCode::AccountNotInitialized
        );
        WalletRecord::read(&self.wallet_record.try_borrow_data()?)?;
        Ok(())
    }
}

/// Closes the record: its lamports go to the wallet and the account returns to the system
/// program, empty.
#[access_control(ctx.accounts.validate())]
pub fn handler(ctx: Context<CloseWalletRecord>) -> Result<()> {
    let record = ctx.accounts.wallet_record.to_account_info();
    let wallet = ctx.accounts.wallet.to_account_info();
    let lamports = record.lamports();
    **record.try_borrow_mut_lamports()? = 0;
    **wallet.try_borrow_mut_lamports()? += lamports;
    record.assign(&anchor_lang::system_program::ID);
    record.resize(0).map_err(Into::into)
}
