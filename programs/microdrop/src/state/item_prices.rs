//! What each item of a preorder cost, so that a failed preorder refunds exactly that.
//!
//! Tier prices may change while a drop is paused, airdropped items cost nothing, and an
//! item may change hands: the refund follows the item and pays its current holder what
//! the item was sold for. So each item sold while the threshold is pending gets an entry
//! here, written in the same instruction that takes the payment.
//!
//! Only drops with a `minimum` have the table (PDA `["item_prices", drop]`). Like the
//! item-tier table it grows with the sales, the buyer paying the bytes, and entries are
//! read and written in place so the program never loads the whole table.
//!
//! Layout: `TAG` (8 bytes), the drop (32 bytes), then entry `i` (item index `i + 1`) at
//! `HEADER_LEN + 9 * i`: a state byte (`UNRECORDED`, `PAID`, `REFUNDED`) and the price in
//! the drop's currency as a little-endian u64. Items beyond the table, or unrecorded
//! (airdropped), were free.

use anchor_lang::prelude::*;

use crate::errors::MicrodropError;

/// Marks an item-price table.
pub const TAG: [u8; 8] = *b"ITEMPAID";
/// Bytes before the entries.
pub const HEADER_LEN: usize = 40;
/// Bytes per entry.
pub const ENTRY_LEN: usize = 9;

/// An entry's state byte: nothing recorded (a free item).
pub const UNRECORDED: u8 = 0;
/// An entry's state byte: sold at the recorded price, not refunded.
pub const PAID: u8 = 1;
/// An entry's state byte: refunded (the item was burned).
pub const REFUNDED: u8 = 2;

/// Writes a new table's header.
pub fn initialize(data: &mut [u8], drop: &Pubkey) -> Result<()> {
    require!(data.len() >= HEADER_LEN, MicrodropError::ItemPricesInvalid);
    data[..8].copy_from_slice(&TAG);
    data[8..HEADER_LEN].copy_from_slice(drop.as_ref());
    Ok(())
}

/// Checks that `account` is `drop`'s table, owned by this program.
pub fn check(account: &AccountInfo<'_>, drop: &Pubkey) -> Result<()> {
    require_keys_eq!(*account.owner, crate::ID, MicrodropError::ItemPricesInvalid);
    let data = account.try_borrow_data()?;
    require!(
        data.len() >= HEADER_LEN && data[..8] == TAG && data[8..HEADER_LEN] == drop.as_ref()[..],
        MicrodropError::ItemPricesInvalid
    );
    Ok(())
}

fn offset(index: u64) -> Result<usize> {
    index
        .checked_sub(1)
        .and_then(|i| usize::try_from(i).ok())
        .and_then(|i| i.checked_mul(ENTRY_LEN))
        .and_then(|at| at.checked_add(HEADER_LEN))
        .ok_or_else(|| error!(MicrodropError::ArithmeticOverflow))
}

/// The account size needed to hold entries up to item `index`.
pub fn size_for(index: u64) -> Result<usize> {
    if index == 0 {
        return Ok(HEADER_LEN);
    }
    offset(index)?
        .checked_add(ENTRY_LEN)
        .ok_or_else(|| error!(MicrodropError::ArithmeticOverflow))
}

/// Records that item `index` sold for `price`.
pub fn record(data: &mut [u8], index: u64, price: u64) -> Result<()> {
    let at = offset(index)?;
    let entry = data
        .get_mut(at..at + ENTRY_LEN)
        .ok_or(MicrodropError::ItemPricesInvalid)?;
    entry[0] = PAID;
    entry[1..].copy_from_slice(&price.to_le_bytes());
    Ok(())
}

/// Item `index`'s entry: its state byte and recorded price (`UNRECORDED` and 0 beyond
/// the table).
pub fn entry(data: &[u8], index: u64) -> Result<(u8, u64)> {
    let at = offset(index)?;
    let Some(entry) = data.get(at..at + ENTRY_LEN) else {
        return Ok((UNRECORDED, 0));
    };
    let mut price = [0u8; 8];
    price.copy_from_slice(&entry[1..]);
    Ok((entry[0], u64::from_le_bytes(price)))
}

/// Marks item `index` refunded (a no-op beyond the table, where items were free).
pub fn mark_refunded(data: &mut [u8], index: u64) -> Result<()> {
    let at = offset(index)?;
    if let Some(state) = data.get_mut(at) {
        *state = REFUNDED;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_round_trip_and_refunds_mark_only_their_item() {
        let drop = Pubkey::new_unique();
        let mut data = vec![0u8; size_for(3).unwrap()];
        initialize(&mut data, &drop).unwrap();
        record(&mut data, 1, 350_000_000).unwrap();
        record(&mut data, 3, u64::MAX).unwrap();
        assert_eq!(entry(&data, 1).unwrap(), (PAID, 350_000_000));
        assert_eq!(entry(&data, 2).unwrap(), (UNRECORDED, 0), "airdropped");
        assert_eq!(entry(&data, 3).unwrap(), (PAID, u64::MAX));
        assert_eq!(
            entry(&data, 4).unwrap(),
            (UNRECORDED, 0),
            "beyond the table"
        );
        mark_refunded(&mut data, 3).unwrap();
        assert_eq!(entry(&data, 3).unwrap(), (REFUNDED, u64::MAX));
        assert_eq!(entry(&data, 1).unwrap(), (PAID, 350_000_000));
        mark_refunded(&mut data, 9).unwrap();
        assert_eq!(size_for(0).unwrap(), HEADER_LEN);
        assert_eq!(size_for(1).unwrap(), HEADER_LEN + 9);
        assert_eq!(size_for(3).unwrap(), HEADER_LEN + 27);
        assert!(record(&mut data, 4, 1).is_err());
    }
}
