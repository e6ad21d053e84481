//! microdrop: on-chain rules for small, repeated NFT drops.
//!
//! `lib.rs` only dispatches; each instruction lives in `instructions/<name>.rs` with its
//! arguments, accounts and handler. Items are Metaplex Token Metadata NFTs verified into a
//! sized collection whose update authority is the drop PDA.

use anchor_lang::prelude::*;

pub mod constants;
pub mod errors;
pub mod events;
pub mod instructions;
pub mod state;

pub use constants::*;
pub use instructions::*;

declare_id!("J2LRZVi5auzr93Y43qCPJJ9XjUtR6UNiebTRTG6hmd1Y");

#[program]
pub mod microdrop {
    use super::*;

    /// Creates a drop in `Draft` and its sized collection NFT.
    ///
    /// Authority: `authority` signs and pays; the drop PDA is `["drop", authority, id]`.
    /// The collection NFT (mint PDA `["collection", drop]`) goes to the authority's token
    /// account; its update authority is the drop PDA. Passing `currency_mint` prices the
    /// drop in that SPL token, leaving it out prices it in SOL.
    ///
    /// Errors: `DropIdInvalid`, `DropNameInvalid`, `DropNameTooLongForItems`,
    /// `DropSymbolTooLong`, `DropUriInvalid`, `DropItemUriInvalid`, `DropSupplyZero`,
    /// `DropSellerFeeTooHigh`; Anchor's account errors when the drop already exists.
    pub fn create_drop(ctx: Context<CreateDrop>, args: CreateDropArgs) -> Result<()> {
        instructions::create_drop::handler(ctx, args)
    }

    /// Moves a drop through its life: draft → active, active ↔ paused, any → closed.
    ///
    /// Authority: the drop's `authority` signs. Closed is final.
    ///
    /// Errors: `DropAuthorityMismatch` for another signer, `DropClosed` for any change to a
    /// closed drop, `DropStatusTransitionInvalid` for any other transition.
    pub fn set_drop_status(ctx: Context<SetDropStatus>, args: SetDropStatusArgs) -> Result<()> {
        instructions::set_drop_status::handler(ctx, args)
    }
}
