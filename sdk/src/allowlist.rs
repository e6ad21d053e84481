//! Allow lists: Merkle trees over (wallet, allowance) entries, their proofs, and the file
//! that stores them.
//!
//! Hashing is the program's own ([`microdrop::merkle`]), so a tree built here is exactly
//! the one the mint instruction verifies against. Leaves are sorted before building, so
//! the same entries always give the same root whatever their order in the CSV. A node
//! without a sibling is promoted unchanged to the next level (it adds nothing to proofs).
//!
//! The file keeps only the root and the entries; proofs are recomputed from them, so a
//! list of a million wallets stays a file of tens of megabytes.

use std::{collections::HashMap, path::Path};

use anchor_lang::prelude::Pubkey;
use microdrop::merkle;
use serde::{Deserialize, Serialize};

use crate::Error;

/// A built allow list for one tier of one drop.
#[derive(Debug, Clone)]
pub struct AllowList {
    drop: Pubkey,
    tier_id: u8,
    /// Entries in leaf order.
    entries: Vec<(Pubkey, u32)>,
    /// Position of each wallet among `entries`.
    positions: HashMap<Pubkey, usize>,
    /// `levels[0]` are the leaves; the last level holds the root alone.
    levels: Vec<Vec<[u8; 32]>>,
}

impl AllowList {
    /// Builds the tree. Refuses an empty list, duplicate wallets and zero allowances.
    pub fn new(drop: Pubkey, tier_id: u8, entries: Vec<(Pubkey, u32)>) -> Result<Self, Error> {
        if entries.is_empty() {
            return Err(Error::AllowList("the allow list is empty".into()));
        }
        let mut leaves: Vec<([u8; 32], Pubkey, u32)> = Vec::with_capacity(entries.len());
        let mut seen = HashMap::with_capacity(entries.len());
        for (i, (wallet, allowance)) in entries.into_iter().enumerate() {
            if allowance == 0 {
                return Err(Error::AllowList(format!("{wallet} has an allowance of 0")));
            }
            if let Some(first) = seen.insert(wallet, i) {
                return Err(Error::AllowList(format!(
                    "{wallet} is listed twice (entries {} and {})",
                    first + 1,
                    i + 1
                )));
            }
            leaves.push((
                merkle::leaf(&drop, tier_id, &wallet, allowance),
                wallet,
                allowance,
            ));
        }
        leaves.sort_unstable_by_key(|leaf| leaf.0);
        let positions = leaves.iter().enumerate().map(|(i, l)| (l.1, i)).collect();
        let entries = leaves.iter().map(|l| (l.1, l.2)).collect();
        let mut levels = vec![leaves.into_iter().map(|l| l.0).collect::<Vec<_>>()];
        while levels.last().is_some_and(|level| level.len() > 1) {
            let below = levels.last().expect("at least one level");
            let above = below
                .chunks(2)
                .map(|pair| match pair {
                    [a, b] => merkle::node(a, b),
                    [a] => *a,
                    _ => unreachable!("chunks(2) yields one or two"),
                })
                .collect();
            levels.push(above);
        }
        Ok(Self {
            drop,
            tier_id,
            entries,
            positions,
            levels,
        })
    }

    /// The root the tier stores.
    pub fn root(&self) -> [u8; 32] {
        self.levels.last().expect("non-empty")[0]
    }

    /// The drop and tier this list is bound to.
    pub fn binding(&self) -> (Pubkey, u8) {
        (self.drop, self.tier_id)
    }

    /// Number of wallets.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Never true: an allow list has at least one wallet.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Length of the longest proof.
    pub fn depth(&self) -> usize {
        self.levels.len() - 1
    }

    /// The wallet's allowance, if listed.
    pub fn allowance(&self, wallet: &Pubkey) -> Option<u32> {
        self.positions.get(wallet).map(|&i| self.entries[i].1)
    }

    /// The wallet's allowance and proof, if listed.
    pub fn proof(&self, wallet: &Pubkey) -> Option<(u32, Vec<[u8; 32]>)> {
        let mut position = *self.positions.get(wallet)?;
        let mut proof = Vec::with_capacity(self.depth());
        for level in &self.levels[..self.levels.len() - 1] {
            let sibling = position ^ 1;
            if let Some(hash) = level.get(sibling) {
                proof.push(*hash);
            }
            position /= 2;
        }
        Some((self.entries[*self.positions.get(wallet)?].1, proof))
    }

