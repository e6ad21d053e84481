//! `mint`: real NFTs into the drop's verified collection, and every rule at its boundary.
//! Each refusal asserts the exact error and that nothing changed (counters, balances).

use anchor_lang::error::ErrorCode as AnchorErrorCode;
use anchor_spl::metadata::mpl_token_metadata::{
    self,
    instructions::{CreateMetadataAccountV3, CreateMetadataAccountV3InstructionArgs},
    types::{Collection, CollectionDetails, Creator, DataV2},
};
use microdrop::{
    errors::MicrodropError,
    events::ItemsMinted,
    state::{Drop, DropStatus, Tier, TierConfig, WalletRecord},
};
use microdrop_sdk::{
    accounts,
    events::Event,
    instructions::{self, MintRequest},
    pda, Instruction, Keypair, Pubkey, Signer,
};
use microdrop_tests::{anchor_error, assert_tx_error, program_error, Fixture, SOL};

use crate::{
    create_drop::create_mint,
    support::{
        allow_list, fund_tokens, launch, launch_as, mint, mint_ixs, snapshot, tier, DAY, T0,
    },
};

const PRICE: u64 = SOL / 10;

/// Asserts a refused mint changed nothing.
async fn refused(
    f: &mut Fixture,
    drop: &Pubkey,
    buyer: &Keypair,
    ixs: Vec<Instruction>,
    expected: MicrodropError,
) {
    let before = snapshot(f, drop, &buyer.pubkey()).await;
    assert_tx_error(f.send(&ixs, buyer, &[]).await, program_error(1, expected));
    assert_eq!(
        snapshot(f, drop, &buyer.pubkey()).await,
        before,
        "{expected:?}"
    );
}

async fn refused_mint(
    f: &mut Fixture,
    drop: &Pubkey,
    tier_id: u8,
    buyer: &Keypair,
    quantity: u8,
    expected: MicrodropError,
) {
    let ixs = mint_ixs(f, drop, tier_id, &buyer.pubkey(), quantity, None).await;
    refused(f, drop, buyer, ixs, expected).await;
}

#[tokio::test]
async fn mints_a_real_nft_into_the_verified_collection() {
    let mut f = Fixture::new().await;
    let d = launch(
        &mut f,
        "items",
        10,
        None,
        vec![tier("public", PRICE, 10, 5)],
    )
    .await;
    f.warp_to(T0).await;
    let buyer = f.wallet(SOL).await;
    let vault = pda::vault(&d.address).0;
    let vault_before = f.balance(&vault).await;

    let ixs = mint_ixs(&mut f, &d.address, 0, &buyer.pubkey(), 1, None).await;
    let events = f.send_with_events(&ixs, &buyer, &[]).await.expect("mint");
    let item = pda::item_mint(&d.address, 1).0;
    assert_eq!(
        events,
        vec![Event::ItemsMinted(ItemsMinted {
            drop: d.address,
            tier: pda::tier(&d.address, 0).0,
            tier_id: 0,
            buyer: buyer.pubkey(),
            mints: vec![item],
            first_index: 1,
            paid: PRICE,
            timestamp: T0,
        })]
    );

    // The item as wallets see it.
    let metadata = f.account(&pda::metadata(&item).0).await.unwrap();
    let metadata = accounts::decode_metadata(&metadata.data).unwrap();
    assert_eq!(metadata.name, "Spring Zine #1");
    assert_eq!(metadata.symbol, "ZINE");
    assert_eq!(metadata.uri, "https://example.com/zine/1.json");
    assert_eq!(metadata.seller_fee_basis_points, 500);
    assert_eq!(metadata.update_authority, d.address);
    assert_eq!(
        metadata.creators,
        Some(vec![
            Creator {
                address: d.address,
                verified: true,
                share: 0
            },
            Creator {
                address: vault,
                verified: false,
                share: 100
            },
        ])
    );
    assert_eq!(
        metadata.collection,
        Some(Collection {
            verified: true,
            key: d.collection_mint
        })
    );
    let edition = f.account(&pda::master_edition(&item).0).await.unwrap();
    assert_eq!(
        accounts::decode_master_edition(&edition.data)
            .unwrap()
            .max_supply,
        Some(0)
    );
    let token: anchor_spl::token::TokenAccount = f
        .anchor_account(&pda::associated_token(&buyer.pubkey(), &item).0)
        .await;
    assert_eq!(
        (token.owner, token.mint, token.amount),
        (buyer.pubkey(), item, 1)
    );
    let mint_account: anchor_spl::token::Mint = f.anchor_account(&item).await;
    assert_eq!((mint_account.supply, mint_account.decimals), (1, 0));
    let collection = f
        .account(&pda::metadata(&d.collection_mint).0)
        .await
        .unwrap();
    let collection = accounts::decode_metadata(&collection.data).unwrap();
    assert_eq!(
        collection.collection_details,
        Some(CollectionDetails::V1 { size: 1 })
    );

    // Money and counters.
    assert_eq!(f.balance(&vault).await, vault_before + PRICE);
    let tier: Tier = f.anchor_account(&pda::tier(&d.address, 0).0).await;
    let drop: Drop = f.anchor_account(&d.address).await;
    assert_eq!((tier.minted, drop.minted), (1, 1));
    let record_address = pda::wallet_record(&pda::tier(&d.address, 0).0, &buyer.pubkey());
    let record: WalletRecord = f.anchor_account(&record_address.0).await;
    assert_eq!((record.minted, record.bump), (1, record_address.1));
    // Only what the program reads: the tier and the wallet are the record's seeds.
    assert_eq!(
        f.account(&record_address.0).await.unwrap().data.len(),
        8 + 4 + 1
    );
}

