//! Burn-for-benefit: `add_benefit`, `redeem` and `fulfill`, and every refusal.

use anchor_spl::metadata::mpl_token_metadata::types::CollectionDetails;
use microdrop::{
    errors::MicrodropError,
    events::{BenefitAdded, Fulfilled, Redeemed},
    state::{Benefit, BenefitConfig, Drop, DropStatus, Redemption, RedemptionStatus, TierConfig},
};
use microdrop_sdk::{accounts, events::Event, instructions, pda, Keypair, Pubkey, Signer};
use microdrop_tests::{assert_tx_error, program_error, Fixture, SOL};

const TM: microdrop::state::ItemStandard = microdrop::state::ItemStandard::TokenMetadata;

use crate::{
    mint::unverified_item,
    support::{launch, mint, perk, tier, TestDrop, DAY, T0},
};

/// A drop with a "vip" tier (id 0) and a "public" tier (id 1), open at `T0`.
async fn drop_with_tiers(f: &mut Fixture, id: &str) -> TestDrop {
    let vip = tier("vip", SOL / 100, 10, 10);
    let public = TierConfig {
        ..tier("public", SOL / 100, 10, 10)
    };
    let d = launch(f, id, 20, None, vec![vip, public]).await;
    f.warp_to(T0).await;
    d
}

async fn add(
    f: &mut Fixture,
    d: &TestDrop,
    config: BenefitConfig,
) -> Result<(), solana_transaction_error::TransactionError> {
    let state: Drop = f.anchor_account(&d.address).await;
    let ix =
        instructions::add_benefit(&d.creator.pubkey(), &d.address, state.benefit_count, config);
    f.send(&[ix], &d.creator, &[]).await
}

async fn redeem_ixs(
    f: &mut Fixture,
    d: &TestDrop,
    holder: &Pubkey,
    benefit_id: u8,
    indexes: &[u64],
) -> Vec<microdrop_sdk::Instruction> {
    let benefit: Benefit = f
        .anchor_account(&pda::benefit(&d.address, benefit_id).0)
        .await;
    let state: microdrop::state::Drop = f.anchor_account(&d.address).await;
    vec![
        instructions::compute_unit_limit(1_400_000),
        instructions::redeem(
            holder,
            &d.address,
            state.standard,
            &d.collection_mint,
            benefit_id,
            benefit.redeemed,
            indexes,
        ),
    ]
}

async fn refused(
    f: &mut Fixture,
    d: &TestDrop,
    holder: &Keypair,
    ixs: Vec<microdrop_sdk::Instruction>,
    expected: MicrodropError,
) {
    let before_drop: Drop = f.anchor_account(&d.address).await;
    let before_balance = f.balance(&holder.pubkey()).await;
    assert_tx_error(f.send(&ixs, holder, &[]).await, program_error(1, expected));
    let after_drop: Drop = f.anchor_account(&d.address).await;
    assert_eq!(after_drop.burned, before_drop.burned, "{expected:?}");
    assert_eq!(
        f.balance(&holder.pubkey()).await,
        before_balance,
        "{expected:?}"
    );
}

#[tokio::test]
async fn benefits_are_configured_by_the_authority_within_limits() {
    use MicrodropError::*;
    let mut f = Fixture::new().await;
    let d = drop_with_tiers(&mut f, "perks").await;
    let config = BenefitConfig {
        start: Some(T0),
        end: Some(T0 + DAY),
        tier_mask: 0b01,
        ..perk("print", 2, 5)
    };
    let ix = instructions::add_benefit(&d.creator.pubkey(), &d.address, 0, config.clone());
    let events = f
        .send_with_events(&[ix], &d.creator, &[])
        .await
        .expect("add");
    assert_eq!(
        events,
        vec![Event::BenefitAdded(BenefitAdded {
            drop: d.address,
            benefit: pda::benefit(&d.address, 0).0,
            id: 0,
            config: config.clone(),
            timestamp: T0
        })]
    );
    let stored: Benefit = f.anchor_account(&pda::benefit(&d.address, 0).0).await;
    assert_eq!(
        (stored.config(), stored.redeemed, stored.id),
        (config, 0, 0)
    );

    type Mutation = Box<dyn Fn(&mut BenefitConfig)>;
    let cases: Vec<(Mutation, MicrodropError)> = vec![
        (Box::new(|b| b.label = String::new()), BenefitLabelInvalid),
        (Box::new(|b| b.burn = 0), BenefitBurnInvalid),
        (Box::new(|b| b.burn = 5), BenefitBurnInvalid),
        (Box::new(|b| b.supply = 0), BenefitSupplyZero),
        (
            Box::new(|b| {
                b.start = Some(T0);
                b.end = Some(T0)
            }),
            BenefitWindowInvalid,
        ),
        (Box::new(|b| b.tier_mask = 0b100), BenefitTierUnknown),
    ];
    for (mutate, expected) in cases {
        let mut config = perk("x", 1, 1);
        mutate(&mut config);
        assert_tx_error(add(&mut f, &d, config).await, program_error(0, expected));
    }
    let stranger = f.wallet(SOL).await;
    let ix = instructions::add_benefit(&stranger.pubkey(), &d.address, 1, perk("x", 1, 1));
    assert_tx_error(
        f.send(&[ix], &stranger, &[]).await,
        program_error(0, DropAuthorityMismatch),
    );
    for i in 1..8 {
        add(&mut f, &d, perk(&format!("p{i}"), 1, 1)).await.unwrap();
    }
    assert_tx_error(
        add(&mut f, &d, perk("p8", 1, 1)).await,
        program_error(0, DropBenefitLimitReached),
    );
}

