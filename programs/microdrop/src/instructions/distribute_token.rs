use anchor_lang::prelude::*;
use anchor_spl::{
    associated_token::get_associated_token_address_with_program_id,
    token_interface::{self, Mint, TokenAccount, TokenInterface},
};

use crate::{
    constants::{LEDGER_SEED, VAULT_SEED},
    errors::MicrodropError,
    events::{Payout, TokenDistributed},
    instructions::distribute::{owed, token_recipient_payable},
    state::{Currency, Drop, TokenLedger},
};

#[event_cpi]
#[derive(Accounts)]
pub struct DistributeToken<'info> {
    /// Anyone; pays the ledger's rent on the mint's first distribution.
    #[account(mut)]
    pub payer: Signer<'info>,

    pub drop: Box<Account<'info, Drop>>,

    /// CHECK: the drop's vault PDA, checked by its seeds; signs for the payouts.
    #[account(seeds = [VAULT_SEED, drop.key().as_ref()], bump = drop.vault_bump)]
    pub vault: UncheckedAccount<'info>,

    /// A mint other than the drop's currency (SPL Token or Token-2022).
    #[account(mint::token_program = token_program)]
    pub mint: Box<InterfaceAccount<'info, Mint>>,

    /// The vault's associated token account for `mint`; its address is checked in
    /// `validate`.
    #[account(mut)]
    pub vault_token: Box<InterfaceAccount<'info, TokenAccount>>,

    /// CHECK: the drop's `TokenLedger` for `mint`, checked by its seeds; created here on
    /// the mint's first distribution (prefund-safe).
    #[account(mut, seeds = [LEDGER_SEED, drop.key().as_ref(), mint.key().as_ref()], bump)]
    pub ledger: UncheckedAccount<'info>,

    pub token_program: Interface<'info, TokenInterface>,
    pub system_program: Program<'info, System>,
}

impl DistributeToken<'_> {
    pub fn validate(&self) -> Result<()> {
        let mint = self.mint.key();
        // The currency has its own accounting in the drop (`distribute` with `tokens`).
        require!(
            self.drop.currency != Currency::Spl { mint },
            MicrodropError::DistributeAccountsInvalid
        );
        require_keys_eq!(
            self.vault_token.key(),
            get_associated_token_address_with_program_id(
                &self.vault.key(),
                &mint,
                &self.token_program.key()
            ),
            MicrodropError::DistributeAccountsInvalid
        );
        Ok(())
    }
}

/// Pays every split recipient its share of everything the vault ever received of `mint`,
/// as `distribute` does for the currency: the remaining accounts are the recipients'
/// token accounts of `mint` in the split's stored order, nothing is paid before the first
/// sale, a recipient that cannot be paid keeps its claim, and dust waits in the vault.
#[access_control(ctx.accounts.validate())]
pub fn handler<'info>(ctx: Context<'info, DistributeToken<'info>>) -> Result<()> {
    let accounts = &ctx.accounts;
    let drop = &accounts.drop;
    let recipients = ctx.remaining_accounts;
    require!(
        recipients.len() == drop.splits.len(),
        MicrodropError::SplitRecipientMismatch
    );
    let mint = accounts.mint.key();
    let token_program = accounts.token_program.key();
    let drop_key = drop.key();
    let ledger_info = accounts.ledger.to_account_info();
    let mut ledger = if *ledger_info.owner == crate::ID {
        TokenLedger::try_deserialize(&mut &ledger_info.try_borrow_data()?[..])?
    } else {
        TokenLedger {
            drop: drop_key,
            mint,
            distributed: 0,
            paid: [0; crate::constants::MAX_SPLITS],
            bump: ctx.bumps.ledger,
        }
    };

    // Every check first: the recipients, then the amounts.
    let mut payable = Vec::with_capacity(recipients.len());
    for (split, account) in drop.splits.iter().zip(recipients) {
        payable.push(token_recipient_payable(
            split,
            account,
            &mint,
            &token_program,
        )?);
    }
    let balance = accounts.vault_token.amount;
    let distributable = if drop.minted == 0 { 0 } else { balance };
    let total = ledger
        .distributed
        .checked_add(distributable)
        .ok_or(MicrodropError::ArithmeticOverflow)?;
    let mut amounts = Vec::with_capacity(recipients.len());
    for ((split, paid), payable) in drop.splits.iter().zip(&ledger.paid).zip(&payable) {
        amounts.push(if *payable {
            owed(total, split.share_bps, *paid)?
        } else {
            0
        });
    }

    let vault_seeds: &[&[u8]] = &[VAULT_SEED, drop_key.as_ref(), &[drop.vault_bump]];
    let mut payouts = Vec::with_capacity(recipients.len());
    let mut sent: u64 = 0;
    for (i, ((split, account), amount)) in
        drop.splits.iter().zip(recipients).zip(&amounts).enumerate()
    {
        if *amount > 0 {
            token_interface::transfer_checked(
                CpiContext::new_with_signer(
                    token_program,
                    token_interface::TransferChecked {
                        from: accounts.vault_token.to_account_info(),
                        mint: accounts.mint.to_account_info(),
                        to: account.clone(),
                        authority: accounts.vault.to_account_info(),
                    },
                    &[vault_seeds],
                ),
                *amount,
                accounts.mint.decimals,
            )?;
        }
        ledger.paid[i] = ledger.paid[i]
            .checked_add(*amount)
            .ok_or(MicrodropError::ArithmeticOverflow)?;
        sent = sent
            .checked_add(*amount)
            .ok_or(MicrodropError::ArithmeticOverflow)?;
        payouts.push(Payout {
            recipient: split.address,
            amount: *amount,
        });
    }
    ledger.distributed = ledger
        .distributed
        .checked_add(sent)
        .ok_or(MicrodropError::ArithmeticOverflow)?;
    ledger.invariant()?;
    crate::cpi::save_program_account(
        &accounts.payer.to_account_info(),
        &ledger_info,
        &accounts.system_program.to_account_info(),
        &[
            LEDGER_SEED,
            drop_key.as_ref(),
            mint.as_ref(),
            &[ctx.bumps.ledger],
        ],
        &ledger,
    )?;

    emit_cpi!(TokenDistributed {
        drop: drop_key,
        mint,
        payouts,
        undistributed: balance
            .checked_sub(sent)
            .ok_or(MicrodropError::ArithmeticOverflow)?,
        timestamp: Clock::get()?.unix_timestamp,
    });
    Ok(())
}
