use anchor_lang::{prelude::*, system_program};
use anchor_spl::{
    associated_token::get_associated_token_address_with_program_id,
    token::{self, Token, TokenAccount},
    token_interface,
};

use crate::{
    constants::{MAX_BPS, VAULT_SEED},
    errors::MicrodropError,
    events::{Distributed, Payout},
    state::{Currency, Drop, Split, ThresholdState},
};

/// Arguments of [`distribute`](crate::microdrop::distribute).
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub struct DistributeArgs {
    /// Distribute the vault's currency tokens (SPL drops) instead of its lamports.
    pub tokens: bool,
}

#[event_cpi]
#[derive(Accounts)]
pub struct Distribute<'info> {
    #[account(mut)]
    pub drop: Box<Account<'info, Drop>>,

    /// CHECK: the drop's vault PDA, checked by its seeds; a system account that signs for
    /// the payouts with its seeds.
    #[account(mut, seeds = [VAULT_SEED, drop.key().as_ref()], bump = drop.vault_bump)]
    pub vault: UncheckedAccount<'info>,

    /// The vault's token account in the drop's currency (token distributions only).
    #[account(mut)]
    pub vault_token: Option<Box<Account<'info, TokenAccount>>>,

    pub token_program: Option<Program<'info, Token>>,
    pub system_program: Program<'info, System>,
}

/// What each recipient is owed now: its share of everything the vault ever received
/// (`total`), rounded down, less what it was already paid. u128 keeps `total * share` from
/// overflowing; the rounding dust stays in the vault and is owed out as income grows, so
/// over any sequence of distributions each recipient gets exactly
/// `floor(total * share / 10 000)`.
pub fn owed(total: u64, share_bps: u16, paid: u64) -> Result<u64> {
    let entitled = u128::from(total)
        .checked_mul(u128::from(share_bps))
        .ok_or(MicrodropError::ArithmeticOverflow)?
        / u128::from(MAX_BPS);
    let entitled = u64::try_from(entitled).map_err(|_| MicrodropError::ArithmeticOverflow)?;
    Ok(entitled.saturating_sub(paid))
}

/// Whether a recipient's token account of `mint` under `token_program` can be paid now. It
/// must be the recipient's: a token account of that owner and mint, or the address of its
/// associated token account while none is open there (`false`: nothing to pay into). A
/// frozen or read-only one cannot be paid either.
pub fn token_recipient_payable<'info>(
    split: &Split,
    account: &'info AccountInfo<'info>,
    mint: &Pubkey,
    token_program: &Pubkey,
) -> Result<bool> {
    let associated =
        get_associated_token_address_with_program_id(&split.address, mint, token_program);
    if account.key() == associated && (account.owner != token_program || account.data_is_empty()) {
        return Ok(false);
    }
    require_keys_eq!(
        *account.owner,
        *token_program,
        MicrodropError::SplitRecipientMismatch
    );
    let token = InterfaceAccount::<token_interface::TokenAccount>::try_from(account)
        .map_err(|_| error!(MicrodropError::SplitRecipientMismatch))?;
    require!(
        token.owner == split.address && token.mint == *mint,
        MicrodropError::SplitRecipientMismatch
    );
    Ok(account.is_writable && !token.is_frozen())
}

