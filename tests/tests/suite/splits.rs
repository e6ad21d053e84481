//! Splits and `distribute`: income is shared exactly, for primary sales and royalties alike.

use microdrop::{
    errors::MicrodropError,
    events::{Distributed, Payout, SplitsUpdated},
    state::{Drop, Split, SplitConfig},
};
use microdrop_sdk::{events::Event, instructions, pda, Keypair, Pubkey, Signer};
use microdrop_tests::{assert_tx_error, program_error, Fixture, SOL};

use crate::{
    create_drop::create_mint,
    support::{drop_args, fund_tokens, launch_as, mint, tier, T0},
};

fn split(address: Pubkey, share_bps: u16) -> SplitConfig {
    SplitConfig { address, share_bps }
}

#[tokio::test]
async fn create_drop_rejects_each_invalid_split() {
    use MicrodropError::*;
    let mut f = Fixture::new().await;
    let creator = f.wallet(20 * SOL).await;
    let (a, b) = (Pubkey::new_unique(), Pubkey::new_unique());
    let nine: Vec<SplitConfig> = (0..9)
        .map(|i| split(Pubkey::new_unique(), if i == 0 { 2_000 } else { 1_000 }))
        .collect();
    let cases: Vec<(&str, Vec<SplitConfig>, MicrodropError)> = vec![
        ("no recipient", vec![], SplitCountInvalid),
        ("nine recipients", nine, SplitCountInvalid),
        (
            "a zero share",
            vec![split(a, 10_000), split(b, 0)],
            SplitShareZero,
        ),
        (
            "a duplicate",
            vec![split(a, 5_000), split(a, 5_000)],
            SplitDuplicateRecipient,
        ),
        (
            "shares short of 10000",
            vec![split(a, 5_000), split(b, 4_999)],
            SplitSharesNotTotal,
        ),
        (
            "shares over 10000",
            vec![split(a, 5_000), split(b, 5_001)],
            SplitSharesNotTotal,
        ),
        (
            "the default address",
            vec![split(Pubkey::default(), 10_000)],
            SplitRecipientInvalid,
        ),
    ];
    for (i, (what, splits, expected)) in cases.into_iter().enumerate() {
        let mut args = drop_args(&format!("split-{i}"));
        args.splits = splits;
        let drop = pda::drop(&creator.pubkey(), &args.id).0;
        let ix = instructions::create_drop(&creator.pubkey(), None, args);
        assert_eq!(
            f.send(&[ix], &creator, &[]).await,
            Err(program_error(0, expected)),
            "{what}"
        );
        assert!(f.account(&drop).await.is_none(), "{what}");
    }
    // The vault itself cannot be a recipient.
    let mut args = drop_args("vault-split");
    let vault = pda::vault(&pda::drop(&creator.pubkey(), "vault-split").0).0;
    args.splits = vec![split(vault, 10_000)];
    let ix = instructions::create_drop(&creator.pubkey(), None, args);
    assert_tx_error(
        f.send(&[ix], &creator, &[]).await,
        program_error(0, SplitRecipientInvalid),
    );
}

