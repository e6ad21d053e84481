//! The SDK client over the embedded sandbox: the same `RpcClient` code path as a real
//! cluster, named program errors, and state that survives between processes.

use microdrop::state::{Currency, DropStatus};
use microdrop_sdk::{
    pda,
    sandbox::{Sandbox, DEFAULT_KEYPAIR_FUNDS},
    Client, Error,
};

use crate::support::{drop_args, sandbox_client};

async fn client(sandbox: &Sandbox) -> Client {
    let payer = sandbox.default_keypair().unwrap();
    sandbox_client(sandbox, payer)
}

#[tokio::test]
async fn a_new_sandbox_funds_its_default_keypair() {
    let dir = tempfile::tempdir().unwrap();
    let sandbox = Sandbox::open(dir.path()).await.unwrap();
    let client = client(&sandbox).await;
    assert_eq!(
        client.balance(&client.payer()).await.unwrap(),
        DEFAULT_KEYPAIR_FUNDS
    );
}

#[tokio::test]
async fn identical_airdrops_in_a_row_both_land() {
    let dir = tempfile::tempdir().unwrap();
    let sandbox = Sandbox::open(dir.path()).await.unwrap();
    let client = client(&sandbox).await;
    let to = microdrop_sdk::Pubkey::new_unique();
    // The second is the same transaction under the same blockhash unless the sandbox
    // waits for a new one.
    let first = sandbox.airdrop(&to, 1_000_000).await.unwrap();
    let second = sandbox.airdrop(&to, 1_000_000).await.unwrap();
    assert_ne!(first, second);
    assert_eq!(client.balance(&to).await.unwrap(), 2_000_000);
}

#[tokio::test]
async fn state_persists_between_processes() {
    let dir = tempfile::tempdir().unwrap();
    let (drop, creator) = {
        let sandbox = Sandbox::open(dir.path()).await.unwrap();
        let client = client(&sandbox).await;
        let (drop, _) = client
            .create_drop(drop_args("persisted"), None)
            .await
            .unwrap();
        client
            .set_drop_status(&drop, DropStatus::Active)
            .await
            .unwrap();
        sandbox.save().await.unwrap();
        (drop, client.payer())
    };
    let sandbox = Sandbox::open(dir.path()).await.unwrap();
    let client = client(&sandbox).await;
    assert_eq!(client.payer(), creator, "the default keypair is kept");
    let state = client.drop(&drop).await.unwrap();
    assert_eq!(state.status, DropStatus::Active);
    assert_eq!(state.currency, Currency::Sol);
    // The collection NFT persisted with it, so the drop keeps working.
    let collection = pda::collection_mint(&drop).0;
    assert!(client
        .account(&pda::metadata(&collection).0)
        .await
        .unwrap()
        .is_some());
    client
        .set_drop_status(&drop, DropStatus::Paused)
        .await
        .unwrap();
}

#[tokio::test]
async fn program_errors_arrive_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let sandbox = Sandbox::open(dir.path()).await.unwrap();
    let client = client(&sandbox).await;
    let mut args = drop_args("zero");
    args.supply = 0;
    let err = client.create_drop(args, None).await.unwrap_err();
    match &err {
        Error::Program {
            program,
            code,
            name,
            ..
        } => {
            assert_eq!(program, "microdrop");
            assert_eq!(*code, 6006);
            assert_eq!(name, "DropSupplyZero");
        }
        other => panic!("expected a program error, got {other:?}"),
    }
    // Refused in preflight: nothing landed, nothing was paid.
    assert_eq!(
        client.balance(&client.payer()).await.unwrap(),
        DEFAULT_KEYPAIR_FUNDS
    );

    let (drop, _) = client.create_drop(drop_args("dup"), None).await.unwrap();
    let err = client
        .create_drop(drop_args("dup"), None)
        .await
        .unwrap_err();
    assert_eq!(
        err.program_error_name(),
        Some("AccountAlreadyInUse"),
        "{err}"
    );
    assert!(client.find_drop(&drop).await.unwrap().is_some());
}