#[tokio::test]
async fn mints_several_items_in_one_transaction() {
    let mut f = Fixture::new().await;
    let d = launch(
        &mut f,
        "several",
        10,
        None,
        vec![tier("public", PRICE, 10, 5)],
    )
    .await;
    f.warp_to(T0).await;
    let buyer = f.wallet(SOL).await;
    let vault = pda::vault(&d.address).0;
    let vault_before = f.balance(&vault).await;
    let most = microdrop::constants::MAX_ITEMS_PER_MINT;
    refused_mint(
        &mut f,
        &d.address,
        0,
        &buyer,
        most + 1,
        MicrodropError::MintQuantityTooLarge,
    )
    .await;
    refused_mint(
        &mut f,
        &d.address,
        0,
        &buyer,
        0,
        MicrodropError::MintQuantityZero,
    )
    .await;
    mint(&mut f, &d.address, 0, &buyer, most)
        .await
        .expect("the most items in one mint");
    for index in 1..=u64::from(most) {
        let item = pda::item_mint(&d.address, index).0;
        let metadata = f.account(&pda::metadata(&item).0).await.unwrap();
        let metadata = accounts::decode_metadata(&metadata.data).unwrap();
        assert_eq!(metadata.name, format!("Spring Zine #{index}"));
        assert!(metadata.collection.unwrap().verified);
    }
    assert_eq!(
        f.balance(&vault).await,
        vault_before + u64::from(most) * PRICE
    );
    // The next buyer continues the numbering.
    let second = f.wallet(SOL).await;
    mint(&mut f, &d.address, 0, &second, 1).await.unwrap();
    let token: anchor_spl::token::TokenAccount = f
        .anchor_account(
            &pda::associated_token(
                &second.pubkey(),
                &pda::item_mint(&d.address, u64::from(most) + 1).0,
            )
            .0,
        )
        .await;
    assert_eq!(token.amount, 1);
}

#[tokio::test]
async fn windows_open_and_close_on_the_second() {
    let mut f = Fixture::new().await;
    let early = TierConfig {
        start: T0 + 100,
        end: T0 + 200,
        ..tier("early", PRICE, 10, 10)
    };
    // A later tier that overlaps the first one's last second.
    let late = TierConfig {
        start: T0 + 199,
        end: T0 + DAY,
        ..tier("late", PRICE, 10, 10)
    };
    let d = launch(&mut f, "windows", 20, None, vec![early, late]).await;
    let buyer = f.wallet(5 * SOL).await;

    f.warp_to(T0 + 99).await;
    refused_mint(
        &mut f,
        &d.address,
        0,
        &buyer,
        1,
        MicrodropError::TierNotStarted,
    )
    .await;
    f.warp_to(T0 + 100).await;
    mint(&mut f, &d.address, 0, &buyer, 1)
        .await
        .expect("opens at start");
    refused_mint(
        &mut f,
        &d.address,
        1,
        &buyer,
        1,
        MicrodropError::TierNotStarted,
    )
    .await;
    f.warp_to(T0 + 199).await;
    mint(&mut f, &d.address, 0, &buyer, 1)
        .await
        .expect("open until the end");
    mint(&mut f, &d.address, 1, &buyer, 1)
        .await
        .expect("overlapping tier open too");
    f.warp_to(T0 + 200).await;
    refused_mint(&mut f, &d.address, 0, &buyer, 1, MicrodropError::TierEnded).await;
    mint(&mut f, &d.address, 1, &buyer, 1)
        .await
        .expect("the later tier goes on");
}