#[tokio::test]
async fn splits_change_until_the_first_sale_then_freeze() {
    let mut f = Fixture::new().await;
    let creator = f.wallet(100 * SOL).await;
    let d = launch_as(
        &mut f,
        creator,
        "freeze",
        10,
        None,
        vec![tier("a", SOL / 10, 10, 5)],
    )
    .await;
    let old: Drop = f.anchor_account(&d.address).await;
    let new = vec![
        split(Pubkey::new_unique(), 7_000),
        split(Pubkey::new_unique(), 3_000),
    ];
    let stranger = f.wallet(SOL).await;
    let ix = instructions::set_splits(&stranger.pubkey(), &d.address, new.clone());
    assert_tx_error(
        f.send(&[ix], &stranger, &[]).await,
        program_error(0, MicrodropError::DropAuthorityMismatch),
    );

    f.warp_to(T0).await;
    let ix = instructions::set_splits(&d.creator.pubkey(), &d.address, new.clone());
    let events = f
        .send_with_events(&[ix], &d.creator, &[])
        .await
        .expect("before any sale");
    assert_eq!(
        events,
        vec![Event::SplitsUpdated(SplitsUpdated {
            drop: d.address,
            old: old.split_config(),
            new: new.clone(),
            timestamp: T0
        })]
    );
    let state: Drop = f.anchor_account(&d.address).await;
    assert_eq!(state.split_config(), new);

    // Audit finding 4: a stranger's lamport and a distribution before the first sale pay
    // nothing and freeze nothing.
    let vault = pda::vault(&d.address).0;
    f.transfer(&vault, 1).await;
    let early = distribute(&mut f, &d.address, &stranger).await;
    assert!(early.payouts.iter().all(|p| p.amount == 0), "{early:?}");
    assert_eq!(early.undistributed, 1);
    let state: Drop = f.anchor_account(&d.address).await;
    assert_eq!(state.distributed_lamports, 0);
    let ix = instructions::set_splits(&d.creator.pubkey(), &d.address, new.clone());
    f.send(&[ix], &d.creator, &[])
        .await
        .expect("still changeable after an early distribution");

    let buyer = f.wallet(SOL).await;
    mint(&mut f, &d.address, 0, &buyer, 1).await.unwrap();
    let ix = instructions::set_splits(
        &d.creator.pubkey(),
        &d.address,
        vec![split(Pubkey::new_unique(), 10_000)],
    );
    assert_tx_error(
        f.send(&[ix], &d.creator, &[]).await,
        program_error(0, MicrodropError::SplitsFrozen),
    );
    let state: Drop = f.anchor_account(&d.address).await;
    assert_eq!(state.split_config(), new);
}

/// A drop of 10 items priced at `price` of `currency` (whose mint authority is
/// `treasurer`), open at `T0`, whose income goes to two new wallets by `shares`; and a
/// buyer holding 100 items' worth of the currency. Returns the drop, the two recipients and
/// the buyer.
async fn two_way_spl_drop(
    f: &mut Fixture,
    id: &str,
    currency: Pubkey,
    treasurer: &Keypair,
    price: u64,
    shares: [u16; 2],
) -> (crate::support::TestDrop, Keypair, Keypair, Keypair) {
    let creator = f.wallet(100 * SOL).await;
    let (a, b) = (Keypair::new(), Keypair::new());
    let d = launch_as(
        f,
        creator,
        id,
        10,
        Some(currency),
        vec![tier("a", price, 10, 5)],
    )
    .await;
    let ix = instructions::set_splits(
        &d.creator.pubkey(),
        &d.address,
        vec![split(a.pubkey(), shares[0]), split(b.pubkey(), shares[1])],
    );
    f.send(&[ix], &d.creator, &[]).await.unwrap();
    f.warp_to(T0).await;
    let buyer = f.wallet(SOL).await;
    fund_tokens(f, treasurer, &currency, &buyer.pubkey(), 100 * price).await;
    (d, a, b, buyer)
}

/// The drop's first sale, of a free item from tier 0: distributions pay nothing before it.
async fn first_sale(f: &mut Fixture, drop: &Pubkey) {
    f.warp_to(T0).await;
    let buyer = f.wallet(SOL).await;
    mint(f, drop, 0, &buyer, 1).await.expect("first sale");
}

/// Funded recipients (so even 1-lamport payouts can land) with awkward prime shares.
async fn recipients(f: &mut Fixture, shares: &[u16]) -> Vec<(Keypair, u16)> {
    let mut out = Vec::new();
    for share in shares {
        out.push((f.wallet(SOL).await, *share));
    }
    out
}

