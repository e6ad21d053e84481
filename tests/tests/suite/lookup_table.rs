//! `set_lookup_table` and v0 mints through the drop's lookup table: an allow-listed mint
//! of one item fits one transaction even for a list of a million wallets (proof depth 20),
//! and without a table, legacy transactions carry proofs up to the depth that fits.

use microdrop::{
    errors::MicrodropError,
    state::{Drop, DropStatus, TierConfig},
};
use microdrop_sdk::{
    client::PACKET_DATA_SIZE, events::Event, instructions, sandbox::Sandbox, Error, Keypair,
    Pubkey, Signer, LAMPORTS_PER_SOL,
};
use microdrop_tests::{assert_tx_error, program_error, Fixture, SOL};

use crate::support::{create_drop_ix, drop_args, sandbox_client, tier, T0};

#[tokio::test]
async fn the_authority_records_a_lookup_table() {
    let mut f = Fixture::new().await;
    let creator = f.wallet(10 * SOL).await;
    let (drop, ix) = create_drop_ix(&creator.pubkey(), drop_args("alt"));
    f.send(&[ix], &creator, &[]).await.unwrap();
    let table = f.lookup_table(&creator).await;

    let stranger = f.wallet(SOL).await;
    let ix = instructions::set_lookup_table(&stranger.pubkey(), &drop, &table);
    assert_tx_error(
        f.send(&[ix], &stranger, &[]).await,
        program_error(0, MicrodropError::DropAuthorityMismatch),
    );
    // Any account but a lookup table: here the drop itself.
    let ix = instructions::set_lookup_table(&creator.pubkey(), &drop, &drop);
    assert_tx_error(
        f.send(&[ix], &creator, &[]).await,
        program_error(0, MicrodropError::LookupTableInvalid),
    );

    let ix = instructions::set_lookup_table(&creator.pubkey(), &drop, &table);
    let events = f.send_with_events(&[ix], &creator, &[]).await.unwrap();
    assert_eq!(f.anchor_account::<Drop>(&drop).await.lookup_table, table);
    match &events[..] {
        [Event::LookupTableSet(e)] => {
            assert_eq!((e.drop, e.old, e.new), (drop, Pubkey::default(), table));
        }
        other => panic!("expected one LookupTableSet, got {other:?}"),
    }

    let ix = instructions::set_drop_status(&creator.pubkey(), &drop, DropStatus::Closed);
    f.send(&[ix], &creator, &[]).await.unwrap();
    let ix = instructions::set_lookup_table(&creator.pubkey(), &drop, &table);
    assert_tx_error(
        f.send(&[ix], &creator, &[]).await,
        program_error(0, MicrodropError::DropClosed),
    );
}

/// A root for `wallet` with `allowance` at `depth`: the wallet's leaf under `depth`
/// made-up siblings, exactly what a list of 2^depth wallets gives one of them.
fn deep_proof(
    drop: &Pubkey,
    tier_id: u8,
    wallet: &Pubkey,
    allowance: u32,
    depth: usize,
) -> ([u8; 32], Vec<[u8; 32]>) {
    let proof: Vec<[u8; 32]> = (0..depth)
        .map(|i| microdrop_sdk::sha256(&[tier_id, i as u8]))
        .collect();
    let leaf = microdrop::merkle::leaf(drop, tier_id, wallet, allowance);
    let root = proof.iter().fold(leaf, |node, sibling| {
        microdrop::merkle::node(&node, sibling)
    });
    (root, proof)
}

fn listed_tier(label: &str, root: [u8; 32]) -> TierConfig {
    TierConfig {
        allowlist_root: Some(root),
        ..tier(label, LAMPORTS_PER_SOL / 100, 10, 2)
    }
}

#[tokio::test]
async fn a_million_wallet_allow_list_mints_in_one_transaction() {
    let dir = tempfile::tempdir().unwrap();
    let sandbox = Sandbox::create_at(dir.path(), T0 + 3_600).await.unwrap();
    let payer = Keypair::new();
    sandbox
        .airdrop(&payer.pubkey(), 10 * LAMPORTS_PER_SOL)
        .await
        .unwrap();
    let client = sandbox_client(&sandbox, payer.insecure_clone());
    let (drop, _) = client
        .create_drop(drop_args("million"), None)
        .await
        .unwrap();
    let wallet = payer.pubkey();
    // Tier 0: a list of 8,192 wallets (depth 13), the deepest a legacy mint carries.
    // Tier 1: a list of 1,048,576 (depth 20).
    let (shallow_root, shallow) = deep_proof(&drop, 0, &wallet, 2, 13);
    let (deep_root, deep) = deep_proof(&drop, 1, &wallet, 2, 20);
    client
        .add_tier(&drop, 0, listed_tier("thousands", shallow_root))
        .await
        .unwrap();
    client
        .add_tier(&drop, 1, listed_tier("million", deep_root))
        .await
        .unwrap();
    client
        .set_drop_status(&drop, DropStatus::Active)
        .await
        .unwrap();

    // Without a table: legacy transactions, as deep as fits.
    let legacy = client
        .mint_items_with_proof(&drop, 0, 1, Some((2, shallow.clone())), None)
        .await
        .expect("a depth-13 proof fits a legacy transaction");
    assert_eq!(legacy.lookup_table, None);
    let err = client
        .mint_items_with_proof(&drop, 1, 1, Some((2, deep.clone())), None)
        .await
        .unwrap_err();
    match err {
        Error::TooLarge { bytes, limit } => {
            assert_eq!(limit, PACKET_DATA_SIZE);
            assert!(bytes > PACKET_DATA_SIZE, "{bytes}");
        }
        other => panic!("expected TooLarge, got {other}"),
    }
    // A wrong proof is refused before anything is sent.
    let err = client
        .mint_items_with_proof(&drop, 1, 1, Some((3, deep.clone())), None)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::AllowList(_)), "{err}");

    // With the drop's table: one v0 transaction.
    let made = client.ensure_lookup_table(&drop).await.unwrap();
    assert!(made.created);
    assert_eq!(
        made.signatures.len(),
        1,
        "created, filled and recorded at once"
    );
    let again = client.ensure_lookup_table(&drop).await.unwrap();
    assert_eq!(
        (again.created, again.added, again.signatures.len()),
        (false, 0, 0)
    );

    let minted = client
        .mint_items_with_proof(&drop, 1, 1, Some((2, deep)), None)
        .await
        .expect("a depth-20 proof fits through the table");
    assert_eq!(minted.lookup_table, Some(made.address));
    assert_eq!(minted.signatures.len(), 1);
    let cost = client
        .transaction_cost(&minted.signatures[0])
        .await
        .unwrap();
    assert!(cost.bytes <= PACKET_DATA_SIZE, "{cost:?}");
    let events = client
        .transaction_events(&minted.signatures[0])
        .await
        .unwrap();
    assert!(
        matches!(&events[..], [Event::ItemsMinted(e)] if e.tier_id == 1 && e.buyer == wallet),
        "{events:?}"
    );
    // The table's accounts persisted with the rest: a later process mints through it.
    sandbox.save().await.unwrap();
    drop_sandbox(sandbox);
    let sandbox = Sandbox::open(dir.path()).await.unwrap();
    let client = sandbox_client(&sandbox, payer);
    let second = client
        .mint_items_with_proof(&drop, 0, 1, Some((2, shallow)), None)
        .await
        .unwrap();
    assert_eq!(second.lookup_table, Some(made.address));
    assert_eq!(client.drop(&drop).await.unwrap().minted, 3);
}

fn drop_sandbox(sandbox: Sandbox) {
    drop(sandbox);
}
