use anchor_lang::prelude::*;

use crate::{constants::MAX_SPLITS, errors::MicrodropError};

/// What a drop's vault has paid out of one token other than the drop's currency, such as
/// royalties a marketplace paid in another token.
///
/// PDA `["ledger", drop, mint]`, created by the first `distribute_token` of that mint (its
/// caller pays the rent). Each mint has its own ledger, so its accounting never mixes
/// with the currency's, the lamports', or another mint's.
#[account]
#[derive(InitSpace, Debug)]
pub struct TokenLedger {
    pub drop: Pubkey,
    pub mint: Pubkey,
    /// Tokens of this mint paid out of the vault over the drop's life.
    pub distributed: u64,
    /// Tokens of this mint paid to each split recipient, by its position in the split
    /// (which is frozen from the first sale, before which nothing is paid).
    pub paid: [u64; MAX_SPLITS],
    /// Canonical bump of this PDA.
    pub bump: u8,
}

impl TokenLedger {
    /// Properties every mutating handler must leave true.
    pub fn invariant(&self) -> Result<()> {
        let paid = self.paid.iter().try_fold(0u64, |a, p| a.checked_add(*p));
        require!(
            paid == Some(self.distributed),
            MicrodropError::DropInvariantViolated
        );
        Ok(())
    }
}
