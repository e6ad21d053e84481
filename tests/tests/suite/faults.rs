//! The client over a flaky cluster: the sandbox behind the fault-injecting transport, so
//! requests time out (before or after the node saw them), come back 429, and sent
//! transactions vanish or find their blockhash expired. Every operation must still happen
//! exactly once: the end state and every balance equal a run without faults.

use std::{sync::Arc, time::Duration};

use microdrop::state::{BenefitConfig, DropStatus, SplitConfig};
use microdrop_sdk::{
    client::{SendOptions, MAX_ITEMS_PER_TX},
    pda,
    rpc::RpcClientConfig,
    sandbox::Sandbox,
    transport::{FaultCounts, Faults, Faulty, Resilient, RetryPolicy},
    Client, Keypair, Pubkey, RpcClient, Signer, LAMPORTS_PER_SOL,
};
use solana_commitment_config::CommitmentConfig;

use crate::support::{drop_args, tier, T0};

const ARTIST: Pubkey = Pubkey::from_str_const("Artist1111111111111111111111111111111111111");
const STUDIO: Pubkey = Pubkey::from_str_const("Studio1111111111111111111111111111111111111");

/// Backoff and polling fast enough for a test; the behaviour is the production one.
fn quick_send() -> SendOptions {
    SendOptions {
        poll_interval: Duration::from_millis(5),
        ..SendOptions::default()
    }
}

fn quick_retries() -> RetryPolicy {
    RetryPolicy {
        max_retries: 30,
        initial_backoff: Duration::from_millis(2),
        max_backoff: Duration::from_millis(50),
        rate_limit: None,
    }
}

/// A client for `payer` over `sandbox`, with faults injected when given.
fn client(
    sandbox: &Sandbox,
    payer: &Keypair,
    faults: Option<Faults>,
) -> (Client, Option<Arc<std::sync::Mutex<FaultCounts>>>) {
    let config = RpcClientConfig::with_commitment(CommitmentConfig::confirmed());
    let (rpc, counts) = match faults {
        Some(faults) => {
            let faulty = Faulty::new(sandbox.sender(), faults);
            let counts = faulty.counts();
            let rpc = RpcClient::new_sender(Resilient::new(faulty, quick_retries()), config);
            (rpc, Some(counts))
        }
        None => (
            RpcClient::new_sender(Resilient::new(sandbox.sender(), quick_retries()), config),
            None,
        ),
    };
    let client = Client::new(rpc, payer.insecure_clone()).with_send_options(quick_send());
    (client, counts)
}

/// Everything a drop's operations leave behind that must not depend on faults.
#[derive(Debug, PartialEq, Eq)]
struct EndState {
    minted: u64,
    sold: u64,
    wallet_minted: u32,
    redeemed: u64,
    vault: u64,
    artist: u64,
    studio: u64,
    payer: u64,
    items_held: usize,
}

/// Launch, sell 7 items in 3 transactions, distribute and redeem twice.
async fn run_drop(client: &Client) -> EndState {
    let (drop, _) = client
        .create_drop(drop_args("flaky"), None)
        .await
        .expect("create");
    client
        .add_tier(&drop, 0, tier("public", LAMPORTS_PER_SOL / 10, 50, 10))
        .await
        .expect("tier");
    client
        .set_splits(
            &drop,
            vec![
                SplitConfig {
                    address: ARTIST,
                    share_bps: 7_000,
                },
                SplitConfig {
                    address: STUDIO,
                    share_bps: 3_000,
                },
            ],
        )
        .await
        .expect("splits");
    let print = BenefitConfig {
        label: "print".into(),
        burn: 1,
        supply: 5,
        start: None,
        end: None,
        tier_mask: 0,
    };
    client.add_benefit(&drop, 0, print).await.expect("benefit");
    client
        .set_drop_status(&drop, DropStatus::Active)
        .await
        .expect("activate");
    let minted = client
        .mint_items(&drop, 0, 7, None, None)
        .await
        .expect("mint");
    assert_eq!(minted.mints.len(), 7);
    assert_eq!(minted.signatures.len(), 4, "2 + 2 + 2 + 1 items");
    client.distribute(&drop).await.expect("distribute");
    client.redeem(&drop, 0, None).await.expect("first redeem");
    client.redeem(&drop, 0, None).await.expect("second redeem");

    let state = client.drop(&drop).await.unwrap();
    let tiers = client.tiers(&drop, &state).await.unwrap();
    let benefits = client.benefits(&drop, &state).await.unwrap();
    let tier_address = pda::tier(&drop, 0).0;
    EndState {
        minted: state.minted,
        sold: tiers[0].minted,
        wallet_minted: client
            .wallet_minted(&tier_address, &client.payer())
            .await
            .unwrap(),
        redeemed: benefits[0].redeemed,
        vault: client.balance(&pda::vault(&drop).0).await.unwrap(),
        artist: client.balance(&ARTIST).await.unwrap(),
        studio: client.balance(&STUDIO).await.unwrap(),
        payer: client.balance(&client.payer()).await.unwrap(),
        items_held: client
            .qualifying_items(&drop, &state, &benefits[0], &client.payer())
            .await
            .unwrap()
            .len(),
    }
}