#[tokio::test]
async fn caps_hold_for_the_tier_and_the_drop() {
    let mut f = Fixture::new().await;
    let d = launch(
        &mut f,
        "caps",
        3,
        None,
        vec![tier("a", PRICE, 2, 10), tier("b", PRICE, 1, 10)],
    )
    .await;
    f.warp_to(T0).await;
    let buyer = f.wallet(5 * SOL).await;
    mint(&mut f, &d.address, 0, &buyer, 1)
        .await
        .expect("the tier's first item");
    refused_mint(
        &mut f,
        &d.address,
        0,
        &buyer,
        2,
        MicrodropError::TierSoldOut,
    )
    .await;
    mint(&mut f, &d.address, 0, &buyer, 1)
        .await
        .expect("the tier's last item");
    refused_mint(
        &mut f,
        &d.address,
        0,
        &buyer,
        1,
        MicrodropError::TierSoldOut,
    )
    .await;
    mint(&mut f, &d.address, 1, &buyer, 1)
        .await
        .expect("the drop's last item");
    refused_mint(
        &mut f,
        &d.address,
        0,
        &buyer,
        1,
        MicrodropError::DropSoldOut,
    )
    .await;
    refused_mint(
        &mut f,
        &d.address,
        1,
        &buyer,
        1,
        MicrodropError::DropSoldOut,
    )
    .await;
    let drop: Drop = f.anchor_account(&d.address).await;
    assert_eq!(drop.minted, drop.supply);
}

#[tokio::test]
async fn the_wallet_limit_is_exact() {
    let mut f = Fixture::new().await;
    let d = launch(&mut f, "limit", 10, None, vec![tier("a", PRICE, 10, 2)]).await;
    f.warp_to(T0).await;
    let buyer = f.wallet(5 * SOL).await;
    mint(&mut f, &d.address, 0, &buyer, 1).await.unwrap();
    refused_mint(
        &mut f,
        &d.address,
        0,
        &buyer,
        2,
        MicrodropError::WalletLimitReached,
    )
    .await;
    mint(&mut f, &d.address, 0, &buyer, 1)
        .await
        .expect("exactly at the limit");
    refused_mint(
        &mut f,
        &d.address,
        0,
        &buyer,
        1,
        MicrodropError::WalletLimitReached,
    )
    .await;
    let other = f.wallet(5 * SOL).await;
    mint(&mut f, &d.address, 0, &other, 2)
        .await
        .expect("limits are per wallet");
}

#[tokio::test]
async fn allowances_replace_the_tier_limit() {
    let mut f = Fixture::new().await;
    let creator = f.wallet(100 * SOL).await;
    let drop = pda::drop(&creator.pubkey(), "listed").0;
    let (big, small, outsider) = (
        f.wallet(5 * SOL).await,
        f.wallet(5 * SOL).await,
        f.wallet(5 * SOL).await,
    );
    let list = allow_list(&drop, 0, &[(big.pubkey(), 3), (small.pubkey(), 1)]);
    let presale = TierConfig {
        allowlist_root: Some(list.root()),
        ..tier("presale", PRICE, 10, 2)
    };
    launch_as(&mut f, creator, "listed", 10, None, vec![presale]).await;
    f.warp_to(T0).await;

    let proof = list.proof(&big.pubkey());
    let ixs = mint_ixs(&mut f, &drop, 0, &big.pubkey(), 2, proof.clone()).await;
    f.send(&ixs, &big, &[]).await.expect("up to the tier limit");
    let ixs = mint_ixs(&mut f, &drop, 0, &big.pubkey(), 1, proof.clone()).await;
    f.send(&ixs, &big, &[])
        .await
        .expect("an allowance above the tier limit");
    let ixs = mint_ixs(&mut f, &drop, 0, &big.pubkey(), 1, proof).await;
    refused(&mut f, &drop, &big, ixs, MicrodropError::WalletLimitReached).await;

    let proof = list.proof(&small.pubkey());
    let ixs = mint_ixs(&mut f, &drop, 0, &small.pubkey(), 2, proof.clone()).await;
    refused(
        &mut f,
        &drop,
        &small,
        ixs,
        MicrodropError::WalletLimitReached,
    )
    .await;
    let ixs = mint_ixs(&mut f, &drop, 0, &small.pubkey(), 1, proof).await;
    f.send(&ixs, &small, &[])
        .await
        .expect("an allowance below the tier limit");

    let ixs = mint_ixs(&mut f, &drop, 0, &outsider.pubkey(), 1, None).await;
    refused(
        &mut f,
        &drop,
        &outsider,
        ixs,
        MicrodropError::AllowListProofInvalid,
    )
    .await;
}

