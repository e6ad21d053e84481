use anchor_lang::{prelude::*, Discriminator};

/// How many items one wallet minted through one tier, for its per-wallet limit.
///
/// PDA `["wallet", tier, wallet]`, paid by the wallet on its first mint; the wallet closes
/// it and recovers the rent once the drop is closed. It holds only what the program reads:
/// the tier and the wallet are its seeds.
#[account]
#[derive(InitSpace, Debug)]
pub struct WalletRecord {
    /// Items this wallet minted through the tier.
    pub minted: u32,
    /// Canonical bump of this PDA.
    pub bump: u8,
}

impl WalletRecord {
    /// Size of the records written before they were slimmed: the tier and the wallet
    /// (32 bytes each) came before `minted` and `bump`. The next mint through such a
    /// record rewrites it at the new size and returns the freed rent to the wallet.
    pub const LEGACY_LEN: usize = 8 + 32 + 32 + 4 + 1;

    /// Decodes a record of either layout.
    pub fn read(data: &[u8]) -> Result<Self> {
        if data.len() == Self::LEGACY_LEN && data.starts_with(Self::DISCRIMINATOR) {
            let at = 8 + 32 + 32;
            let minted = u32::from_le_bytes(
                data[at..at + 4]
                    .try_into()
                    .map_err(|_| ErrorCode::AccountDidNotDeserialize)?,
            );
            return Ok(WalletRecord {
                minted,
                bump: data[at + 4],
            });
        }
        Self::try_deserialize(&mut &data[..])
    }
}

/// A single-use voucher's nonce, spent. PDA `["voucher", tier, nonce]`, paid by the buyer
/// who used it; closable by that buyer once the drop is closed.
#[account]
#[derive(InitSpace, Debug)]
pub struct VoucherNonce {
    pub tier: Pubkey,
    pub nonce: u64,
    /// The buyer who used the voucher (and gets the rent back).
    pub wallet: Pubkey,
    pub used_at: i64,
    pub bump: u8,
}

/// How many items were minted through a holder-gated tier on the strength of one held
/// gate item, for the tier's `holder_limit`.
///
/// PDA `["holder", tier, gate item mint]`, paid by the buyer whose mint creates it. It
/// follows the gate item, not the wallet: passing the item to another wallet does not
/// give it fresh mints.
#[account]
#[derive(InitSpace, Debug)]
pub struct HolderRecord {
    /// The tier counted.
    pub tier: Pubkey,
    /// The gate item's mint.
    pub item: Pubkey,
    /// Items minted on the strength of this gate item.
    pub minted: u32,
    /// Canonical bump of this PDA.
    pub bump: u8,
}