async fn sandbox_at_sale(dir: &std::path::Path, payer: &Keypair) -> Sandbox {
    let sandbox = Sandbox::create_at(dir, T0 + 3_600).await.unwrap();
    sandbox
        .airdrop(&payer.pubkey(), 100 * LAMPORTS_PER_SOL)
        .await
        .unwrap();
    sandbox
}

#[tokio::test]
async fn every_operation_lands_exactly_once_through_injected_faults() {
    let payer = Keypair::new();
    let clean_dir = tempfile::tempdir().unwrap();
    let clean = sandbox_at_sale(clean_dir.path(), &payer).await;
    let expected = run_drop(&client(&clean, &payer, None).0).await;
    assert_eq!(expected.minted, 7);
    assert_eq!(expected.redeemed, 2);
    assert_eq!(expected.items_held, 5);

    // The mix, then each fault alone (so none hides behind another: a dropped
    // send whose retry finds its blockhash expired never waits on confirmation).
    for (mix, faults) in [
        (
            "all",
            "timeout=0.2,rate_limit=0.2,drop=0.2,expire_blockhash=0.1,seed=7",
        ),
        ("drop", "drop=0.4,seed=11"),
        ("expire", "expire_blockhash=0.3,seed=12"),
        ("timeout", "timeout=0.4,seed=13"),
    ] {
        let flaky_dir = tempfile::tempdir().unwrap();
        let flaky = sandbox_at_sale(flaky_dir.path(), &payer).await;
        let (faulty_client, counts) = client(&flaky, &payer, Some(faults.parse().unwrap()));
        let got = run_drop(&faulty_client).await;
        let counts = *counts.unwrap().lock().unwrap();
        let injected = match mix {
            "all" => {
                counts.timeouts > 0
                    && counts.rate_limited > 0
                    && counts.dropped > 0
                    && counts.expired > 0
            }
            "drop" => counts.dropped > 2,
            "expire" => counts.expired > 2,
            _ => counts.timeouts > 10,
        };
        assert!(injected, "{mix}: faults were injected: {counts:?}");
        // Same items, receipts and payouts, and the payer paid the same fees and rent:
        // no transaction landed twice and none is missing.
        assert_eq!(got, expected, "{mix}: after {counts:?}");
    }
}

