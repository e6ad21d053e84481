use anchor_lang::prelude::*;

/// How many items one wallet minted through one tier, for its per-wallet limit.
///
/// PDA `["wallet", tier, wallet]`, paid by the wallet on its first mint; the wallet closes
/// it and recovers the rent once the drop is closed.
#[account]
#[derive(InitSpace, Debug)]
pub struct WalletRecord {
    /// The tier counted.
    pub tier: Pubkey,
    /// The buyer counted.
    pub wallet: Pubkey,
    /// Items this wallet minted through the tier.
    pub minted: u32,
    /// Canonical bump of this PDA.
    pub bump: u8,
}