async fn distribute(f: &mut Fixture, drop: &Pubkey, caller: &Keypair) -> Distributed {
    let state: Drop = f.anchor_account(drop).await;
    let ix = instructions::distribute(drop, &state.splits, None);
    let events = f
        .send_with_events(&[ix], caller, &[])
        .await
        .expect("distribute");
    match events.as_slice() {
        [Event::Distributed(d)] => d.clone(),
        other => panic!("expected one Distributed event, got {other:?}"),
    }
}

#[tokio::test]
async fn distributions_pay_exact_shares_and_carry_the_dust() {
    let mut f = Fixture::new().await;
    let creator = f.wallet(100 * SOL).await;
    // 2 + 3 + 9995 basis points, and a price that never divides evenly.
    let people = recipients(&mut f, &[2, 3, 9_995]).await;
    let mut args_splits: Vec<SplitConfig> =
        people.iter().map(|(k, s)| split(k.pubkey(), *s)).collect();
    let d = launch_as(
        &mut f,
        creator,
        "exact",
        20,
        None,
        vec![tier("a", 10_007, 20, 20)],
    )
    .await;
    let ix = instructions::set_splits(
        &d.creator.pubkey(),
        &d.address,
        std::mem::take(&mut args_splits),
    );
    f.send(&[ix], &d.creator, &[]).await.unwrap();
    f.warp_to(T0).await;
    let vault = pda::vault(&d.address).0;
    let reserve = f.balance(&vault).await;
    let start: Vec<u64> = {
        let mut v = Vec::new();
        for (k, _) in &people {
            v.push(f.balance(&k.pubkey()).await);
        }
        v
    };
    let cranker = f.wallet(SOL).await;
    let buyer = f.wallet(5 * SOL).await;
    let mut income: u64 = 0;

    // A 1-lamport royalty: nobody's share reaches a lamport yet; it all stays as dust.
    f.transfer(&vault, 1).await;
    income += 1;
    let first = distribute(&mut f, &d.address, &cranker).await;
    assert!(first.payouts.iter().all(|p| p.amount == 0), "{first:?}");
    assert_eq!(first.undistributed, 1);

    // Many small sales and royalty transfers, a distribution after each.
    for round in 0..6u64 {
        mint(&mut f, &d.address, 0, &buyer, 1).await.unwrap();
        income += 10_007;
        let royalty = 1 + round * 7;
        f.transfer(&vault, royalty).await;
        income += royalty;
        let event = distribute(&mut f, &d.address, &cranker).await;
        let state: Drop = f.anchor_account(&d.address).await;
        let mut received_total = 0;
        for (i, (k, share)) in people.iter().enumerate() {
            let received = f.balance(&k.pubkey()).await - start[i];
            assert_eq!(
                received,
                income * u64::from(*share) / 10_000,
                "round {round}, recipient {i}"
            );
            assert_eq!(state.splits[i].paid_lamports, received);
            received_total += received;
        }
        assert_eq!(state.distributed_lamports, received_total);
        let dust = income - received_total;
        assert!(dust < people.len() as u64, "dust {dust}");
        assert_eq!(event.undistributed, dust);
        assert_eq!(
            f.balance(&vault).await,
            reserve + dust,
            "the dust stays in the vault"
        );
    }
    // Distributing again with nothing new pays nothing and changes nothing.
    let before: Drop = f.anchor_account(&d.address).await;
    let event = distribute(&mut f, &d.address, &cranker).await;
    assert!(event.payouts.iter().all(|p| p.amount == 0));
    let after: Drop = f.anchor_account(&d.address).await;
    assert_eq!(after.splits, before.splits);
}

