//! Which tier sold each item: a table of 4-bit entries, one per item index.
//!
//! A benefit may accept only some tiers' items, and nothing in an item's Token Metadata
//! says which tier sold it. The table grows with the sales: each mint extends it by at most
//! a byte or two and the buyer pays that rent. Entries are read and written in place, so
//! the program never loads the whole table (the heap is 32 KiB).
//!
//! Layout: `TAG` (8 bytes), the drop (32 bytes), then entry `i` (item index `i + 1`) in the
//! low nibble of byte `i / 2` for even `i`, the high nibble for odd `i`; an entry holds the
//! tier id plus one, and 0 for "not recorded".

use anchor_lang::prelude::*;

use crate::errors::MicrodropError;

/// Marks an item-tier table.
pub const TAG: [u8; 8] = *b"ITEMTIER";
/// Bytes before the entries.
pub const HEADER_LEN: usize = 40;

/// Writes a new table's header.
pub fn initialize(data: &mut [u8], drop: &Pubkey) -> Result<()> {
    require!(data.len() >= HEADER_LEN, MicrodropError::ItemTiersInvalid);
    data[..8].copy_from_slice(&TAG);
    data[8..HEADER_LEN].copy_from_slice(drop.as_ref());
    Ok(())
}

/// Checks that `account` is `drop`'s table, owned by this program.
pub fn check(account: &AccountInfo<'_>, drop: &Pubkey) -> Result<()> {
    require_keys_eq!(*account.owner, crate::ID, MicrodropError::ItemTiersInvalid);
    let data = account.try_borrow_data()?;
    require!(
        data.len() >= HEADER_LEN && data[..8] == TAG && data[8..HEADER_LEN] == drop.as_ref()[..],
        MicrodropError::ItemTiersInvalid
    );
    Ok(())
}

/// The account size needed to hold entries up to item `index`.
pub fn size_for(index: u64) -> Result<usize> {
    let entries = usize::try_from(index).map_err(|_| MicrodropError::ArithmeticOverflow)?;
    entries
        .div_ceil(2)
        .checked_add(HEADER_LEN)
        .ok_or_else(|| error!(MicrodropError::ArithmeticOverflow))
}

fn position(index: u64) -> Result<(usize, u32)> {
    let entry = index
        .checked_sub(1)
        .and_then(|i| usize::try_from(i).ok())
        .ok_or(MicrodropError::ArithmeticOverflow)?;
    Ok((HEADER_LEN + entry / 2, if entry % 2 == 0 { 0 } else { 4 }))
}

/// Records that item `index` was sold through `tier_id`.
pub fn record(data: &mut [u8], index: u64, tier_id: u8) -> Result<()> {
    let (byte, shift) = position(index)?;
    let slot = data.get_mut(byte).ok_or(MicrodropError::ItemTiersInvalid)?;
    *slot = (*slot & !(0x0f << shift)) | ((tier_id + 1) << shift);
    Ok(())
}

/// The tier that sold item `index`, if recorded.
pub fn tier_of(data: &[u8], index: u64) -> Result<Option<u8>> {
    let (byte, shift) = position(index)?;
    let entry = data.get(byte).map_or(0, |b| (b >> shift) & 0x0f);
    Ok(entry.checked_sub(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_round_trip_without_touching_neighbours() {
        let drop = Pubkey::new_unique();
        let mut data = vec![0u8; size_for(5).unwrap()];
        initialize(&mut data, &drop).unwrap();
        for (index, tier) in [(1, 0), (2, 7), (3, 3), (4, 1), (5, 5)] {
            record(&mut data, index, tier).unwrap();
        }
        let tiers: Vec<_> = (1..=5).map(|i| tier_of(&data, i).unwrap()).collect();
        assert_eq!(tiers, [Some(0), Some(7), Some(3), Some(1), Some(5)]);
        assert_eq!(tier_of(&data, 6).unwrap(), None, "beyond the table");
        assert_eq!(size_for(0).unwrap(), HEADER_LEN);
        assert_eq!(size_for(1).unwrap(), HEADER_LEN + 1);
        assert_eq!(size_for(2).unwrap(), HEADER_LEN + 1);
        assert_eq!(size_for(3).unwrap(), HEADER_LEN + 2);
    }
}