#[tokio::test]
async fn a_redemption_burns_the_items_returns_their_rent_and_writes_a_receipt() {
    let mut f = Fixture::new().await;
    let d = drop_with_tiers(&mut f, "redeem").await;
    add(&mut f, &d, perk("backstage", 2, 3)).await.unwrap();
    let holder = f.wallet(SOL).await;
    mint(&mut f, &d.address, 0, &holder, 2).await.unwrap();
    let items: Vec<Pubkey> = (1..=2).map(|i| pda::item_mint(&d.address, i).0).collect();
    let mut item_rent = 0;
    for item in &items {
        for account in [
            pda::associated_token(&holder.pubkey(), item).0,
            pda::metadata(item).0,
            pda::master_edition(item).0,
        ] {
            item_rent += f.balance(&account).await;
        }
    }
    let before = f.balance(&holder.pubkey()).await;
    f.warp_to(T0 + 60).await;

    let ixs = redeem_ixs(&mut f, &d, &holder.pubkey(), 0, &[1, 2]).await;
    let events = f
        .send_with_events(&ixs, &holder, &[])
        .await
        .expect("redeem");
    let benefit_address = pda::benefit(&d.address, 0).0;
    let receipt_address = pda::redemption(&benefit_address, 0).0;
    assert_eq!(
        events,
        vec![Event::Redeemed(Redeemed {
            drop: d.address,
            benefit: benefit_address,
            benefit_id: 0,
            redemption: receipt_address,
            holder: holder.pubkey(),
            burned: items.clone(),
            timestamp: T0 + 60,
        })]
    );
    // The items are gone and their rent is back with the holder, less the receipt's rent,
    // the fee, and Token Metadata's 0.01 SOL protocol fee per item, which it keeps in the
    // emptied (1-byte, uninitialized) metadata account for Metaplex to collect.
    let protocol_fee = microdrop_sdk::TOKEN_METADATA_CREATE_FEE;
    for item in &items {
        let metadata = f.account(&pda::metadata(item).0).await.unwrap();
        assert_eq!(
            (metadata.lamports, metadata.data.as_slice()),
            (protocol_fee, &[0u8][..])
        );
        assert!(f.account(&pda::master_edition(item).0).await.is_none());
        assert!(f
            .account(&pda::associated_token(&holder.pubkey(), item).0)
            .await
            .is_none());
        let mint: anchor_spl::token::Mint = f.anchor_account(item).await;
        assert_eq!(mint.supply, 0, "the token was burned");
    }
    let receipt_rent = f.balance(&receipt_address).await;
    assert_eq!(
        f.balance(&holder.pubkey()).await,
        before + item_rent - 2 * protocol_fee - receipt_rent - 5_000
    );

    let receipt: Redemption = f.anchor_account(&receipt_address).await;
    assert_eq!(
        (
            receipt.drop,
            receipt.benefit,
            receipt.holder,
            receipt.index,
            receipt.burned.clone(),
            receipt.redeemed_at,
            receipt.status
        ),
        (
            d.address,
            benefit_address,
            holder.pubkey(),
            0,
            items,
            T0 + 60,
            RedemptionStatus::Pending
        )
    );
    let drop: Drop = f.anchor_account(&d.address).await;
    let benefit: Benefit = f.anchor_account(&benefit_address).await;
    assert_eq!((drop.minted, drop.burned, benefit.redeemed), (2, 2, 1));
    let collection = f
        .account(&pda::metadata(&d.collection_mint).0)
        .await
        .unwrap();
    let collection = accounts::decode_metadata(&collection.data).unwrap();
    assert_eq!(
        collection.collection_details,
        Some(CollectionDetails::V1 { size: 0 })
    );
}