#[tokio::test]
async fn recipients_must_come_in_order_and_be_the_real_ones() {
    let mut f = Fixture::new().await;
    let creator = f.wallet(100 * SOL).await;
    let people = recipients(&mut f, &[6_000, 4_000]).await;
    let d = launch_as(
        &mut f,
        creator,
        "order",
        10,
        None,
        vec![tier("free", 0, 10, 10)],
    )
    .await;
    let ix = instructions::set_splits(
        &d.creator.pubkey(),
        &d.address,
        people.iter().map(|(k, s)| split(k.pubkey(), *s)).collect(),
    );
    f.send(&[ix], &d.creator, &[]).await.unwrap();
    first_sale(&mut f, &d.address).await;
    let vault = pda::vault(&d.address).0;
    f.transfer(&vault, SOL).await;
    let state: Drop = f.anchor_account(&d.address).await;
    let cranker = f.wallet(SOL).await;

    let mut swapped = state.splits.clone();
    swapped.swap(0, 1);
    let thief = Keypair::new();
    let mut substituted: Vec<Split> = state.splits.clone();
    substituted[1].address = thief.pubkey();
    let mut short = state.splits.clone();
    short.pop();
    for (what, splits) in [
        ("out of order", swapped),
        ("substituted", substituted),
        ("one missing", short),
    ] {
        let ix = instructions::distribute(&d.address, &splits, None);
        let vault_before = f.balance(&vault).await;
        assert_eq!(
            f.send(&[ix], &cranker, &[]).await,
            Err(program_error(0, MicrodropError::SplitRecipientMismatch)),
            "{what}"
        );
        assert_eq!(f.balance(&vault).await, vault_before, "{what}");
    }
    assert_eq!(f.balance(&thief.pubkey()).await, 0);
    let event = distribute(&mut f, &d.address, &cranker).await;
    assert_eq!(
        event.payouts,
        vec![
            Payout {
                recipient: people[0].0.pubkey(),
                amount: 6 * SOL / 10
            },
            Payout {
                recipient: people[1].0.pubkey(),
                amount: 4 * SOL / 10
            },
        ]
    );
}

#[tokio::test]
async fn a_new_wallet_waits_until_its_share_covers_rent() {
    let mut f = Fixture::new().await;
    let creator = f.wallet(100 * SOL).await;
    let funded = f.wallet(SOL).await;
    let fresh = Keypair::new();
    let d = launch_as(
        &mut f,
        creator,
        "fresh",
        10,
        None,
        vec![tier("free", 0, 10, 10)],
    )
    .await;
    let ix = instructions::set_splits(
        &d.creator.pubkey(),
        &d.address,
        vec![split(funded.pubkey(), 9_000), split(fresh.pubkey(), 1_000)],
    );
    f.send(&[ix], &d.creator, &[]).await.unwrap();
    first_sale(&mut f, &d.address).await;
    let vault = pda::vault(&d.address).0;
    let cranker = f.wallet(SOL).await;
    f.transfer(&vault, 1_000_000).await;
    let event = distribute(&mut f, &d.address, &cranker).await;
    assert_eq!(event.payouts[0].amount, 900_000);
    assert_eq!(
        event.payouts[1].amount, 0,
        "100,000 lamports cannot open a wallet"
    );
    f.transfer(&vault, 10_000_000).await;
    let event = distribute(&mut f, &d.address, &cranker).await;
    assert_eq!(
        event.payouts[1].amount, 1_100_000,
        "paid what it was owed all along"
    );
    assert_eq!(f.balance(&fresh.pubkey()).await, 1_100_000);
}

