use anchor_lang::prelude::*;
use anchor_spl::{
    metadata::Metadata,
    token::{Token, TokenAccount},
    token_2022::Token2022,
};

use crate::{
    constants::*,
    errors::MicrodropError,
    events::Refunded,
    items::{self, StandardAccounts},
    payments,
    state::{item_prices, Drop, ThresholdState},
};

/// Arguments of [`refund`](crate::microdrop::refund).
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug, PartialEq, Eq)]
pub struct RefundArgs {
    /// The items' indexes, in the order of their accounts (1 to `MAX_REFUND_ITEMS`).
    pub indexes: Vec<u64>,
}

#[event_cpi]
#[derive(Accounts)]
pub struct Refund<'info> {
    /// Holds the items, burns them, and receives what they were sold for and their rent.
    #[account(mut)]
    pub holder: Signer<'info>,

    #[account(mut)]
    pub drop: Box<Account<'info, Drop>>,

    /// CHECK: the drop's vault PDA, checked by its seeds; a system account that pays SOL
    /// refunds (signing with its seeds) and owns the currency token account.
    #[account(mut, seeds = [VAULT_SEED, drop.key().as_ref()], bump = drop.vault_bump)]
    pub vault: UncheckedAccount<'info>,

    /// CHECK: the drop's item-price table, checked by `item_prices::check` in `validate`
    /// (after the threshold, so that a drop without a preorder is refused by name); each
    /// refunded item's entry is marked so that it is never paid twice.
    #[account(mut)]
    pub item_prices: UncheckedAccount<'info>,

    /// The holder's token account in the drop's currency (SPL drops only).
    #[account(mut)]
    pub holder_payment: Option<Box<Account<'info, TokenAccount>>>,

    /// The vault's token account in the drop's currency (SPL drops only).
    #[account(mut)]
    pub vault_payment: Option<Box<Account<'info, TokenAccount>>>,

    /// CHECK: the drop's collection mint, address-checked.
    #[account(address = drop.collection_mint)]
    pub collection_mint: UncheckedAccount<'info>,

    /// CHECK: Token Metadata drops: the collection's metadata PDA, address-checked in
    /// `validate`; Token Metadata decrements the collection's size as items burn.
    #[account(mut)]
    pub collection_metadata: Option<UncheckedAccount<'info>>,

    /// Token Metadata drops only.
    pub token_metadata_program: Option<Program<'info, Metadata>>,
    pub token_program: Program<'info, Token>,
    pub system_program: Program<'info, System>,
    /// Token-2022 drops only.
    pub token_2022_program: Option<Program<'info, Token2022>>,
}

impl<'info> Refund<'info> {
    /// The holder and the vault, with their token accounts in the currency (SPL drops).
    pub fn payment(&self) -> payments::Sides<'_, 'info> {
        payments::Sides {
            wallet: self.holder.as_ref(),
            wallet_token: self.holder_payment.as_deref(),
            vault: self.vault.as_ref(),
            vault_token: self.vault_payment.as_deref(),
        }
    }

    /// The accounts of the item standards.
    pub fn standard_accounts(&self) -> StandardAccounts<'_, 'info> {
        StandardAccounts {
            collection_mint: self.collection_mint.as_ref(),
            collection_metadata: self.collection_metadata.as_ref().map(AsRef::as_ref),
            collection_master_edition: None,
            token_metadata_program: self.token_metadata_program.as_ref().map(AsRef::as_ref),
            token_2022_program: self.token_2022_program.as_ref().map(AsRef::as_ref),
        }
    }
}

