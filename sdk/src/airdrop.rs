//! Creator airdrop lists: who gets how many items, and the list's hash.
//!
//! A list is a CSV file of `wallet[,quantity]` lines (quantity 1 when left out). Blank
//! lines and lines starting with `#` are skipped, and so is a first line `wallet` or
//! `wallet,quantity`. Every wallet appears once.
//!
//! The hash names the list on-chain: each recipient's `AirdropRecord` has it in its seeds,
//! so rerunning the same list (for the same tier) finds the records and sends only what is
//! missing. It covers the tier and every entry in order, so an edited list is another list.

use anchor_lang::prelude::Pubkey;

/// Domain separation for the list hash.
const LIST_HASH_PREFIX: &[u8] = b"microdrop airdrop list v1";

/// Most items one recipient can get from a list (the record counts in a u32).
pub const MAX_QUANTITY: u32 = 1_000_000;

/// One recipient and its quantity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AirdropEntry {
    pub wallet: Pubkey,
    pub quantity: u32,
}

/// A parsed list, in file order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AirdropList {
    pub entries: Vec<AirdropEntry>,
}

/// What is wrong with a list, with the 1-based line it is on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct ListError {
    pub line: usize,
    pub message: String,
}

impl AirdropList {
    /// Parses a list, refusing malformed lines and duplicate wallets.
    ///
    /// ```
    /// # use microdrop_sdk::airdrop::AirdropList;
    /// let list = AirdropList::parse(
    ///     "wallet,quantity\n11111111111111111111111111111112,3\nSysvarC1ock11111111111111111111111111111111\n",
    /// ).unwrap();
    /// assert_eq!(list.entries.len(), 2);
    /// assert_eq!(list.entries[0].quantity, 3);
    /// assert_eq!(list.entries[1].quantity, 1);
    /// assert_eq!(list.total(), 4);
    /// ```
    pub fn parse(text: &str) -> Result<Self, ListError> {
        let mut entries: Vec<AirdropEntry> = Vec::new();
        let mut seen = std::collections::HashMap::new();
        let mut first_line = true;
        for (number, raw) in (1..).zip(text.lines()) {
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let fields: Vec<&str> = line.split(',').map(str::trim).collect();
            let first = std::mem::replace(&mut first_line, false);
            if first && fields[0].eq_ignore_ascii_case("wallet") && fields.len() <= 2 {
                continue;
            }
            let error = |message: String| ListError {
                line: number,
                message,
            };
            if fields.len() > 2 {
                return Err(error(format!(
                    "expected `wallet[,quantity]`, found {} fields",
                    fields.len()
                )));
            }
            let wallet: Pubkey = fields[0]
                .parse()
                .map_err(|_| error(format!("{:?} is not a wallet address", fields[0])))?;
            let quantity = match fields.get(1) {
                None => 1,
                Some(text) => text
                    .parse::<u32>()
                    .ok()
                    .filter(|q| (1..=MAX_QUANTITY).contains(q))
                    .ok_or_else(|| {
                        error(format!(
                            "quantity {text:?} is not a whole number from 1 to {MAX_QUANTITY}"
                        ))
                    })?,
            };
            if let Some(first) = seen.insert(wallet, number) {
                return Err(error(format!(
                    "{wallet} is listed twice (first on line {first})"
                )));
            }
            entries.push(AirdropEntry { wallet, quantity });
        }
        if entries.is_empty() {
            return Err(ListError {
                line: 0,
                message: "the list names no wallet".into(),
            });
        }
        Ok(AirdropList { entries })
    }

    /// Items the whole list sends.
    pub fn total(&self) -> u64 {
        self.entries.iter().map(|e| u64::from(e.quantity)).sum()
    }

    /// The list's hash, for airdrops counted toward tier `tier_id` (or none).
    pub fn hash(&self, tier_id: Option<u8>) -> [u8; 32] {
        let mut bytes = Vec::with_capacity(LIST_HASH_PREFIX.len() + 2 + self.entries.len() * 36);
        bytes.extend_from_slice(LIST_HASH_PREFIX);
        match tier_id {
            Some(id) => bytes.extend_from_slice(&[1, id]),
            None => bytes.push(0),
        }
        for entry in &self.entries {
            bytes.extend_from_slice(entry.wallet.as_ref());
            bytes.extend_from_slice(&entry.quantity.to_le_bytes());
        }
        crate::sha256(&bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wallet(n: u8) -> Pubkey {
        Pubkey::new_from_array([n; 32])
    }

    #[test]
    fn parses_quantities_comments_and_a_header() {
        let text = format!(
            "# spring airdrop\nwallet,quantity\n{},2\n\n  {}  \n",
            wallet(1),
            wallet(2)
        );
        let list = AirdropList::parse(&text).unwrap();
        assert_eq!(
            list.entries,
            vec![
                AirdropEntry {
                    wallet: wallet(1),
                    quantity: 2
                },
                AirdropEntry {
                    wallet: wallet(2),
                    quantity: 1
                }
            ]
        );
    }

    #[test]
    fn refuses_duplicates_and_malformed_lines_naming_the_line() {
        let duplicate = format!("{}\n{},3\n", wallet(1), wallet(1));
        let error = AirdropList::parse(&duplicate).unwrap_err();
        assert_eq!(error.line, 2);
        assert!(error.message.contains("listed twice (first on line 1)"));
        let cases = [
            ("not-a-wallet\n", 1, "is not a wallet address"),
            (&format!("{},0\n", wallet(1)) as &str, 1, "quantity \"0\""),
            (&format!("{},x\n", wallet(1)), 1, "quantity \"x\""),
            (
                &format!("{}\n{},1,2\n", wallet(1), wallet(2)),
                2,
                "3 fields",
            ),
            ("# only a comment\n", 0, "names no wallet"),
        ];
        for (text, line, message) in cases {
            let error = AirdropList::parse(text).unwrap_err();
            assert_eq!(error.line, line, "{text:?}");
            assert!(error.message.contains(message), "{text:?}: {error}");
        }
    }

    #[test]
    fn the_hash_covers_the_tier_the_entries_and_their_order() {
        let list = AirdropList::parse(&format!("{}\n{},2\n", wallet(1), wallet(2))).unwrap();
        let reordered = AirdropList::parse(&format!("{},2\n{}\n", wallet(2), wallet(1))).unwrap();
        let more = AirdropList::parse(&format!("{}\n{},3\n", wallet(1), wallet(2))).unwrap();
        assert_eq!(list.hash(None), list.clone().hash(None));
        assert_ne!(list.hash(None), list.hash(Some(0)));
        assert_ne!(list.hash(Some(0)), list.hash(Some(1)));
        assert_ne!(list.hash(None), reordered.hash(None));
        assert_ne!(list.hash(None), more.hash(None));
    }
}