#[tokio::test]
async fn spl_proceeds_are_distributed_in_the_token() {
    let mut f = Fixture::new().await;
    let treasurer = f.wallet(10 * SOL).await;
    let usdc = create_mint(&mut f, &treasurer).await;
    let (d, a, b, buyer) = two_way_spl_drop(
        &mut f,
        "spl-split",
        usdc,
        &treasurer,
        3_333_333,
        [7_919, 2_081],
    )
    .await;
    mint(&mut f, &d.address, 0, &buyer, 2).await.unwrap();
    mint(&mut f, &d.address, 0, &buyer, 1).await.unwrap();
    for wallet in [&a, &b] {
        fund_tokens(&mut f, &treasurer, &usdc, &wallet.pubkey(), 0).await;
    }
    let state: Drop = f.anchor_account(&d.address).await;
    let cranker = f.wallet(SOL).await;

    // Lamport mode on the token vault pays nothing in tokens; token mode with another
    // "vault" account is refused.
    let mut ix = instructions::distribute(&d.address, &state.splits, Some(&usdc));
    let vault_token = pda::associated_token(&pda::vault(&d.address).0, &usdc).0;
    let other = fund_tokens(&mut f, &treasurer, &usdc, &cranker.pubkey(), 5).await;
    let slot = ix
        .accounts
        .iter()
        .position(|m| m.pubkey == vault_token)
        .unwrap();
    ix.accounts[slot].pubkey = other;
    assert_tx_error(
        f.send(&[ix], &cranker, &[]).await,
        program_error(0, MicrodropError::DistributeAccountsInvalid),
    );

    let ix = instructions::distribute(&d.address, &state.splits, Some(&usdc));
    let events = f.send_with_events(&[ix], &cranker, &[]).await.unwrap();
    let total: u64 = 3 * 3_333_333;
    let expected_a = total * 7_919 / 10_000;
    let expected_b = total * 2_081 / 10_000;
    match events.as_slice() {
        [Event::Distributed(event)] => {
            assert!(event.tokens);
            assert_eq!(event.payouts[0].amount, expected_a);
            assert_eq!(event.payouts[1].amount, expected_b);
            assert_eq!(event.undistributed, total - expected_a - expected_b);
        }
        other => panic!("{other:?}"),
    }
    let a_token: anchor_spl::token::TokenAccount = f
        .anchor_account(&pda::associated_token(&a.pubkey(), &usdc).0)
        .await;
    assert_eq!(a_token.amount, expected_a);
    let state: Drop = f.anchor_account(&d.address).await;
    assert_eq!(state.distributed_tokens, expected_a + expected_b);
    assert_eq!(state.distributed_lamports, 0);
}

/// Finding 9: a recipient that cannot be paid keeps its claim and blocks nobody. A frozen
/// token account is skipped and paid in full once thawed.
#[tokio::test]
async fn a_frozen_token_recipient_waits_and_blocks_nobody() {
    use anchor_spl::token::spl_token::instruction::{freeze_account, thaw_account};
    let mut f = Fixture::new().await;
    let treasurer = f.wallet(10 * SOL).await;
    let usdc = f.create_freezable_token_mint(&treasurer).await;
    let (d, a, b, buyer) = two_way_spl_drop(
        &mut f,
        "frozen",
        usdc,
        &treasurer,
        1_000_000,
        [6_000, 4_000],
    )
    .await;
    mint(&mut f, &d.address, 0, &buyer, 2).await.unwrap();
    let a_account = fund_tokens(&mut f, &treasurer, &usdc, &a.pubkey(), 0).await;
    let b_account = fund_tokens(&mut f, &treasurer, &usdc, &b.pubkey(), 0).await;
    let freeze = |thaw: bool| {
        let build = if thaw { thaw_account } else { freeze_account };
        build(
            &anchor_spl::token::ID,
            &b_account,
            &usdc,
            &treasurer.pubkey(),
            &[],
        )
        .unwrap()
    };
    f.send(&[freeze(false)], &treasurer, &[]).await.unwrap();

    let cranker = f.wallet(SOL).await;
    let distribute_tokens =
        |state: &Drop| instructions::distribute(&d.address, &state.splits, Some(&usdc));
    let state: Drop = f.anchor_account(&d.address).await;
    let events = f
        .send_with_events(&[distribute_tokens(&state)], &cranker, &[])
        .await
        .expect("the payable recipient is paid");
    let [Event::Distributed(first)] = events.as_slice() else {
        panic!("{events:?}")
    };
    assert_eq!(first.payouts[0].amount, 1_200_000);
    assert_eq!(first.payouts[1].amount, 0, "frozen: skipped");
    assert_eq!(first.undistributed, 800_000, "b's share waits in the vault");
    assert_eq!(f.token_balance(&a_account).await, 1_200_000);
    assert_eq!(f.token_balance(&b_account).await, 0);

    f.send(&[freeze(true)], &treasurer, &[]).await.unwrap();
    let state: Drop = f.anchor_account(&d.address).await;
    f.send(&[distribute_tokens(&state)], &cranker, &[])
        .await
        .expect("thawed");
    assert_eq!(
        f.token_balance(&b_account).await,
        800_000,
        "all it was owed"
    );
    let state: Drop = f.anchor_account(&d.address).await;
    assert_eq!(state.distributed_tokens, 2_000_000);
    assert_eq!(
        f.token_balance(&pda::associated_token(&pda::vault(&d.address).0, &usdc).0)
            .await,
        0
    );
}

