//! The drop's currency between a wallet and the vault: the token accounts a payment in an
//! SPL drop must use, and the transfer itself, one way (a mint pays the vault) or the other
//! (a refund pays the wallet back).

use anchor_lang::{prelude::*, system_program};
use anchor_spl::{
    associated_token::get_associated_token_address,
    token::{self, TokenAccount},
};

use crate::{errors::MicrodropError, state::Currency};

/// A wallet and the drop's vault, with their token accounts in the currency (SPL drops).
pub struct Sides<'a, 'info> {
    pub wallet: &'a AccountInfo<'info>,
    pub wallet_token: Option<&'a Account<'info, TokenAccount>>,
    pub vault: &'a AccountInfo<'info>,
    pub vault_token: Option<&'a Account<'info, TokenAccount>>,
}

impl<'info> Sides<'_, 'info> {
    /// For an SPL drop, both token accounts are there: the wallet's own in the currency,
    /// and the vault's associated token account in it. `error` is the instruction's
    /// refusal for anything else.
    pub fn check(&self, currency: &Currency, error: MicrodropError) -> Result<()> {
        let Currency::Spl { mint } = currency else {
            return Ok(());
        };
        let (Some(wallet), Some(vault)) = (self.wallet_token, self.vault_token) else {
            return Err(error.into());
        };
        let wallet_ok = wallet.mint == *mint && wallet.owner == self.wallet.key();
        let vault_ok = vault.key() == get_associated_token_address(self.vault.key, mint)
            && vault.mint == *mint;
        if !(wallet_ok && vault_ok) {
            return Err(error.into());
        }
        Ok(())
    }

    /// The wallet (a signer of the transaction) pays the vault `amount`.
    pub fn pay_vault(&self, currency: &Currency, amount: u64, error: MicrodropError) -> Result<()> {
        let from = (self.wallet, self.wallet_token);
        let to = (self.vault, self.vault_token);
        transfer(currency, from, to, amount, &[], error)
    }

    /// The vault, signing with `vault_seeds`, pays the wallet `amount`.
    pub fn pay_wallet(
        &self,
        currency: &Currency,
        amount: u64,
        vault_seeds: &[&[u8]],
        error: MicrodropError,
    ) -> Result<()> {
        let from = (self.vault, self.vault_token);
        let to = (self.wallet, self.wallet_token);
        transfer(currency, from, to, amount, &[vault_seeds], error)
    }
}

/// A side of a transfer: its owner and, for an SPL drop, its token account.
type Side<'a, 'info> = (
    &'a AccountInfo<'info>,
    Option<&'a Account<'info, TokenAccount>>,
);

/// Moves `amount` of the currency from `from` to `to`: lamports by a system transfer, or
/// tokens between their token accounts, `from`'s owner signing (with `signer` seeds when
/// it is a PDA).
fn transfer<'info>(
    currency: &Currency,
    from: Side<'_, 'info>,
    to: Side<'_, 'info>,
    amount: u64,
    signer: &[&[&[u8]]],
    error: MicrodropError,
) -> Result<()> {
    if amount == 0 {
        return Ok(());
    }
    match currency {
        Currency::Sol => system_program::transfer(
            CpiContext::new_with_signer(
                system_program::ID,
                system_program::Transfer {
                    from: from.0.clone(),
                    to: to.0.clone(),
                },
                signer,
            ),
            amount,
        ),
        Currency::Spl { .. } => {
            let (Some(from_token), Some(to_token)) = (from.1, to.1) else {
                return Err(error.into());
            };
            token::transfer(
                CpiContext::new_with_signer(
                    token::ID,
                    token::Transfer {
                        from: from_token.to_account_info(),
                        to: to_token.to_account_info(),
                        authority: from.0.clone(),
                    },
                    signer,
                ),
                amount,
            )
        }
    }
}
