use anchor_lang::prelude::*;

use crate::{
    constants::VAULT_SEED,
    errors::MicrodropError,
    events::SplitsUpdated,
    state::{validate_splits, Drop, Split, SplitConfig},
};

#[event_cpi]
#[derive(Accounts)]
pub struct SetSplits<'info> {
    pub authority: Signer<'info>,

    #[account(mut, has_one = authority @ MicrodropError::DropAuthorityMismatch)]
    pub drop: Box<Account<'info, Drop>>,

    /// CHECK: the drop's vault, checked by its seeds; only its address is used (a recipient
    /// may not be the vault).
    #[account(seeds = [VAULT_SEED, drop.key().as_ref()], bump = drop.vault_bump)]
    pub vault: UncheckedAccount<'info>,
}

impl SetSplits<'_> {
    pub fn validate(&self, splits: &[SplitConfig]) -> Result<()> {
        let drop = &self.drop;
        require!(
            drop.minted == 0 && drop.distributed_lamports == 0 && drop.distributed_tokens == 0,
            MicrodropError::SplitsFrozen
        );
        validate_splits(splits, &drop.key(), &self.vault.key())
    }
}

/// Replaces the split before anything sold; frozen after.
#[access_control(ctx.accounts.validate(&splits))]
pub fn handler(ctx: Context<SetSplits>, splits: Vec<SplitConfig>) -> Result<()> {
    let drop = &mut ctx.accounts.drop;
    let old = drop.split_config();
    drop.splits = splits.iter().map(Split::from).collect();
    drop.invariant()?;
    emit_cpi!(SplitsUpdated {
        drop: ctx.accounts.drop.key(),
        old,
        new: splits,
        timestamp: Clock::get()?.unix_timestamp,
    });
    Ok(())
}