/// Finding 9: a SOL recipient the runtime will not credit (a sysvar, made read-only; a
/// program, executable) keeps its claim, and the others are paid.
#[tokio::test]
async fn a_sol_recipient_that_cannot_receive_blocks_nobody() {
    let mut f = Fixture::new().await;
    let creator = f.wallet(100 * SOL).await;
    let wallet = f.wallet(SOL).await;
    let sysvar = Pubkey::from_str_const("SysvarC1ock11111111111111111111111111111111");
    let program = microdrop_sdk::TOKEN_METADATA_PROGRAM_ID;
    let d = launch_as(
        &mut f,
        creator,
        "unpayable",
        10,
        None,
        vec![tier("a", SOL, 10, 5)],
    )
    .await;
    let ix = instructions::set_splits(
        &d.creator.pubkey(),
        &d.address,
        vec![
            split(wallet.pubkey(), 5_000),
            split(sysvar, 2_500),
            split(program, 2_500),
        ],
    );
    f.send(&[ix], &d.creator, &[]).await.unwrap();
    f.warp_to(T0).await;
    let buyer = f.wallet(5 * SOL).await;
    mint(&mut f, &d.address, 0, &buyer, 2).await.unwrap();
    let before = f.balance(&wallet.pubkey()).await;
    let cranker = f.wallet(SOL).await;
    let event = distribute(&mut f, &d.address, &cranker).await;
    let amounts: Vec<u64> = event.payouts.iter().map(|p| p.amount).collect();
    assert_eq!(amounts, vec![SOL, 0, 0]);
    assert_eq!(f.balance(&wallet.pubkey()).await, before + SOL);
    let state: Drop = f.anchor_account(&d.address).await;
    assert_eq!(state.distributed_lamports, SOL);
    assert_eq!(
        state
            .splits
            .iter()
            .map(|s| s.paid_lamports)
            .collect::<Vec<_>>(),
        vec![SOL, 0, 0],
        "the others keep their claims"
    );
}