    /// Every proof, in leaf order: what a distributor precomputes.
    pub fn all_proofs(&self) -> impl Iterator<Item = (Pubkey, u32, Vec<[u8; 32]>)> + '_ {
        self.entries.iter().map(|(wallet, allowance)| {
            let (_, proof) = self.proof(wallet).expect("listed");
            (*wallet, *allowance, proof)
        })
    }

    /// The file form.
    pub fn to_file(&self) -> AllowListFile {
        AllowListFile {
            drop: self.drop.to_string(),
            tier: self.tier_id,
            root: hex(&self.root()),
            wallets: self
                .entries
                .iter()
                .map(|(wallet, allowance)| AllowListEntry {
                    wallet: wallet.to_string(),
                    allowance: *allowance,
                })
                .collect(),
        }
    }

    /// Writes the file (JSON).
    pub fn save(&self, path: &Path) -> Result<(), Error> {
        let json =
            serde_json::to_vec(&self.to_file()).map_err(|e| Error::AllowList(e.to_string()))?;
        std::fs::write(path, json).map_err(|e| Error::AllowList(format!("{}: {e}", path.display())))
    }

    /// Reads a file and rebuilds the tree, checking that it gives the stored root.
    pub fn load(path: &Path) -> Result<Self, Error> {
        let bytes = std::fs::read(path)
            .map_err(|e| Error::AllowList(format!("{}: {e}", path.display())))?;
        let file: AllowListFile = serde_json::from_slice(&bytes)
            .map_err(|e| Error::AllowList(format!("{}: {e}", path.display())))?;
        Self::from_file(&file).map_err(|e| Error::AllowList(format!("{}: {e}", path.display())))
    }

    /// Rebuilds the tree from its file form, checking the stored root.
    pub fn from_file(file: &AllowListFile) -> Result<Self, Error> {
        let drop = file
            .drop
            .parse()
            .map_err(|_| Error::AllowList(format!("drop {:?} is not an address", file.drop)))?;
        let entries = file
            .wallets
            .iter()
            .map(|e| {
                e.wallet.parse().map(|w| (w, e.allowance)).map_err(|_| {
                    Error::AllowList(format!("wallet {:?} is not an address", e.wallet))
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let list = Self::new(drop, file.tier, entries)?;
        if hex(&list.root()) != file.root {
            return Err(Error::AllowList(format!(
                "the wallets give root {}, the file says {}: it was edited or is damaged",
                hex(&list.root()),
                file.root
            )));
        }
        Ok(list)
    }
}

/// The allow-list file: the root and every wallet with its allowance.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct AllowListFile {
    pub drop: String,
    pub tier: u8,
    /// Hex-encoded Merkle root.
    pub root: String,
    pub wallets: Vec<AllowListEntry>,
}

/// One wallet and how many it may mint.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct AllowListEntry {
    pub wallet: String,
    pub allowance: u32,
}

/// Lowercase hex of a hash.
pub fn hex(bytes: &[u8; 32]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Parses `wallet[,allowance]` lines (a header line `wallet,...` and blank lines and
/// `#` comments are skipped); rows without an allowance get `default_allowance`. Every bad
/// row is reported with its line number.
pub fn parse_csv(text: &str, default_allowance: u32) -> Result<Vec<(Pubkey, u32)>, Vec<String>> {
    let mut entries = Vec::new();
    let mut problems = Vec::new();
    let mut seen: HashMap<Pubkey, usize> = HashMap::new();
    for (i, raw) in text.lines().enumerate() {
        let line_no = i + 1;
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut fields = line.split(',').map(str::trim);
        let wallet_text = fields.next().unwrap_or("");
        if line_no == 1 && wallet_text.eq_ignore_ascii_case("wallet") {
            continue;
        }
        let allowance_text = fields.next();
        if fields.next().is_some() {
            problems.push(format!(
                "line {line_no}: expected `wallet[,allowance]`, got {line:?}"
            ));
            continue;
        }
        let Ok(wallet) = wallet_text.parse::<Pubkey>() else {
            problems.push(format!(
                "line {line_no}: {wallet_text:?} is not a wallet address"
            ));
            continue;
        };
        let allowance = match allowance_text {
            None | Some("") => default_allowance,
            Some(text) => match text.parse::<u32>() {
                Ok(n) if n >= 1 => n,
                _ => {
                    problems.push(format!(
                        "line {line_no}: allowance {text:?} must be a whole number of at least 1"
                    ));
                    continue;
                }
            },
        };
        if let Some(first) = seen.insert(wallet, line_no) {
            problems.push(format!(
                "line {line_no}: {wallet} is already listed on line {first}"
            ));
            continue;
        }
        entries.push((wallet, allowance));
    }
    if problems.is_empty() {
        Ok(entries)
    } else {
        Err(problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wallets(n: usize) -> Vec<(Pubkey, u32)> {
        (0..n)
            .map(|i| (Pubkey::new_unique(), 1 + (i % 3) as u32))
            .collect()
    }

    #[test]
    fn every_proof_verifies_and_binds_its_entry() {
        let drop = Pubkey::new_unique();
        for n in [1, 2, 3, 5, 8, 13, 100] {
            let entries = wallets(n);
            let list = AllowList::new(drop, 2, entries.clone()).unwrap();
            for (wallet, allowance) in &entries {
                let (got, proof) = list.proof(wallet).unwrap();
                assert_eq!(got, *allowance);
                let leaf = merkle::leaf(&drop, 2, wallet, *allowance);
                assert!(merkle::verify(&list.root(), leaf, &proof), "n={n}");
                // Another allowance, tier or drop does not verify.
                let raised = merkle::leaf(&drop, 2, wallet, allowance + 1);
                assert!(!merkle::verify(&list.root(), raised, &proof));
                let other_tier = merkle::leaf(&drop, 3, wallet, *allowance);
                assert!(!merkle::verify(&list.root(), other_tier, &proof));
                let other_drop = merkle::leaf(&Pubkey::new_unique(), 2, wallet, *allowance);
                assert!(!merkle::verify(&list.root(), other_drop, &proof));
            }
            assert!(list.depth() <= (n as f64).log2().ceil() as usize);
        }
    }

    #[test]
    fn the_root_does_not_depend_on_entry_order() {
        let drop = Pubkey::new_unique();
        let mut entries = wallets(10);
        let a = AllowList::new(drop, 0, entries.clone()).unwrap().root();
        entries.reverse();
        assert_eq!(AllowList::new(drop, 0, entries).unwrap().root(), a);
    }

    #[test]
    fn refuses_empty_duplicate_and_zero() {
        let drop = Pubkey::new_unique();
        assert!(AllowList::new(drop, 0, vec![]).is_err());
        let w = Pubkey::new_unique();
        assert!(AllowList::new(drop, 0, vec![(w, 1), (w, 2)]).is_err());
        assert!(AllowList::new(drop, 0, vec![(w, 0)]).is_err());
    }

    #[test]
    fn a_file_round_trips_and_tampering_is_caught() {
        let list = AllowList::new(Pubkey::new_unique(), 1, wallets(7)).unwrap();
        let mut file = list.to_file();
        let back = AllowList::from_file(&file).unwrap();
        assert_eq!(back.root(), list.root());
        file.wallets[0].allowance += 1;
        assert!(AllowList::from_file(&file).is_err());
    }

    #[test]
    fn csv_rows_are_checked_with_line_numbers() {
        let a = Pubkey::new_unique();
        let b = Pubkey::new_unique();
        let ok = format!("wallet,allowance\n{a},3\n\n# comment\n{b}\n");
        assert_eq!(parse_csv(&ok, 2).unwrap(), vec![(a, 3), (b, 2)]);
        let bad = format!("{a},3\nnot-a-key\n{b},0\n{a}\n{b},1,2\n");
        let problems = parse_csv(&bad, 1).unwrap_err();
        assert_eq!(problems.len(), 4, "{problems:?}");
        assert!(problems[0].starts_with("line 2:"));
        assert!(problems[1].starts_with("line 3:"));
        assert!(problems[2].starts_with("line 4:") && problems[2].contains("line 1"));
        assert!(problems[3].starts_with("line 5:"));
    }
}
