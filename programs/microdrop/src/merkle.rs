//! Allow-list Merkle proofs, verified inside the mint instruction itself.
//!
//! A leaf binds the drop, the tier, the wallet and that wallet's allowance, so a proof for
//! one drop, tier or wallet proves nothing about another, and the allowance cannot be
//! raised without breaking the proof. Leaves and internal nodes are hashed with different
//! one-byte prefixes, so an internal node can never pass for a leaf (the second-preimage
//! attack on naive trees). Pairs are hashed in sorted order, so a proof is just the list
//! of sibling hashes, with no left/right bits.

use anchor_lang::prelude::Pubkey;
use solana_sha256_hasher::hashv;

/// Domain prefix of leaf hashes.
pub const LEAF_PREFIX: u8 = 0;
/// Domain prefix of internal node hashes.
pub const NODE_PREFIX: u8 = 1;

/// The leaf of `wallet` with `allowance` on tier `tier_id` of `drop`.
pub fn leaf(drop: &Pubkey, tier_id: u8, wallet: &Pubkey, allowance: u32) -> [u8; 32] {
    hashv(&[
        &[LEAF_PREFIX],
        drop.as_ref(),
        &[tier_id],
        wallet.as_ref(),
        &allowance.to_le_bytes(),
    ])
    .to_bytes()
}

/// The parent of two nodes, independent of their order.
pub fn node(a: &[u8; 32], b: &[u8; 32]) -> [u8; 32] {
    let (low, high) = if a <= b { (a, b) } else { (b, a) };
    hashv(&[&[NODE_PREFIX], low, high]).to_bytes()
}

/// Whether `proof` leads from `leaf` to `root`.
pub fn verify(root: &[u8; 32], leaf: [u8; 32], proof: &[[u8; 32]]) -> bool {
    proof.iter().fold(leaf, |acc, sibling| node(&acc, sibling)) == *root
}