#[tokio::test]
async fn proofs_are_bound_to_wallet_tier_drop_and_allowance() {
    let mut f = Fixture::new().await;
    let creator = f.wallet(100 * SOL).await;
    let drop = pda::drop(&creator.pubkey(), "bound").0;
    let (alice, mallory) = (f.wallet(5 * SOL).await, f.wallet(5 * SOL).await);
    let entries = [
        (alice.pubkey(), 1),
        (Pubkey::new_unique(), 1),
        (Pubkey::new_unique(), 2),
    ];
    let tier0 = allow_list(&drop, 0, &entries);
    let tier1 = allow_list(&drop, 1, &entries);
    let elsewhere = allow_list(&Pubkey::new_unique(), 0, &entries);
    let tiers = vec![
        TierConfig {
            allowlist_root: Some(tier0.root()),
            ..tier("t0", PRICE, 5, 5)
        },
        TierConfig {
            allowlist_root: Some(tier1.root()),
            ..tier("t1", PRICE, 5, 5)
        },
    ];
    launch_as(&mut f, creator, "bound", 10, None, tiers).await;
    f.warp_to(T0).await;

    let cases = [
        (
            "another wallet's proof",
            &mallory,
            tier0.proof(&alice.pubkey()),
        ),
        ("another tier's proof", &alice, tier1.proof(&alice.pubkey())),
        (
            "another drop's proof",
            &alice,
            elsewhere.proof(&alice.pubkey()),
        ),
        (
            "a raised allowance",
            &alice,
            tier0.proof(&alice.pubkey()).map(|(_, p)| (5, p)),
        ),
        ("no proof", &alice, None),
    ];
    for (what, buyer, proof) in cases {
        let ixs = mint_ixs(&mut f, &drop, 0, &buyer.pubkey(), 1, proof).await;
        let before = snapshot(&mut f, &drop, &buyer.pubkey()).await;
        assert_eq!(
            f.send(&ixs, buyer, &[]).await,
            Err(program_error(1, MicrodropError::AllowListProofInvalid)),
            "{what}"
        );
        assert_eq!(
            snapshot(&mut f, &drop, &buyer.pubkey()).await,
            before,
            "{what}"
        );
    }
    let ixs = mint_ixs(
        &mut f,
        &drop,
        0,
        &alice.pubkey(),
        1,
        tier0.proof(&alice.pubkey()),
    )
    .await;
    f.send(&ixs, &alice, &[]).await.expect("the right proof");
}

