//! `add_tier` and `update_tier`: configuring a drop's tiers, and every refusal.

use anchor_lang::error::ErrorCode as AnchorErrorCode;
use microdrop::{
    errors::MicrodropError,
    events::{TierAdded, TierUpdated},
    state::{Drop, DropStatus, Tier, TierConfig},
};
use microdrop_sdk::{events::Event, instructions, pda, Keypair, Pubkey, Signer};
use microdrop_tests::{anchor_error, assert_tx_error, program_error, Fixture, SOL};

use crate::support::{create_drop_ix, drop_args, mint, tier, T0};

async fn draft_drop(f: &mut Fixture, id: &str, supply: u64) -> (Keypair, Pubkey) {
    let creator = f.wallet(20 * SOL).await;
    let mut args = drop_args(id);
    args.supply = supply;
    let (drop, ix) = create_drop_ix(&creator.pubkey(), args);
    f.send(&[ix], &creator, &[]).await.expect("create_drop");
    (creator, drop)
}

async fn add(
    f: &mut Fixture,
    creator: &Keypair,
    drop: &Pubkey,
    config: TierConfig,
) -> Result<(), solana_transaction_error::TransactionError> {
    let state: Drop = f.anchor_account(drop).await;
    let ix = instructions::add_tier(&creator.pubkey(), drop, state.tier_count, config);
    f.send(&[ix], creator, &[]).await
}

#[tokio::test]
async fn adds_tiers_in_order_with_their_configuration() {
    let mut f = Fixture::new().await;
    let (creator, drop) = draft_drop(&mut f, "tiered", 100).await;
    let holders = Pubkey::new_unique();
    let presale = TierConfig {
        allowlist_root: Some([7; 32]),
        ..tier("presale", 2 * SOL / 10, 30, 2)
    };
    let pass = TierConfig {
        holder_of: Some(holders),
        start: T0 + 3_600,
        ..tier("pass", SOL / 10, 20, 1)
    };
    f.warp_to(T0 - 100).await;
    let ix = instructions::add_tier(&creator.pubkey(), &drop, 0, presale.clone());
    let events = f
        .send_with_events(&[ix], &creator, &[])
        .await
        .expect("add presale");
    assert_eq!(
        events,
        vec![Event::TierAdded(TierAdded {
            drop,
            tier: pda::tier(&drop, 0).0,
            id: 0,
            config: presale.clone(),
            timestamp: T0 - 100,
        })]
    );
    add(&mut f, &creator, &drop, pass.clone())
        .await
        .expect("add pass");

    let state: Drop = f.anchor_account(&drop).await;
    assert_eq!((state.tier_count, state.tier_supply_total), (2, 50));
    let first: Tier = f.anchor_account(&pda::tier(&drop, 0).0).await;
    assert_eq!(first.config(), presale);
    assert_eq!((first.drop, first.id, first.minted), (drop, 0, 0));
    assert_eq!(first.bump, pda::tier(&drop, 0).1);
    let second: Tier = f.anchor_account(&pda::tier(&drop, 1).0).await;
    assert_eq!(second.config(), pass);
    assert_eq!(second.id, 1);
}

#[tokio::test]
async fn rejects_each_invalid_tier_by_name() {
    use MicrodropError::*;
    type Mutation = Box<dyn Fn(&mut TierConfig)>;
    let cases: Vec<(&str, Mutation, MicrodropError)> = vec![
        (
            "empty label",
            Box::new(|t| t.label = String::new()),
            TierLabelInvalid,
        ),
        (
            "label of 33 bytes",
            Box::new(|t| t.label = "l".repeat(33)),
            TierLabelInvalid,
        ),
        (
            "end at start",
            Box::new(|t| t.end = t.start),
            TierWindowInvalid,
        ),
        (
            "end before start",
            Box::new(|t| t.end = t.start - 1),
            TierWindowInvalid,
        ),
        ("supply 0", Box::new(|t| t.supply = 0), TierSupplyZero),
        (
            "per wallet 0",
            Box::new(|t| t.per_wallet = 0),
            TierPerWalletZero,
        ),
        (
            "more than the drop",
            Box::new(|t| t.supply = 101),
            TierSupplyExceedsDrop,
        ),
    ];
    let mut f = Fixture::new().await;
    let (creator, drop) = draft_drop(&mut f, "bad-tiers", 100).await;
    for (what, mutate, expected) in cases {
        let mut config = tier("t", SOL, 10, 1);
        mutate(&mut config);
        assert_tx_error(
            add(&mut f, &creator, &drop, config).await,
            program_error(0, expected),
        );
        let state: Drop = f.anchor_account(&drop).await;
        assert_eq!(state.tier_count, 0, "{what}");
        assert!(f.account(&pda::tier(&drop, 0).0).await.is_none(), "{what}");
    }
    // Together, tiers may fill the drop but not exceed it.
    add(&mut f, &creator, &drop, tier("a", SOL, 60, 1))
        .await
        .unwrap();
    assert_tx_error(
        add(&mut f, &creator, &drop, tier("b", SOL, 41, 1)).await,
        program_error(0, TierSupplyExceedsDrop),
    );
    add(&mut f, &creator, &drop, tier("b", SOL, 40, 1))
        .await
        .expect("exactly full");
}