#[tokio::test]
async fn the_clock_warps_forward_only_and_persists() {
    let dir = tempfile::tempdir().unwrap();
    let target = microdrop_sdk::sandbox::wall_clock() + 30 * 86_400;
    {
        let sandbox = Sandbox::open(dir.path()).await.unwrap();
        sandbox.warp_to(target).await.unwrap();
        let err = sandbox.warp_to(target - 3_600).await.unwrap_err();
        assert!(matches!(err, Error::Sandbox(_)), "{err}");
        sandbox.save().await.unwrap();
    }
    let sandbox = Sandbox::open(dir.path()).await.unwrap();
    let now = sandbox.unix_time();
    assert!(
        (target..target + 60).contains(&now),
        "clock {now}, warped to {target}"
    );
    // The runtime's Clock sysvar agrees with the sandbox's clock.
    let client = client(&sandbox).await;
    let clock_account = client
        .account(&microdrop_sdk::Pubkey::from_str_const(
            "SysvarC1ock11111111111111111111111111111111",
        ))
        .await
        .unwrap()
        .unwrap();
    let clock: solana_clock::Clock = bincode_clock(&clock_account.data);
    assert!((target..target + 60).contains(&clock.unix_timestamp));
}

fn bincode_clock(data: &[u8]) -> solana_clock::Clock {
    // Clock is five little-endian 8-byte fields.
    let field = |i: usize| <[u8; 8]>::try_from(&data[i * 8..i * 8 + 8]).unwrap();
    solana_clock::Clock {
        slot: u64::from_le_bytes(field(0)),
        epoch_start_timestamp: i64::from_le_bytes(field(1)),
        epoch: u64::from_le_bytes(field(2)),
        leader_schedule_epoch: u64::from_le_bytes(field(3)),
        unix_timestamp: i64::from_le_bytes(field(4)),
    }
}

#[tokio::test]
async fn reset_starts_a_new_chain_with_the_same_wallet() {
    let dir = tempfile::tempdir().unwrap();
    let (drop, wallet) = {
        let sandbox = Sandbox::open(dir.path()).await.unwrap();
        let client = client(&sandbox).await;
        let (drop, _) = client.create_drop(drop_args("gone"), None).await.unwrap();
        sandbox.save().await.unwrap();
        (drop, client.payer())
    };
    Sandbox::reset(dir.path()).unwrap();
    let sandbox = Sandbox::open(dir.path()).await.unwrap();
    let client = client(&sandbox).await;
    assert_eq!(client.payer(), wallet);
    assert!(client.find_drop(&drop).await.unwrap().is_none());
    assert_eq!(
        client.balance(&wallet).await.unwrap(),
        DEFAULT_KEYPAIR_FUNDS
    );
}

#[tokio::test]
async fn launch_cost_is_exactly_what_a_launch_spends() {
    let dir = tempfile::tempdir().unwrap();
    let sandbox = Sandbox::open(dir.path()).await.unwrap();
    let client = client(&sandbox).await;
    let estimate = client.launch_cost(false).await.unwrap();
    let before = client.balance(&client.payer()).await.unwrap();
    let (drop, _) = client.create_drop(drop_args("costed"), None).await.unwrap();
    client
        .set_drop_status(&drop, DropStatus::Active)
        .await
        .unwrap();
    let after = client.balance(&client.payer()).await.unwrap();
    assert_eq!(before - after, estimate);
}

#[tokio::test]
async fn events_reach_clients_through_get_transaction() {
    use microdrop_sdk::events::Event;
    let dir = tempfile::tempdir().unwrap();
    let sandbox = Sandbox::open(dir.path()).await.unwrap();
    let creator = client(&sandbox).await;
    let (drop, signature) = creator
        .create_drop(drop_args("evented"), None)
        .await
        .unwrap();
    let events = creator.transaction_events(&signature).await.unwrap();
    assert!(
        matches!(&events[..], [Event::DropCreated(e)] if e.drop == drop),
        "{events:?}"
    );
    let tier = crate::support::tier("t", 1_000, 5, 5);
    creator.add_tier(&drop, 0, tier).await.unwrap();
    creator
        .set_drop_status(&drop, DropStatus::Active)
        .await
        .unwrap();
    sandbox.warp_to(crate::support::T0).await.unwrap();
    let outcome = creator.mint_items(&drop, 0, 2, None, None).await.unwrap();
    sandbox.save().await.unwrap();
    std::mem::drop(sandbox);

    // Another process reads the same history.
    let sandbox = Sandbox::open(dir.path()).await.unwrap();
    let client = client(&sandbox).await;
    let events = client
        .transaction_events(&outcome.signatures[0])
        .await
        .unwrap();
    match &events[..] {
        [Event::ItemsMinted(minted)] => {
            assert_eq!(minted.mints, outcome.mints);
            assert_eq!((minted.first_index, minted.paid), (1, 2_000));
            assert_eq!(minted.buyer, client.payer());
        }
        other => panic!("expected one ItemsMinted, got {other:?}"),
    }
}

