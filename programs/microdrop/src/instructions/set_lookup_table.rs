use anchor_lang::prelude::*;

use crate::{
    constants::ADDRESS_LOOKUP_TABLE_PROGRAM_ID,
    errors::MicrodropError,
    events::LookupTableSet,
    state::{Drop, DropStatus},
};

#[event_cpi]
#[derive(Accounts)]
pub struct SetLookupTable<'info> {
    pub authority: Signer<'info>,

    #[account(mut, has_one = authority @ MicrodropError::DropAuthorityMismatch)]
    pub drop: Box<Account<'info, Drop>>,

    /// CHECK: only its owner is checked (the Address Lookup Table program). Its contents are
    /// advice to clients, which compile transactions from what the table really holds.
    #[account(owner = ADDRESS_LOOKUP_TABLE_PROGRAM_ID @ MicrodropError::LookupTableInvalid)]
    pub lookup_table: UncheckedAccount<'info>,
}

impl SetLookupTable<'_> {
    pub fn validate(&self) -> Result<()> {
        require!(
            self.drop.status != DropStatus::Closed,
            MicrodropError::DropClosed
        );
        Ok(())
    }
}

#[access_control(ctx.accounts.validate())]
pub fn handler(ctx: Context<SetLookupTable>) -> Result<()> {
    let drop = &mut ctx.accounts.drop;
    let old = drop.lookup_table;
    drop.lookup_table = ctx.accounts.lookup_table.key();
    drop.invariant()?;

    emit_cpi!(LookupTableSet {
        drop: ctx.accounts.drop.key(),
        old,
        new: ctx.accounts.lookup_table.key(),
        timestamp: Clock::get()?.unix_timestamp,
    });
    Ok(())
}