#[tokio::test]
async fn buyers_racing_for_item_numbers_all_get_their_items() {
    let dir = tempfile::tempdir().unwrap();
    let creator = Keypair::new();
    let sandbox = sandbox_at_sale(dir.path(), &creator).await;
    let (creator_client, _) = client(&sandbox, &creator, None);
    let (drop, _) = creator_client
        .create_drop(drop_args("race"), None)
        .await
        .unwrap();
    creator_client
        .add_tier(&drop, 0, tier("public", 1_000_000, 100, 10))
        .await
        .unwrap();
    let print = BenefitConfig {
        label: "print".into(),
        burn: 1,
        supply: 10,
        start: None,
        end: None,
        tier_mask: 0,
    };
    creator_client.add_benefit(&drop, 0, print).await.unwrap();
    creator_client
        .set_drop_status(&drop, DropStatus::Active)
        .await
        .unwrap();

    let buyers: Vec<Keypair> = (0..4).map(|_| Keypair::new()).collect();
    for buyer in &buyers {
        sandbox
            .airdrop(&buyer.pubkey(), 10 * LAMPORTS_PER_SOL)
            .await
            .unwrap();
    }
    let clients: Vec<Client> = buyers.iter().map(|b| client(&sandbox, b, None).0).collect();
    // Each builds its mint for the same next item numbers; all but one must rebuild.
    let mints = futures::future::join_all(
        clients
            .iter()
            .map(|c| c.mint_items(&drop, 0, u64::from(MAX_ITEMS_PER_TX), None, None)),
    )
    .await;
    for (buyer, minted) in buyers.iter().zip(&mints) {
        let minted = minted.as_ref().expect("every buyer gets its items");
        assert_eq!(
            minted.mints.len(),
            usize::from(MAX_ITEMS_PER_TX),
            "{}",
            buyer.pubkey()
        );
    }
    let state = creator_client.drop(&drop).await.unwrap();
    assert_eq!(state.minted, 4 * u64::from(MAX_ITEMS_PER_TX));

    // Receipts are numbered too: concurrent redemptions each get their own.
    let redeemed =
        futures::future::join_all(clients.iter().map(|c| c.redeem(&drop, 0, None))).await;
    let mut receipts: Vec<Pubkey> = redeemed
        .into_iter()
        .map(|r| r.expect("every holder redeems").redemption)
        .collect();
    receipts.sort();
    receipts.dedup();
    assert_eq!(receipts.len(), 4);
    let benefits = creator_client.benefits(&drop, &state).await.unwrap();
    assert_eq!(benefits[0].redeemed, 4);
}

#[tokio::test]
async fn priority_fees_are_set_and_paid_and_auto_follows_recent_fees() {
    use microdrop_sdk::client::PriorityFee;
    let dir = tempfile::tempdir().unwrap();
    let payer = Keypair::new();
    let sandbox = sandbox_at_sale(dir.path(), &payer).await;
    let with_fee = |fee: PriorityFee| {
        let (client, _) = client(&sandbox, &payer, None);
        client.with_send_options(SendOptions {
            priority_fee: fee,
            ..quick_send()
        })
    };

    let fixed = with_fee(PriorityFee::MicroLamports(10_000));
    let before = fixed.balance(&payer.pubkey()).await.unwrap();
    let (drop, signature) = fixed
        .create_drop(drop_args("priority"), None)
        .await
        .unwrap();
    let spent = before - fixed.balance(&payer.pubkey()).await.unwrap();
    let tx = sent_message(&fixed, &signature).await;
    let (limit, price) = microdrop_sdk::instructions::compute_budget_of(&tx);
    assert_eq!(price, 10_000);
    let units = fixed.transaction_cost(&signature).await.unwrap().units;
    // Sized from the simulation: what it used plus 10% and a margin, far below the maximum.
    assert!(u64::from(limit) >= units && u64::from(limit) <= units * 11 / 10 + 1_000);
    let priority = (u64::from(limit) * 10_000).div_ceil(1_000_000);
    let rent_and_fees = fixed.launch_cost(false).await.unwrap();
    // `launch_cost` counts two base fees (create and activate); one was sent here.
    assert_eq!(
        spent,
        rent_and_fees - microdrop_sdk::SIGNATURE_FEE_LAMPORTS + priority
    );

    // Auto: the recent fees paid to write the drop.
    let auto = with_fee(PriorityFee::Auto);
    let signature = auto
        .set_drop_status(&drop, DropStatus::Active)
        .await
        .unwrap();
    let tx = sent_message(&auto, &signature).await;
    assert_eq!(
        microdrop_sdk::instructions::compute_budget_of(&tx).1,
        10_000
    );
    // None: no price instruction at all.
    let none = with_fee(PriorityFee::None);
    let signature = none
        .set_drop_status(&drop, DropStatus::Paused)
        .await
        .unwrap();
    let tx = sent_message(&none, &signature).await;
    assert_eq!(microdrop_sdk::instructions::compute_budget_of(&tx).1, 0);
    assert_eq!(
        tx.instructions().len(),
        2,
        "the limit and the program's instruction"
    );
}

/// The message of a landed transaction.
async fn sent_message(
    client: &Client,
    signature: &microdrop_sdk::Signature,
) -> solana_message::VersionedMessage {
    use solana_transaction_status_client_types::UiTransactionEncoding;
    let found = client
        .rpc()
        .get_transaction(signature, UiTransactionEncoding::Base64)
        .await
        .unwrap();
    found.transaction.transaction.decode().unwrap().message
}