/// Every check, before any effect: the preorder failed, the items are distinct, the
/// drop's, held by the signer and not refunded before, and the payment accounts are right.
/// Returns what the items were sold for.
fn validate<'info>(
    ctx: &Context<'info, Refund<'info>>,
    args: &RefundArgs,
    now: i64,
) -> Result<u64> {
    let accounts = &ctx.accounts;
    let drop = &accounts.drop;
    match drop.threshold(now) {
        ThresholdState::Failed => {}
        ThresholdState::Pending => return err!(MicrodropError::ThresholdPending),
        ThresholdState::Met | ThresholdState::Unconditional => {
            return err!(MicrodropError::ThresholdMet)
        }
    }
    require!(
        (1..=usize::from(MAX_REFUND_ITEMS)).contains(&args.indexes.len()),
        MicrodropError::RefundItemCountInvalid
    );
    for (i, index) in args.indexes.iter().enumerate() {
        require!(
            !args.indexes[..i].contains(index),
            MicrodropError::RefundItemCountInvalid
        );
    }
    let per_item = items::accounts_per_item(drop.standard);
    require!(
        ctx.remaining_accounts.len() == args.indexes.len() * per_item,
        MicrodropError::ItemAccountsMismatch
    );
    accounts.standard_accounts().check(drop.standard, false)?;
    item_prices::check(&accounts.item_prices, &drop.key())?;
    let table = accounts.item_prices.try_borrow_data()?;
    let mut amount: u64 = 0;
    for (index, item) in args
        .indexes
        .iter()
        .zip(ctx.remaining_accounts.chunks_exact(per_item))
    {
        let (state, price) = item_prices::entry(&table, *index)?;
        require!(
            state != item_prices::REFUNDED,
            MicrodropError::RefundAlreadyClaimed
        );
        items::check_held_item(&drop.key(), drop, item, &accounts.holder.key(), *index)?;
        amount = amount
            .checked_add(price)
            .ok_or(MicrodropError::ArithmeticOverflow)?;
    }
    accounts
        .payment()
        .check(&drop.currency, MicrodropError::RefundAccountInvalid)?;
    Ok(amount)
}

/// Burns the holder's items of a failed preorder and pays back, from the vault, exactly
/// what each was sold for (its recorded price, whoever holds it now); the items' rent
/// comes back as their burn gives it.
pub fn handler<'info>(ctx: Context<'info, Refund<'info>>, args: RefundArgs) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let amount = validate(&ctx, &args, now)?;

    let accounts = &ctx.accounts;
    let drop = &accounts.drop;
    let seeds = drop.signer_seeds();
    let standard = accounts.standard_accounts();
    let per_item = items::accounts_per_item(drop.standard);
    let mut burned = Vec::with_capacity(args.indexes.len());
    for item in ctx.remaining_accounts.chunks_exact(per_item) {
        items::burn_item(
            &standard,
            &drop.to_account_info(),
            drop,
            item,
            &accounts.holder.to_account_info(),
            &accounts.token_program.to_account_info(),
            &[&seeds[..]],
        )?;
        burned.push(item[0].key());
    }
    {
        let mut table = accounts.item_prices.try_borrow_mut_data()?;
        for index in &args.indexes {
            item_prices::mark_refunded(&mut table, *index)?;
        }
    }
    let drop_key = accounts.drop.key();
    let vault_seeds: &[&[u8]] = &[VAULT_SEED, drop_key.as_ref(), &[accounts.drop.vault_bump]];
    accounts.payment().pay_wallet(
        &accounts.drop.currency,
        amount,
        vault_seeds,
        MicrodropError::RefundAccountInvalid,
    )?;

    let drop = &mut ctx.accounts.drop;
    let count =
        u64::try_from(args.indexes.len()).map_err(|_| MicrodropError::ArithmeticOverflow)?;
    drop.burned = drop
        .burned
        .checked_add(count)
        .ok_or(MicrodropError::ArithmeticOverflow)?;
    // Every recorded price was escrowed when it was paid, so this cannot go below zero.
    drop.escrowed = drop
        .escrowed
        .checked_sub(amount)
        .ok_or(MicrodropError::DropInvariantViolated)?;
    drop.refunded = drop
        .refunded
        .checked_add(amount)
        .ok_or(MicrodropError::ArithmeticOverflow)?;
    drop.invariant()?;

    emit_cpi!(Refunded {
        drop: ctx.accounts.drop.key(),
        holder: ctx.accounts.holder.key(),
        burned,
        amount,
        escrowed: ctx.accounts.drop.escrowed,
        timestamp: now,
    });
    Ok(())
}
