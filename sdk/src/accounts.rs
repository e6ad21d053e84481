//! Decoding of the program's accounts and of the Token Metadata accounts items live in.

use anchor_lang::{AccountDeserialize, Discriminator};
use anchor_spl::metadata::mpl_token_metadata::accounts::{MasterEdition, Metadata};
use microdrop::state::{Drop, Tier, WalletRecord};

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
    decode_anchor(data, "WalletRecord")
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