/// A mint that landed while the node never shows its status and its blockhash expires:
/// the client signs again, the program refuses the stale item numbers, and the client
/// recognises its own items instead of minting more.
#[tokio::test]
async fn a_mint_whose_status_never_shows_is_recognised_by_its_items() {
    let mut results = Vec::new();
    for faults in [None, Some("stale=0.9,seed=3")] {
        let dir = tempfile::tempdir().unwrap();
        // The same wallets in both runs: the same drop and item addresses.
        let creator = Keypair::new_from_array([3; 32]);
        let sandbox = sandbox_at_sale(dir.path(), &creator).await;
        let buyer = Keypair::new_from_array([4; 32]);
        sandbox
            .airdrop(&buyer.pubkey(), 10 * LAMPORTS_PER_SOL)
            .await
            .unwrap();
        let (setup, _) = client(&sandbox, &creator, None);
        let (drop, _) = setup.create_drop(drop_args("stale"), None).await.unwrap();
        setup
            .add_tier(&drop, 0, tier("public", LAMPORTS_PER_SOL / 10, 50, 10))
            .await
            .unwrap();
        setup
            .set_drop_status(&drop, DropStatus::Active)
            .await
            .unwrap();
        let (minter, counts) = client(&sandbox, &buyer, faults.map(|f| f.parse().unwrap()));
        let minted = minter.mint_items(&drop, 0, 7, None, None).await.unwrap();
        if let Some(counts) = counts {
            let counts = *counts.lock().unwrap();
            assert!(counts.stale > 0, "{counts:?}");
        }
        results.push((
            minted.mints.clone(),
            minted.signatures.len(),
            setup.drop(&drop).await.unwrap().minted,
            setup.balance(&buyer.pubkey()).await.unwrap(),
        ));
    }
    assert_eq!(results[1], results[0]);
    assert_eq!(results[0].2, 7);
}

/// A redemption that lands while the node never shows its status is recognised by its
/// receipt: the holder ends where a run without faults ends, with no redemption twice.
#[tokio::test]
async fn a_redemption_whose_status_never_shows_is_recognised_by_its_receipt() {
    let mut results = Vec::new();
    for faults in [None, Some("stale=0.9,seed=5")] {
        let dir = tempfile::tempdir().unwrap();
        let creator = Keypair::new_from_array([5; 32]);
        let sandbox = sandbox_at_sale(dir.path(), &creator).await;
        let holder = Keypair::new_from_array([6; 32]);
        sandbox
            .airdrop(&holder.pubkey(), 10 * LAMPORTS_PER_SOL)
            .await
            .unwrap();
        let (setup, _) = client(&sandbox, &creator, None);
        let (drop, _) = setup
            .create_drop(drop_args("stale-burn"), None)
            .await
            .unwrap();
        setup
            .add_tier(&drop, 0, tier("public", LAMPORTS_PER_SOL / 10, 50, 10))
            .await
            .unwrap();
        let perk = BenefitConfig {
            label: "perk".into(),
            burn: 1,
            supply: 5,
            start: None,
            end: None,
            tier_mask: 0,
        };
        setup.add_benefit(&drop, 0, perk).await.unwrap();
        setup
            .set_drop_status(&drop, DropStatus::Active)
            .await
            .unwrap();
        let (clean, _) = client(&sandbox, &holder, None);
        clean.mint_items(&drop, 0, 2, None, None).await.unwrap();

        let (redeemer, counts) = client(&sandbox, &holder, faults.map(|f| f.parse().unwrap()));
        let first = redeemer.redeem(&drop, 0, None).await.expect("first redeem");
        let second = redeemer
            .redeem(&drop, 0, None)
            .await
            .expect("second redeem");
        if let Some(counts) = counts {
            let counts = *counts.lock().unwrap();
            assert!(counts.stale > 0, "{counts:?}");
        }
        let state = setup.drop(&drop).await.unwrap();
        let benefits = setup.benefits(&drop, &state).await.unwrap();
        results.push((
            (first.redemption, first.burned),
            (second.redemption, second.burned),
            state.burned,
            benefits[0].redeemed,
            setup.balance(&holder.pubkey()).await.unwrap(),
        ));
    }
    assert_eq!(results[1], results[0]);
    assert_eq!((results[0].2, results[0].3), (2, 2));
}
