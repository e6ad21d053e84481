//! Builders shared by the suite's modules.

use microdrop::instructions::CreateDropArgs;
use microdrop_sdk::{instructions, pda, Instruction, Pubkey};

/// A valid drop config; tests change one field at a time.
pub fn drop_args(id: &str) -> CreateDropArgs {
    CreateDropArgs {
        id: id.to_string(),
        name: "Spring Zine".to_string(),
        symbol: "ZINE".to_string(),
        uri: "https://example.com/zine/collection.json".to_string(),
        item_uri: "https://example.com/zine/{index}.json".to_string(),
        supply: 250,
        seller_fee_bps: 500,
    }
}

/// `create_drop` for `authority` in SOL, with its drop address.
pub fn create_drop_ix(authority: &Pubkey, args: CreateDropArgs) -> (Pubkey, Instruction) {
    let drop = pda::drop(authority, &args.id).0;
    (drop, instructions::create_drop(authority, None, args))
}