#[tokio::test]
async fn a_drop_has_at_most_eight_tiers() {
    let mut f = Fixture::new().await;
    let (creator, drop) = draft_drop(&mut f, "eight", 100).await;
    for i in 0..8 {
        add(&mut f, &creator, &drop, tier(&format!("t{i}"), SOL, 1, 1))
            .await
            .unwrap();
    }
    // The ninth tier's PDA would have id 8.
    assert_tx_error(
        add(&mut f, &creator, &drop, tier("t8", SOL, 1, 1)).await,
        program_error(0, MicrodropError::DropTierLimitReached),
    );
}

#[tokio::test]
async fn tiers_change_only_in_draft_or_paused_and_only_by_the_authority() {
    let mut f = Fixture::new().await;
    let (creator, drop) = draft_drop(&mut f, "editable", 100).await;
    add(&mut f, &creator, &drop, tier("a", SOL, 10, 1))
        .await
        .unwrap();
    let stranger = f.wallet(SOL).await;
    let ix = instructions::add_tier(&stranger.pubkey(), &drop, 1, tier("x", SOL, 1, 1));
    assert_tx_error(
        f.send(&[ix], &stranger, &[]).await,
        program_error(0, MicrodropError::DropAuthorityMismatch),
    );
    let ix = instructions::update_tier(&stranger.pubkey(), &drop, 0, tier("x", SOL, 1, 1));
    assert_tx_error(
        f.send(&[ix], &stranger, &[]).await,
        program_error(0, MicrodropError::DropAuthorityMismatch),
    );

    let activate = instructions::set_drop_status(&creator.pubkey(), &drop, DropStatus::Active);
    f.send(&[activate], &creator, &[]).await.unwrap();
    assert_tx_error(
        add(&mut f, &creator, &drop, tier("b", SOL, 10, 1)).await,
        program_error(0, MicrodropError::DropNotEditable),
    );
    let ix = instructions::update_tier(&creator.pubkey(), &drop, 0, tier("a", 2 * SOL, 10, 1));
    assert_tx_error(
        f.send(&[ix], &creator, &[]).await,
        program_error(0, MicrodropError::DropNotEditable),
    );

    let pause = instructions::set_drop_status(&creator.pubkey(), &drop, DropStatus::Paused);
    f.send(&[pause], &creator, &[]).await.unwrap();
    add(&mut f, &creator, &drop, tier("b", SOL, 10, 1))
        .await
        .expect("paused is editable");
}

#[tokio::test]
async fn updating_keeps_sales_and_never_drops_below_them() {
    let mut f = Fixture::new().await;
    let (creator, drop) = draft_drop(&mut f, "update", 100).await;
    add(&mut f, &creator, &drop, tier("a", SOL / 10, 10, 5))
        .await
        .unwrap();
    let activate = instructions::set_drop_status(&creator.pubkey(), &drop, DropStatus::Active);
    f.send(&[activate], &creator, &[]).await.unwrap();
    f.warp_to(T0).await;
    let buyer = f.wallet(10 * SOL).await;
    mint(&mut f, &drop, 0, &buyer, 2).await.expect("mint 2");
    mint(&mut f, &drop, 0, &buyer, 1)
        .await
        .expect("mint 1 more");
    let pause = instructions::set_drop_status(&creator.pubkey(), &drop, DropStatus::Paused);
    f.send(&[pause], &creator, &[]).await.unwrap();

    let before: Tier = f.anchor_account(&pda::tier(&drop, 0).0).await;
    let ix = instructions::update_tier(&creator.pubkey(), &drop, 0, tier("a", SOL / 10, 2, 5));
    assert_tx_error(
        f.send(&[ix], &creator, &[]).await,
        program_error(0, MicrodropError::TierSupplyBelowMinted),
    );
    let ix = instructions::update_tier(&creator.pubkey(), &drop, 0, tier("a", SOL / 10, 101, 5));
    assert_tx_error(
        f.send(&[ix], &creator, &[]).await,
        program_error(0, MicrodropError::TierSupplyExceedsDrop),
    );

    let new = TierConfig {
        end: T0 + 2 * 86_400,
        ..tier("a2", SOL / 5, 3, 4)
    };
    let ix = instructions::update_tier(&creator.pubkey(), &drop, 0, new.clone());
    let events = f
        .send_with_events(&[ix], &creator, &[])
        .await
        .expect("update to exactly sold");
    assert_eq!(
        events,
        vec![Event::TierUpdated(TierUpdated {
            drop,
            tier: pda::tier(&drop, 0).0,
            id: 0,
            old: before.config(),
            new: new.clone(),
            timestamp: T0,
        })]
    );
    let after: Tier = f.anchor_account(&pda::tier(&drop, 0).0).await;
    assert_eq!(after.config(), new);
    assert_eq!(after.minted, 3);
    let state: Drop = f.anchor_account(&drop).await;
    assert_eq!(state.tier_supply_total, 3);
}

#[tokio::test]
async fn a_tier_of_another_drop_cannot_be_updated_through_this_one() {
    let mut f = Fixture::new().await;
    let (creator, drop) = draft_drop(&mut f, "mine", 100).await;
    let (other_creator, other) = draft_drop(&mut f, "theirs", 100).await;
    add(&mut f, &other_creator, &other, tier("theirs", SOL, 10, 1))
        .await
        .unwrap();
    let mut ix = instructions::update_tier(&creator.pubkey(), &drop, 0, tier("x", SOL, 1, 1));
    ix.accounts[2].pubkey = pda::tier(&other, 0).0;
    assert_tx_error(
        f.send(&[ix], &creator, &[]).await,
        anchor_error(0, AnchorErrorCode::ConstraintSeeds),
    );
    let theirs: Tier = f.anchor_account(&pda::tier(&other, 0).0).await;
    assert_eq!(theirs.label, "theirs");
}
