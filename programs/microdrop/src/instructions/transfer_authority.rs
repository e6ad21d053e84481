use anchor_lang::prelude::*;

use crate::{
    errors::MicrodropError,
    events::AuthorityTransferOffered,
    state::{Drop, DropStatus},
};

#[event_cpi]
#[derive(Accounts)]
pub struct TransferAuthority<'info> {
    pub authority: Signer<'info>,

    #[account(mut, has_one = authority @ MicrodropError::DropAuthorityMismatch)]
    pub drop: Box<Account<'info, Drop>>,
}

impl TransferAuthority<'_> {
    pub fn validate(&self) -> Result<()> {
        require!(
            self.drop.status != DropStatus::Closed,
            MicrodropError::DropClosed
        );
        Ok(())
    }
}

/// Offers the drop to `new_authority` (the default address withdraws an offer). Nothing
/// changes until that key accepts, so a mistyped address cannot lose the drop, and the
/// new authority can be a multisig vault that accepts by its own transaction.
#[access_control(ctx.accounts.validate())]
pub fn handler(ctx: Context<TransferAuthority>, new_authority: Pubkey) -> Result<()> {
    let drop = &mut ctx.accounts.drop;
    let old_pending = drop.pending_authority;
    drop.pending_authority = new_authority;
    drop.invariant()?;
    emit_cpi!(AuthorityTransferOffered {
        drop: drop.key(),
        authority: drop.authority,
        old_pending,
        new_pending: new_authority,
        timestamp: Clock::get()?.unix_timestamp,
    });
    Ok(())
}