#[tokio::test]
async fn pays_in_an_spl_token_into_the_vault() {
    let mut f = Fixture::new().await;
    let treasurer = f.wallet(10 * SOL).await;
    let usdc = create_mint(&mut f, &treasurer).await;
    let d = launch(
        &mut f,
        "usdc",
        10,
        Some(usdc),
        vec![tier("a", 2_500_000, 10, 5)],
    )
    .await;
    f.warp_to(T0).await;
    let buyer = f.wallet(SOL).await;
    let buyer_usdc = fund_tokens(&mut f, &treasurer, &usdc, &buyer.pubkey(), 10_000_000).await;
    let vault_usdc = pda::associated_token(&pda::vault(&d.address).0, &usdc).0;

    mint(&mut f, &d.address, 0, &buyer, 2)
        .await
        .expect("pay 5 USDC");
    let vault_token: anchor_spl::token::TokenAccount = f.anchor_account(&vault_usdc).await;
    let buyer_token: anchor_spl::token::TokenAccount = f.anchor_account(&buyer_usdc).await;
    assert_eq!(
        (vault_token.amount, buyer_token.amount),
        (5_000_000, 5_000_000)
    );

    // Paying into another token account than the vault's is refused.
    let thief = f.wallet(SOL).await;
    let thief_usdc = fund_tokens(&mut f, &treasurer, &usdc, &thief.pubkey(), 0).await;
    let mut ixs = mint_ixs(&mut f, &d.address, 0, &buyer.pubkey(), 1, None).await;
    let slot = ixs[1]
        .accounts
        .iter()
        .position(|m| m.pubkey == vault_usdc)
        .unwrap();
    ixs[1].accounts[slot].pubkey = thief_usdc;
    refused(
        &mut f,
        &d.address,
        &buyer,
        ixs,
        MicrodropError::PaymentAccountInvalid,
    )
    .await;
    // Paying from someone else's token account is refused too.
    let mut ixs = mint_ixs(&mut f, &d.address, 0, &buyer.pubkey(), 1, None).await;
    let slot = ixs[1]
        .accounts
        .iter()
        .position(|m| m.pubkey == buyer_usdc)
        .unwrap();
    ixs[1].accounts[slot].pubkey = thief_usdc;
    refused(
        &mut f,
        &d.address,
        &buyer,
        ixs,
        MicrodropError::PaymentAccountInvalid,
    )
    .await;
    let vault_token: anchor_spl::token::TokenAccount = f.anchor_account(&vault_usdc).await;
    assert_eq!(vault_token.amount, 5_000_000);
}

#[tokio::test]
async fn proceeds_go_only_to_the_drops_vault() {
    let mut f = Fixture::new().await;
    let d = launch(&mut f, "vaulted", 10, None, vec![tier("a", PRICE, 10, 5)]).await;
    f.warp_to(T0).await;
    let buyer = f.wallet(SOL).await;
    let thief = f.wallet(SOL).await;
    let mut ixs = mint_ixs(&mut f, &d.address, 0, &buyer.pubkey(), 1, None).await;
    let vault = pda::vault(&d.address).0;
    let slot = ixs[1]
        .accounts
        .iter()
        .position(|m| m.pubkey == vault)
        .unwrap();
    ixs[1].accounts[slot].pubkey = thief.pubkey();
    let before = snapshot(&mut f, &d.address, &buyer.pubkey()).await;
    assert_tx_error(
        f.send(&ixs, &buyer, &[]).await,
        anchor_error(1, AnchorErrorCode::ConstraintSeeds),
    );
    assert_eq!(snapshot(&mut f, &d.address, &buyer.pubkey()).await, before);
    assert_eq!(f.balance(&thief.pubkey()).await, SOL);
}

#[tokio::test]
async fn only_an_active_drop_sells() {
    let mut f = Fixture::new().await;
    let d = launch(&mut f, "states", 10, None, vec![tier("a", PRICE, 10, 5)]).await;
    f.warp_to(T0).await;
    let buyer = f.wallet(SOL).await;
    for status in [DropStatus::Paused, DropStatus::Closed] {
        let ix = instructions::set_drop_status(&d.creator.pubkey(), &d.address, status);
        f.send(&[ix], &d.creator, &[]).await.unwrap();
        refused_mint(
            &mut f,
            &d.address,
            0,
            &buyer,
            1,
            MicrodropError::DropNotActive,
        )
        .await;
    }
    // A drop still in draft does not sell either.
    let creator = f.wallet(20 * SOL).await;
    let draft = pda::drop(&creator.pubkey(), "draft").0;
    let create =
        instructions::create_drop(&creator.pubkey(), None, crate::support::drop_args("draft"));
    let add = instructions::add_tier(&creator.pubkey(), &draft, 0, tier("a", PRICE, 10, 5));
    f.send(&[create, add], &creator, &[]).await.unwrap();
    refused_mint(&mut f, &draft, 0, &buyer, 1, MicrodropError::DropNotActive).await;
}

