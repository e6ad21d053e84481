use anchor_lang::prelude::*;

use crate::{
    errors::MicrodropError,
    events::AuthorityTransferred,
    state::{Drop, DropStatus},
};

#[event_cpi]
#[derive(Accounts)]
pub struct AcceptAuthority<'info> {
    /// The pending authority the current one offered the drop to.
    pub new_authority: Signer<'info>,

    #[account(mut)]
    pub drop: Box<Account<'info, Drop>>,
}

impl AcceptAuthority<'_> {
    pub fn validate(&self) -> Result<()> {
        let drop = &self.drop;
        require!(
            drop.status != DropStatus::Closed,
            MicrodropError::DropClosed
        );
        require!(
            drop.pending_authority != Pubkey::default()
                && drop.pending_authority == self.new_authority.key(),
            MicrodropError::DropPendingAuthorityMismatch
        );
        Ok(())
    }
}

/// The pending authority takes the drop over. The drop's address keeps its creator's
/// key, which is recorded on the first transfer of a drop made before transfers existed.
#[access_control(ctx.accounts.validate())]
pub fn handler(ctx: Context<AcceptAuthority>) -> Result<()> {
    let drop = &mut ctx.accounts.drop;
    if drop.creator == Pubkey::default() {
        drop.creator = drop.authority;
    }
    let old_authority = drop.authority;
    drop.authority = drop.pending_authority;
    drop.pending_authority = Pubkey::default();
    drop.invariant()?;
    emit_cpi!(AuthorityTransferred {
        drop: drop.key(),
        old_authority,
        new_authority: drop.authority,
        timestamp: Clock::get()?.unix_timestamp,
    });
    Ok(())
}
