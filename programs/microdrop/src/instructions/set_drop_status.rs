use anchor_lang::prelude::*;

use crate::{
    errors::MicrodropError,
    events::DropStatusChanged,
    state::{Drop, DropStatus},
};

/// Arguments of [`set_drop_status`](crate::microdrop::set_drop_status).
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug, PartialEq, Eq)]
pub struct SetDropStatusArgs {
    pub status: DropStatus,
}

#[event_cpi]
#[derive(Accounts)]
pub struct SetDropStatus<'info> {
    pub authority: Signer<'info>,

    #[account(mut, has_one = authority @ MicrodropError::DropAuthorityMismatch)]
    pub drop: Box<Account<'info, Drop>>,
}

impl SetDropStatus<'_> {
    pub fn validate(&self, args: &SetDropStatusArgs) -> Result<()> {
        let from = self.drop.status;
        require!(from != DropStatus::Closed, MicrodropError::DropClosed);
        require!(
            from.can_become(args.status),
            MicrodropError::DropStatusTransitionInvalid
        );
        Ok(())
    }
}

#[access_control(ctx.accounts.validate(&args))]
pub fn handler(ctx: Context<SetDropStatus>, args: SetDropStatusArgs) -> Result<()> {
    let drop = &mut ctx.accounts.drop;
    let old_status = drop.status;
    drop.status = args.status;
    drop.invariant()?;

    emit_cpi!(DropStatusChanged {
        drop: ctx.accounts.drop.key(),
        old_status,
        new_status: args.status,
        timestamp: Clock::get()?.unix_timestamp,
    });
    Ok(())
}