#[tokio::test]
async fn item_accounts_must_be_the_next_items() {
    let mut f = Fixture::new().await;
    let d = launch(&mut f, "accounts", 10, None, vec![tier("a", PRICE, 10, 5)]).await;
    f.warp_to(T0).await;
    let buyer = f.wallet(SOL).await;

    let mut ixs = mint_ixs(&mut f, &d.address, 0, &buyer.pubkey(), 0, None).await;
    refused(
        &mut f,
        &d.address,
        &buyer,
        ixs.clone(),
        MicrodropError::MintQuantityZero,
    )
    .await;

    // Accounts of item 2 while item 1 is next.
    ixs = mint_ixs(&mut f, &d.address, 0, &buyer.pubkey(), 1, None).await;
    let n = ixs[1].accounts.len();
    for (slot, key) in instructions::item_accounts(
        microdrop::state::ItemStandard::TokenMetadata,
        &d.address,
        &buyer.pubkey(),
        2,
    )
    .into_iter()
    .enumerate()
    {
        ixs[1].accounts[n - 4 + slot].pubkey = key;
    }
    refused(
        &mut f,
        &d.address,
        &buyer,
        ixs,
        MicrodropError::ItemAccountsMismatch,
    )
    .await;

    // One account short, or another buyer's token account.
    let mut ixs = mint_ixs(&mut f, &d.address, 0, &buyer.pubkey(), 1, None).await;
    ixs[1].accounts.pop();
    refused(
        &mut f,
        &d.address,
        &buyer,
        ixs,
        MicrodropError::ItemAccountsMismatch,
    )
    .await;
    let mut ixs = mint_ixs(&mut f, &d.address, 0, &buyer.pubkey(), 1, None).await;
    let n = ixs[1].accounts.len();
    ixs[1].accounts[n - 3].pubkey =
        pda::associated_token(&Pubkey::new_unique(), &pda::item_mint(&d.address, 1).0).0;
    refused(
        &mut f,
        &d.address,
        &buyer,
        ixs,
        MicrodropError::ItemAccountsMismatch,
    )
    .await;
}

#[tokio::test]
async fn lamports_sent_to_the_next_item_address_do_not_block_minting() {
    let mut f = Fixture::new().await;
    let d = launch(&mut f, "griefed", 10, None, vec![tier("a", PRICE, 10, 5)]).await;
    f.warp_to(T0).await;
    // A griefer makes the next item's (predictable) address a funded system account.
    let rent_exempt_empty = f
        .context
        .banks_client
        .get_rent()
        .await
        .unwrap()
        .minimum_balance(0);
    f.transfer(&pda::item_mint(&d.address, 1).0, rent_exempt_empty)
        .await;
    let buyer = f.wallet(SOL).await;
    mint(&mut f, &d.address, 0, &buyer, 1)
        .await
        .expect("mint despite the pre-funded address");
    let mint_account: anchor_spl::token::Mint =
        f.anchor_account(&pda::item_mint(&d.address, 1).0).await;
    assert_eq!(mint_account.supply, 1);
}

