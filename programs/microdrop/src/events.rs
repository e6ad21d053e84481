//! Events, one per state change, emitted with `emit_cpi!`.
//!
//! `emit_cpi!` carries the event as the data of a self-invocation, so it reaches clients
//! even when logs are truncated and when the program runs natively in the sandbox (where
//! `emit!`'s log line never reaches the transaction's logs).

use anchor_lang::prelude::*;

use crate::state::{Currency, DropStatus};

/// A drop and its collection NFT were created.
#[event]
#[derive(Debug, Clone, PartialEq)]
pub struct DropCreated {
    pub drop: Pubkey,
    pub authority: Pubkey,
    pub id: String,
    pub collection_mint: Pubkey,
    pub supply: u64,
    pub currency: Currency,
    pub seller_fee_bps: u16,
    pub timestamp: i64,
}

/// A drop's status changed.
#[event]
#[derive(Debug, Clone, PartialEq)]
pub struct DropStatusChanged {
    pub drop: Pubkey,
    pub old_status: DropStatus,
    pub new_status: DropStatus,
    pub timestamp: i64,
}
