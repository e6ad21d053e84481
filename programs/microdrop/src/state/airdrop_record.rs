use anchor_lang::prelude::*;

/// How many items one recipient of one creator airdrop list has received, so that a rerun
/// of the list (after a kill, a timeout or a dropped transaction) sends only what is still
/// missing and a replayed transaction cannot send twice.
///
/// PDA `["airdrop", drop, list, recipient]`; `list` is a hash the client computes over the
/// whole list. Paid by the drop's authority on the recipient's first airdrop.
#[account]
#[derive(InitSpace, Debug)]
pub struct AirdropRecord {
    /// The drop airdropping.
    pub drop: Pubkey,
    /// The list's hash.
    pub list: [u8; 32],
    /// Who receives the items.
    pub recipient: Pubkey,
    /// The recipient's quantity in the list.
    pub total: u32,
    /// Items sent so far, at most `total`.
    pub sent: u32,
    /// Canonical bump of this PDA.
    pub bump: u8,
}