/// A holder-gated tier: the buyer must hold a verified item of a previous drop.
#[tokio::test]
async fn a_holder_gate_checks_collection_verification_and_ownership() {
    let mut f = Fixture::new().await;
    let past = launch(&mut f, "season-1", 10, None, vec![tier("s1", PRICE, 10, 5)]).await;
    let other = launch(&mut f, "other", 10, None, vec![tier("o", PRICE, 10, 5)]).await;
    let gated = TierConfig {
        holder_of: Some(past.collection_mint),
        ..tier("pass", PRICE, 10, 5)
    };
    let next = launch(&mut f, "season-2", 10, None, vec![gated]).await;
    f.warp_to(T0).await;

    let holder = f.wallet(5 * SOL).await;
    mint(&mut f, &past.address, 0, &holder, 1).await.unwrap();
    mint(&mut f, &other.address, 0, &holder, 1).await.unwrap();
    let past_item = pda::item_mint(&past.address, 1).0;
    let other_item = pda::item_mint(&other.address, 1).0;
    let holding = |owner: &Pubkey, item: &Pubkey| {
        (pda::associated_token(owner, item).0, pda::metadata(item).0)
    };

    let request =
        |f_buyer: &Keypair, holder: Option<(Pubkey, Pubkey)>, first_index: u64| MintRequest {
            standard: microdrop::state::ItemStandard::TokenMetadata,
            soulbound: false,
            preorder: false,
            open: false,
            drop: next.address,
            collection_mint: next.collection_mint,
            currency: microdrop::state::Currency::Sol,
            tier_id: 0,
            buyer: f_buyer.pubkey(),
            first_index,
            quantity: 1,
            allowance: None,
            proof: vec![],
            holder,
            holder_record: None,
            voucher: None,
        };
    let send = |request: MintRequest| {
        vec![
            instructions::compute_unit_limit(1_400_000),
            instructions::mint(&request),
        ]
    };

    refused(
        &mut f,
        &next.address,
        &holder,
        send(request(&holder, None, 1)),
        MicrodropError::HolderProofMissing,
    )
    .await;
    refused(
        &mut f,
        &next.address,
        &holder,
        send(request(
            &holder,
            Some(holding(&holder.pubkey(), &other_item)),
            1,
        )),
        MicrodropError::HolderWrongCollection,
    )
    .await;
    // Someone else's item.
    let stranger = f.wallet(5 * SOL).await;
    refused(
        &mut f,
        &next.address,
        &stranger,
        send(request(
            &stranger,
            Some(holding(&holder.pubkey(), &past_item)),
            1,
        )),
        MicrodropError::HolderNotOwner,
    )
    .await;
    // Metadata of another item than the token held.
    refused(
        &mut f,
        &next.address,
        &holder,
        send(request(
            &holder,
            Some((
                holding(&holder.pubkey(), &past_item).0,
                pda::metadata(&other_item).0,
            )),
            1,
        )),
        MicrodropError::HolderItemInvalid,
    )
    .await;
    // An item claiming the collection without being verified into it.
    let fake = unverified_item(&mut f, &stranger, &past.collection_mint).await;
    refused(
        &mut f,
        &next.address,
        &stranger,
        send(request(
            &stranger,
            Some(holding(&stranger.pubkey(), &fake)),
            1,
        )),
        MicrodropError::HolderCollectionUnverified,
    )
    .await;

    f.send(
        &send(request(
            &holder,
            Some(holding(&holder.pubkey(), &past_item)),
            1,
        )),
        &holder,
        &[],
    )
    .await
    .expect("a holder of season 1 mints season 2");
}

/// An NFT whose metadata names `collection` but is not verified into it.
pub async fn unverified_item(f: &mut Fixture, owner: &Keypair, collection: &Pubkey) -> Pubkey {
    let mint = create_mint(f, owner).await;
    // create_mint makes 6 decimals; any token with metadata will do for the gate's checks.
    fund_tokens(f, owner, &mint, &owner.pubkey(), 1).await;
    let ix = CreateMetadataAccountV3 {
        metadata: pda::metadata(&mint).0,
        mint,
        mint_authority: owner.pubkey(),
        payer: owner.pubkey(),
        update_authority: (owner.pubkey(), true),
        system_program: microdrop_sdk::SYSTEM_PROGRAM_ID,
        rent: None,
    }
    .instruction(CreateMetadataAccountV3InstructionArgs {
        data: DataV2 {
            name: "Fake".into(),
            symbol: "FAKE".into(),
            uri: "https://example.com/fake.json".into(),
            seller_fee_basis_points: 0,
            creators: None,
            collection: Some(Collection {
                verified: false,
                key: *collection,
            }),
            uses: None,
        },
        is_mutable: true,
        collection_details: None,
    });
    assert_eq!(ix.program_id, mpl_token_metadata::ID);
    f.send(&[ix], owner, &[]).await.expect("fake metadata");
    mint
}

#[tokio::test]
async fn wallet_records_close_only_after_the_drop_closes() {
    let mut f = Fixture::new().await;
    let d = launch(&mut f, "records", 10, None, vec![tier("a", PRICE, 10, 5)]).await;
    f.warp_to(T0).await;
    let buyer = f.wallet(SOL).await;
    let other = f.wallet(SOL).await;
    mint(&mut f, &d.address, 0, &buyer, 1).await.unwrap();
    mint(&mut f, &d.address, 0, &other, 1).await.unwrap();
    let record = pda::wallet_record(&pda::tier(&d.address, 0).0, &buyer.pubkey()).0;

    let close = instructions::close_wallet_record(&buyer.pubkey(), &d.address, 0);
    assert_tx_error(
        f.send(std::slice::from_ref(&close), &buyer, &[]).await,
        program_error(0, MicrodropError::DropNotClosed),
    );
    let ix = instructions::set_drop_status(&d.creator.pubkey(), &d.address, DropStatus::Closed);
    f.send(&[ix], &d.creator, &[]).await.unwrap();

    // Another wallet cannot close (or take the rent of) this record.
    let mut stolen = instructions::close_wallet_record(&other.pubkey(), &d.address, 0);
    stolen.accounts[3].pubkey = record;
    assert_tx_error(
        f.send(&[stolen], &other, &[]).await,
        anchor_error(0, AnchorErrorCode::ConstraintSeeds),
    );

    let rent = f.balance(&record).await;
    let before = f.balance(&buyer.pubkey()).await;
    f.send(&[close], &buyer, &[])
        .await
        .expect("close after the drop closed");
    assert!(f.account(&record).await.is_none());
    assert_eq!(f.balance(&buyer.pubkey()).await, before + rent - 5_000);
}

