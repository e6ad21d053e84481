//! Events, one per state change, emitted with `emit_cpi!`.
//!
//! `emit_cpi!` carries the event as the data of a self-invocation, so it reaches clients
//! even when logs are truncated and when the program runs natively in the sandbox (where
//! `emit!`'s log line never reaches the transaction's logs).

use anchor_lang::prelude::*;

use crate::state::{BenefitConfig, Currency, DropStatus, SplitConfig, TierConfig};

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
    /// A preorder's minimum (0: unconditional).
    pub minimum: u64,
    /// A preorder's deadline (0: unconditional).
    pub deadline: i64,
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

/// A tier was added to a drop.
#[event]
#[derive(Debug, Clone, PartialEq)]
pub struct TierAdded {
    pub drop: Pubkey,
    pub tier: Pubkey,
    pub id: u8,
    pub config: TierConfig,
    pub timestamp: i64,
}

/// A tier's configuration changed.
#[event]
#[derive(Debug, Clone, PartialEq)]
pub struct TierUpdated {
    pub drop: Pubkey,
    pub tier: Pubkey,
    pub id: u8,
    pub old: TierConfig,
    pub new: TierConfig,
    pub timestamp: i64,
}

/// A buyer minted items through a tier.
#[event]
#[derive(Debug, Clone, PartialEq)]
pub struct ItemsMinted {
    pub drop: Pubkey,
    pub tier: Pubkey,
    pub tier_id: u8,
    pub buyer: Pubkey,
    /// The items' mints, in index order.
    pub mints: Vec<Pubkey>,
    /// Index of the first item (items are numbered from 1).
    pub first_index: u64,
    /// Amount paid in the drop's currency, smallest units.
    pub paid: u64,
    pub timestamp: i64,
}

/// The authority changed who receives the drop's income (before the first sale).
#[event]
#[derive(Debug, Clone, PartialEq)]
pub struct SplitsUpdated {
    pub drop: Pubkey,
    pub old: Vec<SplitConfig>,
    pub new: Vec<SplitConfig>,
    pub timestamp: i64,
}

/// What a distribution paid.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub struct Payout {
    pub recipient: Pubkey,
    pub amount: u64,
}

/// The vault paid its recipients.
#[event]
#[derive(Debug, Clone, PartialEq)]
pub struct Distributed {
    pub drop: Pubkey,
    /// `true` for currency tokens, `false` for lamports.
    pub tokens: bool,
    pub payouts: Vec<Payout>,
    /// What stays in the vault for the next distribution (rounding dust).
    pub undistributed: u64,
    pub timestamp: i64,
}

/// A benefit was added to a drop.
#[event]
#[derive(Debug, Clone, PartialEq)]
pub struct BenefitAdded {
    pub drop: Pubkey,
    pub benefit: Pubkey,
    pub id: u8,
    pub config: BenefitConfig,
    pub timestamp: i64,
}

/// A holder burned items for a benefit.
#[event]
#[derive(Debug, Clone, PartialEq)]
pub struct Redeemed {
    pub drop: Pubkey,
    pub benefit: Pubkey,
    pub benefit_id: u8,
    pub redemption: Pubkey,
    pub holder: Pubkey,
    pub burned: Vec<Pubkey>,
    pub timestamp: i64,
}

/// The creator marked a redemption fulfilled.
#[event]
#[derive(Debug, Clone, PartialEq)]
pub struct Fulfilled {
    pub drop: Pubkey,
    pub redemption: Pubkey,
    pub reference: [u8; 32],
    pub timestamp: i64,
}

/// The drop's lookup table was set or replaced.
#[event]
#[derive(Debug, Clone, PartialEq)]
pub struct LookupTableSet {
    pub drop: Pubkey,
    pub old: Pubkey,
    pub new: Pubkey,
    pub timestamp: i64,
}

/// The authority offered the drop to a new authority, or withdrew the offer (`new`
/// zero). The offer takes effect only when the new authority accepts it.
#[event]
#[derive(Debug, Clone, PartialEq)]
pub struct AuthorityTransferOffered {
    pub drop: Pubkey,
    pub authority: Pubkey,
    pub old_pending: Pubkey,
    pub new_pending: Pubkey,
    pub timestamp: i64,
}

/// The pending authority accepted the drop: it now signs every configuration change.
#[event]
#[derive(Debug, Clone, PartialEq)]
pub struct AuthorityTransferred {
    pub drop: Pubkey,
    pub old_authority: Pubkey,
    pub new_authority: Pubkey,
    pub timestamp: i64,
}

/// The authority corrected an item's metadata URI.
#[event]
#[derive(Debug, Clone, PartialEq)]
pub struct ItemUriUpdated {
    pub drop: Pubkey,
    pub mint: Pubkey,
    pub index: u64,
    pub uri: String,
    pub timestamp: i64,
}

/// The vault's tokens of a mint other than the drop's currency were shared by the split.
#[event]
#[derive(Debug, Clone, PartialEq)]
pub struct TokenDistributed {
    pub drop: Pubkey,
    pub mint: Pubkey,
    pub payouts: Vec<Payout>,
    /// What stays in the vault for the next distribution (rounding dust, and the shares of
    /// recipients that could not be paid).
    pub undistributed: u64,
    pub timestamp: i64,
}

/// The authority airdropped items, free, to one recipient of an airdrop list.
#[event]
#[derive(Debug, Clone, PartialEq)]
pub struct ItemsAirdropped {
    pub drop: Pubkey,
    /// The tier the items count toward, if one was named.
    pub tier_id: Option<u8>,
    pub recipient: Pubkey,
    /// The list's hash (the airdrop record's seed).
    pub list: [u8; 32],
    /// The items' mints, in index order.
    pub mints: Vec<Pubkey>,
    /// Index of the first item.
    pub first_index: u64,
    /// The recipient's items from this list so far, and its quantity in the list.
    pub sent: u32,
    pub total: u32,
    pub timestamp: i64,
}

/// A failed preorder's holder burned items and got back what they were sold for.
#[event]
#[derive(Debug, Clone, PartialEq)]
pub struct Refunded {
    pub drop: Pubkey,
    pub holder: Pubkey,
    /// The burned items' mints.
    pub burned: Vec<Pubkey>,
    /// Paid back, in the drop's currency's smallest units.
    pub amount: u64,
    /// What the vault still holds for refunds afterwards.
    pub escrowed: u64,
    pub timestamp: i64,
}