#[tokio::test]
async fn redemptions_refuse_foreign_unverified_unowned_and_burned_items() {
    let mut f = Fixture::new().await;
    let d = drop_with_tiers(&mut f, "strict").await;
    let other = launch(
        &mut f,
        "elsewhere",
        10,
        None,
        vec![tier("o", SOL / 100, 10, 10)],
    )
    .await;
    add(&mut f, &d, perk("one", 1, 10)).await.unwrap();
    let holder = f.wallet(2 * SOL).await;
    let stranger = f.wallet(2 * SOL).await;
    mint(&mut f, &d.address, 0, &holder, 2).await.unwrap();
    mint(&mut f, &other.address, 0, &holder, 1).await.unwrap();

    // An item of another drop's collection, passed as if it were item 1 of this one.
    let mut ixs = redeem_ixs(&mut f, &d, &holder.pubkey(), 0, &[1]).await;
    let foreign = instructions::item_accounts(TM, &other.address, &holder.pubkey(), 1);
    let n = ixs[1].accounts.len();
    for (slot, key) in foreign.into_iter().enumerate() {
        ixs[1].accounts[n - 4 + slot].pubkey = key;
    }
    refused(
        &mut f,
        &d,
        &holder,
        ixs,
        MicrodropError::RedeemWrongCollection,
    )
    .await;

    // An NFT that names this collection without being verified into it.
    let fake = unverified_item(&mut f, &holder, &d.collection_mint).await;
    let mut ixs = redeem_ixs(&mut f, &d, &holder.pubkey(), 0, &[1]).await;
    let accounts = [
        fake,
        pda::associated_token(&holder.pubkey(), &fake).0,
        pda::metadata(&fake).0,
        pda::master_edition(&fake).0,
    ];
    for (slot, key) in accounts.into_iter().enumerate() {
        ixs[1].accounts[n - 4 + slot].pubkey = key;
    }
    refused(
        &mut f,
        &d,
        &holder,
        ixs,
        MicrodropError::RedeemUnverifiedCollection,
    )
    .await;

    // Someone else's item: the stranger signs with the holder's token account.
    let mut ixs = redeem_ixs(&mut f, &d, &stranger.pubkey(), 0, &[1]).await;
    let holders = instructions::item_accounts(TM, &d.address, &holder.pubkey(), 1);
    ixs[1].accounts[n - 3].pubkey = holders[1];
    refused(&mut f, &d, &stranger, ixs, MicrodropError::RedeemNotOwner).await;

    // Redeem item 1, then try to use it again.
    let ixs = redeem_ixs(&mut f, &d, &holder.pubkey(), 0, &[1]).await;
    f.send(&ixs, &holder, &[]).await.expect("first use");
    let ixs = redeem_ixs(&mut f, &d, &holder.pubkey(), 0, &[1]).await;
    refused(&mut f, &d, &holder, ixs, MicrodropError::RedeemItemInvalid).await;

    // The wrong number of items.
    let ixs = redeem_ixs(&mut f, &d, &holder.pubkey(), 0, &[]).await;
    refused(
        &mut f,
        &d,
        &holder,
        ixs,
        MicrodropError::RedeemWrongItemCount,
    )
    .await;
    let state: Drop = f.anchor_account(&d.address).await;
    assert_eq!(state.burned, 1);
}

