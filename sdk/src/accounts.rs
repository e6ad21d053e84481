//! Decoding of the program's accounts and of the Token Metadata accounts items live in.

use anchor_lang::{AccountDeserialize, Discriminator};
use anchor_spl::metadata::mpl_token_metadata::accounts::{MasterEdition, Metadata};
use microdrop::state::{Benefit, Drop, Redemption, Tier, WalletRecord};

use crate::Error;

/// Decodes a [`Drop`] account's data, checking its discriminator.
pub fn decode_drop(data: &[u8]) -> Result<Drop, Error> {
    decode_anchor(data, "Drop")
}

/// Decodes a [`Tier`] account's data, checking its discriminator.
pub fn decode_tier(data: &[u8]) -> Result<Tier, Error> {
    decode_anchor(data, "Tier")
}

/// Decodes a [`WalletRecord`] account's data, checking its discriminator.
pub fn decode_wallet_record(data: &[u8]) -> Result<WalletRecord, Error> {
    WalletRecord::read(data).map_err(|e| Error::Decode(format!("WalletRecord: {e}")))
}

/// Decodes a [`Benefit`] account's data, checking its discriminator.
pub fn decode_benefit(data: &[u8]) -> Result<Benefit, Error> {
    decode_anchor(data, "Benefit")
}

/// Decodes a [`Redemption`] account's data, checking its discriminator.
pub fn decode_redemption(data: &[u8]) -> Result<Redemption, Error> {
    decode_anchor(data, "Redemption")
}

fn decode_anchor<T: AccountDeserialize + Discriminator>(
    data: &[u8],
    name: &str,
) -> Result<T, Error> {
    if !data.starts_with(T::DISCRIMINATOR) {
        return Err(Error::Decode(format!("account is not a microdrop {name}")));
    }
    T::try_deserialize(&mut &data[..]).map_err(|e| Error::Decode(format!("{name}: {e}")))
}

/// Decodes a Token Metadata metadata account, trimming the NUL padding Token Metadata adds
/// to name, symbol and URI.
pub fn decode_metadata(data: &[u8]) -> Result<Metadata, Error> {
    let mut metadata =
        Metadata::safe_deserialize(data).map_err(|e| Error::Decode(format!("Metadata: {e}")))?;
    for field in [&mut metadata.name, &mut metadata.symbol, &mut metadata.uri] {
        let trimmed = field.trim_end_matches('\0').to_string();
        *field = trimmed;
    }
    Ok(metadata)
}

/// Decodes a Token Metadata master edition account.
pub fn decode_master_edition(data: &[u8]) -> Result<MasterEdition, Error> {
    MasterEdition::safe_deserialize(data).map_err(|e| Error::Decode(format!("MasterEdition: {e}")))
}

/// The index of a microdrop item from its metadata: the number after ` #` in its name,
/// confirmed by the item's mint being the drop's item PDA for that number.
pub fn item_index(
    drop: &anchor_lang::prelude::Pubkey,
    mint: &anchor_lang::prelude::Pubkey,
    metadata: &Metadata,
) -> Option<u64> {
    let number = metadata.name.rsplit_once(" #")?.1.parse::<u64>().ok()?;
    (crate::pda::item_mint(drop, number).0 == *mint).then_some(number)
}