/// Pays every recipient its share of the vault's distributable balance. Permissionless.
///
/// Remaining accounts: the recipients in the split's stored order: their wallets for
/// lamports, their token accounts in the drop's currency for tokens.
pub fn handler<'info>(ctx: Context<'info, Distribute<'info>>, args: DistributeArgs) -> Result<()> {
    let recipients = ctx.remaining_accounts;
    let drop = &ctx.accounts.drop;
    require!(
        recipients.len() == drop.splits.len(),
        MicrodropError::SplitRecipientMismatch
    );
    let drop_key = drop.key();
    let vault_seeds: &[&[u8]] = &[VAULT_SEED, drop_key.as_ref(), &[drop.vault_bump]];
    let rent = Rent::get()?;

    // Every check first: the accounts, then the amounts. A recipient that cannot be paid
    // now is skipped: its share stays in the vault, still owed, for a later distribution.
    let mut payable = Vec::with_capacity(recipients.len());
    let (balance, distributed) = if args.tokens {
        let Currency::Spl { mint } = drop.currency else {
            return err!(MicrodropError::DistributeAccountsInvalid);
        };
        let (Some(vault_token), Some(_)) = (&ctx.accounts.vault_token, &ctx.accounts.token_program)
        else {
            return err!(MicrodropError::DistributeAccountsInvalid);
        };
        require!(
            vault_token.key()
                == anchor_spl::associated_token::get_associated_token_address(
                    &ctx.accounts.vault.key(),
                    &mint
                ),
            MicrodropError::DistributeAccountsInvalid
        );
        for (split, account) in drop.splits.iter().zip(recipients) {
            payable.push(token_recipient_payable(split, account, &mint, &token::ID)?);
        }
        (vault_token.amount, drop.distributed_tokens)
    } else {
        for (split, account) in drop.splits.iter().zip(recipients) {
            require_keys_eq!(
                account.key(),
                split.address,
                MicrodropError::SplitRecipientMismatch
            );
            // The runtime makes reserved addresses (sysvars, programs) read-only, and an
            // executable account's balance cannot change.
            payable.push(account.is_writable && !account.executable);
        }
        let reserve = rent.minimum_balance(0);
        (
            ctx.accounts.vault.lamports().saturating_sub(reserve),
            drop.distributed_lamports,
        )
    };
    // Before the first sale nothing is paid: the split may still change until then, and
    // a stranger's transfer to the vault followed by a distribution must not freeze it.
    let mut distributable = if drop.minted == 0 { 0 } else { balance };
    // A preorder's proceeds stay in the vault until its minimum sells. Once it failed,
    // what the vault holds for refunds stays there; only more than that (royalties, or
    // transfers) can be shared.
    let in_currency = args.tokens == matches!(drop.currency, Currency::Spl { .. });
    match drop.threshold(Clock::get()?.unix_timestamp) {
        ThresholdState::Pending => return err!(MicrodropError::ThresholdNotMet),
        ThresholdState::Failed if in_currency => {
            distributable = distributable.saturating_sub(drop.escrowed);
        }
        _ => {}
    }
    let total = distributed
        .checked_add(distributable)
        .ok_or(MicrodropError::ArithmeticOverflow)?;
    let mut amounts = Vec::with_capacity(recipients.len());
    for ((split, account), payable) in drop.splits.iter().zip(recipients).zip(&payable) {
        if !payable {
            amounts.push(0);
            continue;
        }
        let paid = if args.tokens {
            split.paid_tokens
        } else {
            split.paid_lamports
        };
        let mut amount = owed(total, split.share_bps, paid)?;
        // A wallet that does not exist yet cannot receive less than its rent-exempt
        // minimum; its share waits in the vault (still owed) until it can.
        if !args.tokens && account.lamports() == 0 && amount < rent.minimum_balance(0) {
            amount = 0;
        }
        amounts.push(amount);
    }

    let mut payouts = Vec::with_capacity(recipients.len());
    let mut sent: u64 = 0;
    for ((split, account), amount) in drop.splits.iter().zip(recipients).zip(&amounts) {
        if *amount > 0 {
            if args.tokens {
                let vault_token = ctx
                    .accounts
                    .vault_token
                    .as_ref()
                    .ok_or(MicrodropError::DistributeAccountsInvalid)?;
                token::transfer(
                    CpiContext::new_with_signer(
                        token::ID,
                        token::Transfer {
                            from: vault_token.to_account_info(),
                            to: account.clone(),
                            authority: ctx.accounts.vault.to_account_info(),
                        },
                        &[vault_seeds],
                    ),
                    *amount,
                )?;
            } else {
                system_program::transfer(
                    CpiContext::new_with_signer(
                        system_program::ID,
                        system_program::Transfer {
                            from: ctx.accounts.vault.to_account_info(),
                            to: account.clone(),
                        },
                        &[vault_seeds],
                    ),
                    *amount,
                )?;
            }
        }
        sent = sent
            .checked_add(*amount)
            .ok_or(MicrodropError::ArithmeticOverflow)?;
        payouts.push(Payout {
            recipient: split.address,
            amount: *amount,
        });
    }

    let drop = &mut ctx.accounts.drop;
    for (split, amount) in drop.splits.iter_mut().zip(&amounts) {
        let paid = if args.tokens {
            &mut split.paid_tokens
        } else {
            &mut split.paid_lamports
        };
        *paid = paid
            .checked_add(*amount)
            .ok_or(MicrodropError::ArithmeticOverflow)?;
    }
    let counter = if args.tokens {
        &mut drop.distributed_tokens
    } else {
        &mut drop.distributed_lamports
    };
    *counter = counter
        .checked_add(sent)
        .ok_or(MicrodropError::ArithmeticOverflow)?;
    drop.invariant()?;

    emit_cpi!(Distributed {
        drop: drop_key,
        tokens: args.tokens,
        payouts,
        undistributed: balance
            .checked_sub(sent)
            .ok_or(MicrodropError::ArithmeticOverflow)?,
        timestamp: Clock::get()?.unix_timestamp,
    });
    Ok(())
}