/// The sandbox's JSON-RPC answers to `simulateTransaction` with a validator's options, as
/// `microdrop sandbox serve` gives them: `innerInstructions`, `sigVerify` and
/// `replaceRecentBlockhash`.
#[tokio::test]
async fn simulation_honours_inner_instructions_sig_verify_and_blockhash_replacement() {
    use base64::{prelude::BASE64_STANDARD, Engine};
    use microdrop_sdk::{instructions, rpc_server, Signer};
    use solana_transaction::{versioned::VersionedTransaction, Transaction};
    let dir = tempfile::tempdir().unwrap();
    let sandbox = Sandbox::open(dir.path()).await.unwrap();
    let payer = sandbox.default_keypair().unwrap();
    let creator = client(&sandbox).await;
    let blockhash = creator.rpc().get_latest_blockhash().await.unwrap();
    let ix = instructions::create_drop(&payer.pubkey(), None, drop_args("simulated"));
    let encode = |tx: &Transaction| {
        BASE64_STANDARD.encode(bincode::serialize(&VersionedTransaction::from(tx.clone())).unwrap())
    };
    let simulate = |tx: String, config: serde_json::Value| {
        let sender = sandbox.sender();
        async move {
            let body = serde_json::json!({"jsonrpc": "2.0", "id": 1,
                "method": "simulateTransaction", "params": [tx, config]});
            rpc_server::answer(&sender, body.to_string().as_bytes())
                .await
                .unwrap()
        }
    };
    let signed = Transaction::new_signed_with_payer(
        std::slice::from_ref(&ix),
        Some(&payer.pubkey()),
        &[&payer],
        blockhash,
    );

    let answer = simulate(
        encode(&signed),
        serde_json::json!({"encoding": "base64", "innerInstructions": true, "sigVerify": true}),
    )
    .await;
    let value = &answer["result"]["value"];
    assert!(value["err"].is_null(), "{answer}");
    let inner = value["innerInstructions"].as_array().unwrap();
    assert!(
        inner[0]["instructions"].as_array().unwrap().len() > 3,
        "create_drop's CPIs: {answer}"
    );
    assert!(value["replacementBlockhash"].is_null());

    let mut forged = signed.clone();
    forged.signatures[0] = solana_transaction::Signature::from([7u8; 64]);
    let answer = simulate(
        encode(&forged),
        serde_json::json!({"encoding": "base64", "sigVerify": true}),
    )
    .await;
    assert_eq!(answer["error"]["code"], -32003, "{answer}");

    let answer = simulate(
        encode(&signed),
        serde_json::json!({"encoding": "base64", "sigVerify": true, "replaceRecentBlockhash": true}),
    )
    .await;
    assert_eq!(answer["error"]["code"], -32602, "{answer}");

    // An unknown blockhash fails, unless the node replaces it with its own.
    let stale = Transaction::new_signed_with_payer(
        &[ix],
        Some(&payer.pubkey()),
        &[&payer],
        Default::default(),
    );
    let answer = simulate(encode(&stale), serde_json::json!({"encoding": "base64"})).await;
    assert_eq!(
        answer["result"]["value"]["err"], "BlockhashNotFound",
        "{answer}"
    );
    let answer = simulate(
        encode(&stale),
        serde_json::json!({"encoding": "base64", "replaceRecentBlockhash": true}),
    )
    .await;
    // It ran: the blockhash it reports is one the runtime knows (the stale one is not).
    let value = &answer["result"]["value"];
    assert!(value["err"].is_null(), "{answer}");
    let replacement = &value["replacementBlockhash"];
    let stale_hash = microdrop_sdk::Pubkey::default().to_string();
    assert!(
        replacement["blockhash"]
            .as_str()
            .is_some_and(|h| h != stale_hash),
        "{answer}"
    );
    assert!(
        replacement["lastValidBlockHeight"].as_u64().is_some(),
        "{answer}"
    );
}