/// Wallet records written before they were slimmed (77 bytes: the tier and wallet, then
/// the count) keep counting: the next mint rewrites one at 13 bytes and returns the freed
/// rent to its wallet, and such a record still closes.
#[tokio::test]
async fn wallet_records_of_the_old_layout_keep_counting_and_shrink() {
    use anchor_lang::Discriminator;
    let mut f = Fixture::new().await;
    let d = launch(&mut f, "legacy", 10, None, vec![tier("a", PRICE, 10, 3)]).await;
    f.warp_to(T0).await;
    let buyer = f.wallet(SOL).await;
    mint(&mut f, &d.address, 0, &buyer, 1).await.unwrap();
    let tier0 = pda::tier(&d.address, 0).0;
    let (record, bump) = pda::wallet_record(&tier0, &buyer.pubkey());
    // Put the record back as the old program wrote it: 2 already minted.
    let rent = f.context.banks_client.get_rent().await.unwrap();
    let mut data = WalletRecord::DISCRIMINATOR.to_vec();
    data.extend_from_slice(tier0.as_ref());
    data.extend_from_slice(buyer.pubkey().as_ref());
    data.extend_from_slice(&2u32.to_le_bytes());
    data.push(bump);
    assert_eq!(data.len(), WalletRecord::LEGACY_LEN);
    let legacy = solana_account::Account {
        lamports: rent.minimum_balance(data.len()),
        data,
        owner: microdrop::ID,
        executable: false,
        rent_epoch: 0,
    };
    f.context.set_account(&record, &legacy.clone().into());

    // Its count holds: 2 + 2 is over the limit of 3, 2 + 1 is not.
    let ixs = mint_ixs(&mut f, &d.address, 0, &buyer.pubkey(), 2, None).await;
    assert_tx_error(
        f.send(&ixs, &buyer, &[]).await,
        program_error(1, MicrodropError::WalletLimitReached),
    );
    let before = f.balance(&buyer.pubkey()).await;
    mint(&mut f, &d.address, 0, &buyer, 1).await.unwrap();
    let now = f.account(&record).await.unwrap();
    assert_eq!(now.data.len(), 8 + 4 + 1);
    assert_eq!(now.lamports, rent.minimum_balance(13));
    let state: WalletRecord = f.anchor_account(&record).await;
    assert_eq!((state.minted, state.bump), (3, bump));
    // The buyer paid the price, the item's accounts and the fee, and got the freed rent.
    let freed = legacy.lamports - now.lamports;
    let item_accounts = instructions::item_accounts(
        microdrop::state::ItemStandard::TokenMetadata,
        &d.address,
        &buyer.pubkey(),
        2,
    );
    let item_cost = f.balances(&item_accounts).await;
    let table_growth = 0; // the item-tier table's byte for items 1 and 2 was paid already
    assert_eq!(
        f.balance(&buyer.pubkey()).await,
        before - PRICE - item_cost - table_growth - 5_000 + freed
    );

    // An old record also closes once the drop has.
    f.context.set_account(&record, &legacy.into());
    let close = instructions::set_drop_status(&d.creator.pubkey(), &d.address, DropStatus::Closed);
    f.send(&[close], &d.creator, &[]).await.unwrap();
    let reclaim = instructions::close_wallet_record(&buyer.pubkey(), &d.address, 0);
    f.send(&[reclaim], &buyer, &[])
        .await
        .expect("close an old record");
    assert!(f.account(&record).await.is_none());
}
