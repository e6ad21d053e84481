//! The test vectors the TypeScript client (`clients/js`) must reproduce byte for byte:
//! addresses, allow-list trees and proofs, vouchers, events and the fee policy, computed
//! here by the Rust SDK.
//!
//! `clients/js/test/vectors.json` is committed; this test fails when the Rust SDK's
//! answers differ from it (run with `MICRODROP_WRITE_VECTORS=1` to rewrite it after an
//! intended change), and the TypeScript suite checks its own answers against the same file.

use microdrop::voucher::VoucherMessage;
use microdrop_sdk::{allowlist::AllowList, pda, voucher::SignedVoucher, Keypair, Pubkey, Signer};
use serde_json::{json, Value};

fn key(n: u8) -> Pubkey {
    Pubkey::new_from_array([n; 32])
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn vectors() -> Value {
    let creator = key(1);
    let id = "spring-zine";
    let drop = pda::drop(&creator, id).0;
    let tier = pda::tier(&drop, 0).0;
    let wallet = key(2);
    let mint = key(3);
    let item = pda::item_mint(&drop, 1).0;
    let benefit = pda::benefit(&drop, 2).0;
    let pdas = json!({
        "creator": creator.to_string(),
        "id": id,
        "wallet": wallet.to_string(),
        "mint": mint.to_string(),
        "drop": drop.to_string(),
        "longIdDrop": pda::drop(&creator, &"x".repeat(40)).0.to_string(),
        "collectionMint": pda::collection_mint(&drop).0.to_string(),
        "vault": pda::vault(&drop).0.to_string(),
        "itemTiers": pda::item_tiers(&drop).0.to_string(),
        "tier0": tier.to_string(),
        "tier7": pda::tier(&drop, 7).0.to_string(),
        "walletRecord": pda::wallet_record(&tier, &wallet).0.to_string(),
        "holderRecord": pda::holder_record(&tier, &item).0.to_string(),
        "voucherNonce42": pda::voucher_nonce(&tier, 42).0.to_string(),
        "itemMint1": item.to_string(),
        "itemMint70000": pda::item_mint(&drop, 70_000).0.to_string(),
        "benefit2": benefit.to_string(),
        "redemption5": pda::redemption(&benefit, 5).0.to_string(),
        "ledger": pda::token_ledger(&drop, &mint).0.to_string(),
        "eventAuthority": pda::event_authority().0.to_string(),
        "associatedToken": pda::associated_token(&wallet, &mint).0.to_string(),
        "associatedToken2022": pda::associated_token_2022(&wallet, &mint).0.to_string(),
    });

    let entries: Vec<(Pubkey, u32)> = (10..15).map(|n| (key(n), u32::from(n) - 9)).collect();
    let list = AllowList::new(drop, 1, entries.clone()).unwrap();
    let allowlist = json!({
        "drop": drop.to_string(),
        "tierId": 1,
        "entries": entries.iter().map(|(w, a)| json!({"wallet": w.to_string(), "allowance": a})).collect::<Vec<_>>(),
        "leaf": hex(&microdrop::merkle::leaf(&drop, 1, &entries[0].0, entries[0].1)),
        "root": hex(&list.root()),
        "proofs": entries.iter().map(|(w, _)| {
            let (allowance, proof) = list.proof(w).unwrap();
            json!({"wallet": w.to_string(), "allowance": allowance,
                   "proof": proof.iter().map(|h| hex(h)).collect::<Vec<_>>()})
        }).collect::<Vec<_>>(),
    });

    let signer = Keypair::new_from_array([9; 32]);
    let message = VoucherMessage {
        program: microdrop::ID,
        drop,
        tier_id: 3,
        wallet,
        max_quantity: 2,
        expires: 1_900_000_000,
        region: *b"DE",
        nonce: 77,
        single_use: true,
        salt: [5; 32],
    };
    let signed = SignedVoucher::sign(message, &signer);
    let voucher = json!({
        "program": microdrop::ID.to_string(),
        "drop": drop.to_string(),
        "tierId": 3,
        "wallet": wallet.to_string(),
        "maxQuantity": 2,
        "expires": "1900000000",
        "region": "DE",
        "nonce": "77",
        "singleUse": true,
        "salt": hex(&[5; 32]),
        "encoded": hex(&message.encode()),
        "signer": signer.pubkey().to_string(),
        "signature": hex(signed.signature.as_ref()),
        "ed25519Data": hex(&signed.ed25519_instruction().data),
    });
    let constants = json!({
        "maxItemsPerMint": {
            "tokenMetadata": microdrop::constants::max_items_per_mint(microdrop::state::ItemStandard::TokenMetadata),
            "token2022": microdrop::constants::max_items_per_mint(microdrop::state::ItemStandard::Token2022),
        },
        // Strings: JSON numbers lose u64 precision in JavaScript.
        "openSupply": microdrop::constants::OPEN_SUPPLY.to_string(),
        "maxSupply": microdrop::constants::MAX_SUPPLY.to_string(),
        "maxRefundItems": microdrop::constants::MAX_REFUND_ITEMS,
        "itemPricesPda": microdrop_sdk::pda::item_prices(&drop).0.to_string(),
    });
    let item_accounts = json!({
        "tokenMetadata": microdrop_sdk::items::item_accounts(
            microdrop::state::ItemStandard::TokenMetadata, &drop, &wallet, 4,
        ).iter().map(ToString::to_string).collect::<Vec<_>>(),
        "token2022": microdrop_sdk::items::item_accounts(
            microdrop::state::ItemStandard::Token2022, &drop, &wallet, 4,
        ).iter().map(ToString::to_string).collect::<Vec<_>>(),
    });
    let minted = microdrop::events::ItemsMinted {
        drop,
        tier,
        tier_id: 0,
        buyer: wallet,
        mints: vec![item, pda::item_mint(&drop, 2).0],
        first_index: 1,
        paid: 2_000_000,
        timestamp: 1_900_000_123,
    };
    let mut event_data = anchor_lang::event::EVENT_IX_TAG_LE.to_vec();
    event_data.extend(anchor_lang::Event::data(&minted));
    let event = json!({
        "name": "itemsMinted",
        "data": hex(&event_data),
        "drop": drop.to_string(),
        "tier": tier.to_string(),
        "buyer": wallet.to_string(),
        "mints": minted.mints.iter().map(ToString::to_string).collect::<Vec<_>>(),
        "firstIndex": "1",
        "paid": "2000000",
        "timestamp": "1900000123",
    });
    // The fee policy wallets and the mint page share with the CLI: the 75th percentile of
    // recent fees, and the simulated units plus headroom. Strings: u64 precision.
    let recent: [&[u64]; 6] = [
        &[],
        &[7],
        &[0, 0, 0, 100],
        &[400, 100, 300, 200],
        &[5, 1, 4, 2, 3],
        &[u64::MAX, 1, u64::MAX - 1],
    ];
    let limits: [(u64, u32); 7] = [
        (0, 10),
        (52_477, 10),
        (187_319, 10),
        (187_319, 0),
        (187_319, 25),
        (1_300_000, 10),
        (u64::MAX, 10),
    ];
    let fees = json!({
        "autoPriorityFee": recent.iter().map(|fees| json!({
            "recent": fees.iter().map(ToString::to_string).collect::<Vec<_>>(),
            "fee": microdrop_sdk::client::auto_priority_fee(fees.to_vec()).to_string(),
        })).collect::<Vec<_>>(),
        "computeUnitLimit": limits.iter().map(|&(units, headroom)| json!({
            "consumed": units.to_string(),
            "headroomPercent": headroom,
            "limit": microdrop_sdk::client::sized_compute_limit(units, headroom),
        })).collect::<Vec<_>>(),
    });
    // A Token Metadata drop's item-tier table, as the program writes it, and what it says.
    let mut table = vec![0u8; microdrop::state::item_tiers::size_for(7).unwrap()];
    table[..8].copy_from_slice(&microdrop::state::item_tiers::TAG);
    table[8..40].copy_from_slice(drop.as_ref());
    for (index, tier_id) in [(1, 0), (2, 1), (4, 7), (7, 14)] {
        microdrop::state::item_tiers::record(&mut table, index, tier_id).unwrap();
    }
    let item_tiers = json!({
        "table": hex(&table),
        "tiers": (0..=9u64).map(|index| json!([
            index,
            microdrop::state::item_tiers::tier_of(&table, index).ok().flatten(),
        ])).collect::<Vec<_>>(),
    });
    json!({
        "event": event,
        "fees": fees,
        "itemTiers": item_tiers,
        "pdas": pdas,
        "allowlist": allowlist,
        "voucher": voucher,
        "constants": constants,
        "itemAccounts": item_accounts,
    })
}

#[test]
fn the_typescript_clients_vectors_are_the_rust_sdks() {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../clients/js/test/vectors.json");
    let expected = serde_json::to_string_pretty(&vectors()).unwrap() + "\n";
    if std::env::var_os("MICRODROP_WRITE_VECTORS").is_some() {
        std::fs::write(&path, &expected).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == expected,
        "{} differs from what the Rust SDK computes; rerun with MICRODROP_WRITE_VECTORS=1 \
         and commit it (the TypeScript suite then checks its answers against it)",
        path.display()
    );
}