/// Finding 5: tokens of another mint in the vault (royalties paid in another token) are
/// shared by the split exactly, with that mint's own ledger, after the first sale only.
#[tokio::test]
async fn other_tokens_in_the_vault_are_distributed_with_their_own_ledger() {
    use microdrop::state::TokenLedger;
    let mut f = Fixture::new().await;
    let issuer = f.wallet(10 * SOL).await;
    let other = f.create_token_mint(&issuer).await;
    let usdc = f.create_token_mint(&issuer).await;
    let creator = f.wallet(100 * SOL).await;
    let (a, b) = (Keypair::new(), Keypair::new());
    let d = launch_as(
        &mut f,
        creator,
        "royalty-token",
        10,
        None,
        vec![tier("a", SOL / 10, 10, 5)],
    )
    .await;
    let ix = instructions::set_splits(
        &d.creator.pubkey(),
        &d.address,
        vec![split(a.pubkey(), 7_919), split(b.pubkey(), 2_081)],
    );
    f.send(&[ix], &d.creator, &[]).await.unwrap();
    let vault = pda::vault(&d.address).0;
    let vault_other = fund_tokens(&mut f, &issuer, &other, &vault, 1_000_003).await;
    let a_other = fund_tokens(&mut f, &issuer, &other, &a.pubkey(), 0).await;
    let b_other = fund_tokens(&mut f, &issuer, &other, &b.pubkey(), 0).await;
    let cranker = f.wallet(SOL).await;
    let state: Drop = f.anchor_account(&d.address).await;
    let distribute_other = |splits: &[Split], mint: &Pubkey| {
        instructions::distribute_token(
            &cranker.pubkey(),
            &d.address,
            splits,
            mint,
            &anchor_spl::token::ID,
        )
    };

    // Before the first sale nothing is paid.
    f.send(&[distribute_other(&state.splits, &other)], &cranker, &[])
        .await
        .expect("before the first sale");
    assert_eq!(f.token_balance(&a_other).await, 0);
    f.warp_to(T0).await;
    let buyer = f.wallet(SOL).await;
    mint(&mut f, &d.address, 0, &buyer, 1).await.unwrap();

    // Refusals: the wrong order, and a vault account that is not the vault's.
    let mut swapped = state.splits.clone();
    swapped.swap(0, 1);
    assert_tx_error(
        f.send(&[distribute_other(&swapped, &other)], &cranker, &[])
            .await,
        program_error(0, MicrodropError::SplitRecipientMismatch),
    );
    let mut elsewhere = distribute_other(&state.splits, &other);
    elsewhere.accounts[4].pubkey = a_other; // vault_token
    assert_tx_error(
        f.send(&[elsewhere], &cranker, &[]).await,
        program_error(0, MicrodropError::DistributeAccountsInvalid),
    );

    let events = f
        .send_with_events(&[distribute_other(&state.splits, &other)], &cranker, &[])
        .await
        .expect("distribute the other token");
    let [Event::TokenDistributed(first)] = events.as_slice() else {
        panic!("{events:?}")
    };
    // floor(1,000,003 x 7,919 / 10,000) and floor(1,000,003 x 2,081 / 10,000).
    assert_eq!(
        (first.payouts[0].amount, first.payouts[1].amount),
        (791_902, 208_100)
    );
    assert_eq!(first.undistributed, 1);
    // More royalties: the ledger carries the dust, so the totals stay exact.
    f.fund_tokens(&issuer, &other, &vault, 9_997).await;
    f.send(&[distribute_other(&state.splits, &other)], &cranker, &[])
        .await
        .unwrap();
    assert_eq!(f.token_balance(&a_other).await, 1_010_000 * 7_919 / 10_000);
    assert_eq!(f.token_balance(&b_other).await, 1_010_000 * 2_081 / 10_000);
    assert_eq!(f.token_balance(&vault_other).await, 0);
    let ledger: TokenLedger = f
        .anchor_account(&pda::token_ledger(&d.address, &other).0)
        .await;
    assert_eq!((ledger.mint, ledger.distributed), (other, 1_010_000));
    assert_eq!(ledger.paid[..2], [799_819, 210_181]);
    // The drop's own lamport accounting is untouched.
    let state: Drop = f.anchor_account(&d.address).await;
    assert_eq!(state.distributed_tokens, 0);

    // An SPL drop's currency goes through `distribute`, never through a ledger.
    let spl_creator = f.wallet(100 * SOL).await;
    let spl = launch_as(&mut f, spl_creator, "spl-drop", 10, Some(usdc), vec![]).await;
    let spl_state: Drop = f.anchor_account(&spl.address).await;
    let currency = instructions::distribute_token(
        &cranker.pubkey(),
        &spl.address,
        &spl_state.splits,
        &usdc,
        &anchor_spl::token::ID,
    );
    assert_tx_error(
        f.send(&[currency], &cranker, &[]).await,
        program_error(0, MicrodropError::DistributeAccountsInvalid),
    );
}