#[tokio::test]
async fn a_benefit_respects_its_window_supply_and_tiers() {
    let mut f = Fixture::new().await;
    let d = drop_with_tiers(&mut f, "window").await;
    let windowed = BenefitConfig {
        start: Some(T0 + 100),
        end: Some(T0 + 200),
        ..perk("seat", 1, 2)
    };
    add(&mut f, &d, windowed).await.unwrap();
    add(
        &mut f,
        &d,
        BenefitConfig {
            tier_mask: 0b01,
            ..perk("vip-only", 1, 5)
        },
    )
    .await
    .unwrap();
    let holder = f.wallet(2 * SOL).await;
    mint(&mut f, &d.address, 0, &holder, 2).await.unwrap(); // items 1-3: vip
    mint(&mut f, &d.address, 0, &holder, 1).await.unwrap();
    mint(&mut f, &d.address, 1, &holder, 1).await.unwrap(); // item 4: public

    f.warp_to(T0 + 99).await;
    let ixs = redeem_ixs(&mut f, &d, &holder.pubkey(), 0, &[1]).await;
    refused(&mut f, &d, &holder, ixs, MicrodropError::BenefitNotOpen).await;
    f.warp_to(T0 + 100).await;
    let ixs = redeem_ixs(&mut f, &d, &holder.pubkey(), 0, &[1]).await;
    f.send(&ixs, &holder, &[]).await.expect("opens at start");
    f.warp_to(T0 + 199).await;
    let ixs = redeem_ixs(&mut f, &d, &holder.pubkey(), 0, &[2]).await;
    f.send(&ixs, &holder, &[])
        .await
        .expect("the last redemption, the last second");
    let ixs = redeem_ixs(&mut f, &d, &holder.pubkey(), 0, &[3]).await;
    refused(&mut f, &d, &holder, ixs, MicrodropError::BenefitExhausted).await;
    f.warp_to(T0 + 200).await;
    let ixs = redeem_ixs(&mut f, &d, &holder.pubkey(), 0, &[3]).await;
    refused(&mut f, &d, &holder, ixs, MicrodropError::BenefitNotOpen).await;

    // Only vip items qualify for the second benefit.
    let ixs = redeem_ixs(&mut f, &d, &holder.pubkey(), 1, &[4]).await;
    refused(
        &mut f,
        &d,
        &holder,
        ixs,
        MicrodropError::BenefitTierNotEligible,
    )
    .await;
    let ixs = redeem_ixs(&mut f, &d, &holder.pubkey(), 1, &[3]).await;
    f.send(&ixs, &holder, &[]).await.expect("a vip item");
}

#[tokio::test]
async fn the_creator_fulfils_each_redemption_once() {
    let mut f = Fixture::new().await;
    let d = drop_with_tiers(&mut f, "fulfil").await;
    let other = drop_with_tiers(&mut f, "fulfil-other").await;
    add(&mut f, &d, perk("print", 1, 5)).await.unwrap();
    add(&mut f, &other, perk("print", 1, 5)).await.unwrap();
    let holder = f.wallet(2 * SOL).await;
    mint(&mut f, &d.address, 0, &holder, 1).await.unwrap();
    mint(&mut f, &other.address, 0, &holder, 1).await.unwrap();
    let ixs = redeem_ixs(&mut f, &d, &holder.pubkey(), 0, &[1]).await;
    f.send(&ixs, &holder, &[]).await.unwrap();
    let ixs = redeem_ixs(&mut f, &other, &holder.pubkey(), 0, &[1]).await;
    f.send(&ixs, &holder, &[]).await.unwrap();
    let receipt = pda::redemption(&pda::benefit(&d.address, 0).0, 0).0;
    let foreign = pda::redemption(&pda::benefit(&other.address, 0).0, 0).0;
    let reference = [42u8; 32];

    let ix = instructions::fulfill(&holder.pubkey(), &d.address, &receipt, reference);
    assert_tx_error(
        f.send(&[ix], &holder, &[]).await,
        program_error(0, MicrodropError::DropAuthorityMismatch),
    );
    let ix = instructions::fulfill(&d.creator.pubkey(), &d.address, &foreign, reference);
    assert_tx_error(
        f.send(&[ix], &d.creator, &[]).await,
        program_error(0, MicrodropError::RedemptionWrongDrop),
    );

    f.warp_to(T0 + 500).await;
    let ix = instructions::fulfill(&d.creator.pubkey(), &d.address, &receipt, reference);
    let events = f
        .send_with_events(&[ix], &d.creator, &[])
        .await
        .expect("fulfil");
    assert_eq!(
        events,
        vec![Event::Fulfilled(Fulfilled {
            drop: d.address,
            redemption: receipt,
            reference,
            timestamp: T0 + 500
        })]
    );
    let stored: Redemption = f.anchor_account(&receipt).await;
    assert_eq!(
        (stored.status, stored.reference, stored.fulfilled_at),
        (RedemptionStatus::Fulfilled, reference, T0 + 500)
    );
    let ix = instructions::fulfill(&d.creator.pubkey(), &d.address, &receipt, [1; 32]);
    assert_tx_error(
        f.send(&[ix], &d.creator, &[]).await,
        program_error(0, MicrodropError::RedemptionAlreadyFulfilled),
    );
    let stored: Redemption = f.anchor_account(&receipt).await;
    assert_eq!(stored.reference, reference, "the first reference stays");
    // A closed drop's creator still fulfils; benefits cannot be added any more.
    let ix = instructions::set_drop_status(&d.creator.pubkey(), &d.address, DropStatus::Closed);
    f.send(&[ix], &d.creator, &[]).await.unwrap();
    assert_tx_error(
        add(&mut f, &d, perk("late", 1, 1)).await,
        program_error(0, MicrodropError::DropClosed),
    );
}
