//! The audit of commit 12246db: each finding's attack or misuse, refused or harmless now.
//! (Findings 2 and 3, the trace and the heap, are `limits`; finding 4 is in `splits`;
//! finding 8 in `create_drop`.)

use microdrop::{
    errors::MicrodropError,
    events::{AuthorityTransferOffered, AuthorityTransferred, ItemUriUpdated},
    state::{Drop, DropStatus, HolderRecord, TierConfig},
    voucher::VoucherMessage,
};
use microdrop_sdk::{
    accounts,
    events::Event,
    instructions::{self, MintRequest},
    pda,
    voucher::SignedVoucher,
    Keypair, Pubkey, Signer,
};
use microdrop_tests::{assert_tx_error, program_error, Fixture, CREATE_ACCOUNT_ALLOW_PREFUND, SOL};

use crate::support::{drop_args, launch, mint, perk, tier, T0};

/// Finding 1: lamports sent first to every predictable address the program creates do not
/// stop the drop, its collection, a tier, a benefit, a wallet record or a receipt from
/// being created, whether SIMD-0312 is active or not.
#[tokio::test]
async fn prefunded_addresses_are_created_with_and_without_simd_0312() {
    for deactivate in [false, true] {
        let mut f = if deactivate {
            Fixture::without_features(&[CREATE_ACCOUNT_ALLOW_PREFUND]).await
        } else {
            Fixture::new().await
        };
        let what = if deactivate {
            "SIMD-0312 off"
        } else {
            "SIMD-0312 on"
        };
        let creator = f.wallet(100 * SOL).await;
        let buyer = f.wallet(10 * SOL).await;
        let id = "prefunded";
        let drop = pda::drop(&creator.pubkey(), id).0;
        let tier0 = pda::tier(&drop, 0).0;
        let benefit0 = pda::benefit(&drop, 0).0;
        let griefed = [
            drop,
            pda::collection_mint(&drop).0,
            pda::item_tiers(&drop).0,
            tier0,
            benefit0,
            pda::wallet_record(&tier0, &buyer.pubkey()).0,
            pda::redemption(&benefit0, 0).0,
            pda::item_mint(&drop, 1).0,
        ];
        // 890,880 lamports: a rent-exempt empty account at each address.
        for address in &griefed {
            f.transfer(address, 890_880).await;
        }

        let create = instructions::create_drop(&creator.pubkey(), None, drop_args(id));
        f.send(&[create], &creator, &[])
            .await
            .unwrap_or_else(|e| panic!("{what}: create {e:?}"));
        let add = instructions::add_tier(&creator.pubkey(), &drop, 0, tier("a", SOL / 100, 10, 5));
        f.send(&[add], &creator, &[])
            .await
            .unwrap_or_else(|e| panic!("{what}: tier {e:?}"));
        let benefit = perk("perk", 1, 5);
        let add = instructions::add_benefit(&creator.pubkey(), &drop, 0, benefit);
        f.send(&[add], &creator, &[])
            .await
            .unwrap_or_else(|e| panic!("{what}: benefit {e:?}"));
        let activate = instructions::set_drop_status(&creator.pubkey(), &drop, DropStatus::Active);
        f.send(&[activate], &creator, &[]).await.unwrap();
        f.warp_to(T0).await;
        mint(&mut f, &drop, 0, &buyer, 1)
            .await
            .unwrap_or_else(|e| panic!("{what}: mint {e:?}"));
        let redeem = vec![
            instructions::compute_unit_limit(1_400_000),
            instructions::redeem(
                &buyer.pubkey(),
                &drop,
                microdrop::state::ItemStandard::TokenMetadata,
                &pda::collection_mint(&drop).0,
                0,
                0,
                &[1],
            ),
        ];
        f.send(&redeem, &buyer, &[])
            .await
            .unwrap_or_else(|e| panic!("{what}: redeem {e:?}"));

        let state: Drop = f.anchor_account(&drop).await;
        assert_eq!(
            (
                state.minted,
                state.burned,
                state.tier_count,
                state.benefit_count
            ),
            (1, 1, 1, 1),
            "{what}"
        );
        for address in &griefed[..7] {
            let account = f.account(address).await.unwrap();
            assert_ne!(
                account.owner,
                anchor_lang::system_program::ID,
                "{what}: {address} created"
            );
        }
        // Configuration still works afterwards.
        let pause = instructions::set_drop_status(&creator.pubkey(), &drop, DropStatus::Paused);
        f.send(&[pause], &creator, &[]).await.unwrap();
        let update =
            instructions::update_tier(&creator.pubkey(), &drop, 0, tier("b", SOL / 50, 10, 5));
        f.send(&[update], &creator, &[])
            .await
            .unwrap_or_else(|e| panic!("{what}: update {e:?}"));
    }
}

/// Finding 6: with `holder_limit`, one gate item passed from wallet to wallet buys at most
/// that many items in all.
#[tokio::test]
async fn a_holder_limit_follows_the_gate_item_not_the_wallet() {
    let mut f = Fixture::new().await;
    let past = launch(&mut f, "season-1", 10, None, vec![tier("s1", 0, 10, 5)]).await;
    let gated = TierConfig {
        holder_of: Some(past.collection_mint),
        holder_limit: 2,
        ..tier("pass", SOL / 100, 10, 10)
    };
    let next = launch(&mut f, "season-2", 10, None, vec![gated.clone()]).await;
    f.warp_to(T0).await;

    // A limit without a gate is refused.
    let loose = TierConfig {
        holder_of: None,
        ..gated
    };
    let pause =
        instructions::set_drop_status(&next.creator.pubkey(), &next.address, DropStatus::Paused);
    f.send(&[pause], &next.creator, &[]).await.unwrap();
    let add = instructions::add_tier(&next.creator.pubkey(), &next.address, 1, loose);
    assert_tx_error(
        f.send(&[add], &next.creator, &[]).await,
        program_error(0, MicrodropError::TierHolderLimitInvalid),
    );
    let resume =
        instructions::set_drop_status(&next.creator.pubkey(), &next.address, DropStatus::Active);
    f.send(&[resume], &next.creator, &[]).await.unwrap();

    let first = f.wallet(5 * SOL).await;
    mint(&mut f, &past.address, 0, &first, 1).await.unwrap();
    let item = pda::item_mint(&past.address, 1).0;
    let tier0 = pda::tier(&next.address, 0).0;
    let record = pda::holder_record(&tier0, &item).0;
    let gated_mint =
        |buyer: Pubkey, first_index: u64, quantity: u8, with_record: bool| MintRequest {
            drop: next.address,
            standard: microdrop::state::ItemStandard::TokenMetadata,
            soulbound: false,
            preorder: false,
            open: false,
            collection_mint: next.collection_mint,
            currency: microdrop::state::Currency::Sol,
            tier_id: 0,
            buyer,
            first_index,
            quantity,
            allowance: None,
            proof: vec![],
            holder: Some((
                pda::associated_token(&buyer, &item).0,
                pda::metadata(&item).0,
            )),
            holder_record: with_record.then_some(record),
            voucher: None,
        };
    let send = |request: MintRequest| {
        vec![
            instructions::compute_unit_limit(1_400_000),
            instructions::mint(&request),
        ]
    };

    let no_record = send(gated_mint(first.pubkey(), 1, 1, false));
    assert_tx_error(
        f.send(&no_record, &first, &[]).await,
        program_error(1, MicrodropError::HolderRecordInvalid),
    );
    f.send(&send(gated_mint(first.pubkey(), 1, 1, true)), &first, &[])
        .await
        .expect("first use of the gate item");
    let used: HolderRecord = f.anchor_account(&record).await;
    assert_eq!((used.item, used.minted), (item, 1));

    // The item moves to a second wallet, which gets only what is left of the limit.
    let second = f.wallet(5 * SOL).await;
    f.fund_tokens(&first, &item, &second.pubkey(), 0).await;
    let transfer = anchor_spl::token::spl_token::instruction::transfer(
        &anchor_spl::token::ID,
        &pda::associated_token(&first.pubkey(), &item).0,
        &pda::associated_token(&second.pubkey(), &item).0,
        &first.pubkey(),
        &[],
        1,
    )
    .unwrap();
    f.send(&[transfer], &first, &[]).await.unwrap();
    let over = send(gated_mint(second.pubkey(), 2, 2, true));
    assert_tx_error(
        f.send(&over, &second, &[]).await,
        program_error(1, MicrodropError::HolderLimitReached),
    );
    f.send(&send(gated_mint(second.pubkey(), 2, 1, true)), &second, &[])
        .await
        .expect("the rest of the limit");
    let again = send(gated_mint(second.pubkey(), 3, 1, true));
    assert_tx_error(
        f.send(&again, &second, &[]).await,
        program_error(1, MicrodropError::HolderLimitReached),
    );
    let used: HolderRecord = f.anchor_account(&record).await;
    assert_eq!(used.minted, 2);
}

/// Finding 7: a voucher signed with another deployment's salt is refused.
#[tokio::test]
async fn vouchers_carry_the_drops_salt() {
    let mut f = Fixture::new().await;
    let signer = Keypair::new();
    let gated = TierConfig {
        voucher_signer: Some(signer.pubkey()),
        ..tier("local", SOL / 100, 20, 5)
    };
    let d = launch(&mut f, "salted", 20, None, vec![gated]).await;
    f.warp_to(T0).await;
    let buyer = f.wallet(5 * SOL).await;
    let state: Drop = f.anchor_account(&d.address).await;
    assert_ne!(state.voucher_salt, [0; 32]);
    let voucher = |salt: [u8; 32]| {
        SignedVoucher::sign(
            VoucherMessage {
                program: microdrop::ID,
                drop: d.address,
                tier_id: 0,
                wallet: buyer.pubkey(),
                max_quantity: 1,
                expires: T0 + 100,
                region: *b"--",
                nonce: 1,
                single_use: false,
                salt,
            },
            &signer,
        )
    };
    let request = |voucher: SignedVoucher| MintRequest {
        voucher: Some(voucher),
        ..MintRequest::new(d.address, &state, 0, buyer.pubkey())
    };
    let mut other = state.voucher_salt;
    other[0] ^= 1;
    // The same authority, id and signer on another cluster: another salt.
    let mut replayed = vec![instructions::compute_unit_limit(1_400_000)];
    replayed.extend(instructions::mint_instructions(&request(voucher(other))));
    assert_tx_error(
        f.send(&replayed, &buyer, &[]).await,
        program_error(2, MicrodropError::VoucherWrongSalt),
    );
    let mut valid = vec![instructions::compute_unit_limit(1_400_000)];
    valid.extend(instructions::mint_instructions(&request(voucher(
        state.voucher_salt,
    ))));
    f.send(&valid, &buyer, &[]).await.expect("this drop's salt");
}

/// Finding 9: pause stops redemptions too.
#[tokio::test]
async fn a_paused_drop_redeems_nothing() {
    let mut f = Fixture::new().await;
    let d = launch(
        &mut f,
        "paused",
        10,
        None,
        vec![tier("a", SOL / 100, 10, 5)],
    )
    .await;
    let benefit = perk("perk", 1, 5);
    let add = instructions::add_benefit(&d.creator.pubkey(), &d.address, 0, benefit);
    f.send(&[add], &d.creator, &[]).await.unwrap();
    f.warp_to(T0).await;
    let holder = f.wallet(5 * SOL).await;
    mint(&mut f, &d.address, 0, &holder, 1).await.unwrap();
    let pause = instructions::set_drop_status(&d.creator.pubkey(), &d.address, DropStatus::Paused);
    f.send(&[pause], &d.creator, &[]).await.unwrap();
    let redeem = vec![
        instructions::compute_unit_limit(1_400_000),
        instructions::redeem(
            &holder.pubkey(),
            &d.address,
            microdrop::state::ItemStandard::TokenMetadata,
            &d.collection_mint,
            0,
            0,
            &[1],
        ),
    ];
    assert_tx_error(
        f.send(&redeem, &holder, &[]).await,
        program_error(1, MicrodropError::DropPaused),
    );
    let state: Drop = f.anchor_account(&d.address).await;
    assert_eq!(state.burned, 0);
    let resume = instructions::set_drop_status(&d.creator.pubkey(), &d.address, DropStatus::Active);
    f.send(&[resume], &d.creator, &[]).await.unwrap();
    f.send(&redeem, &holder, &[])
        .await
        .expect("redeems once resumed");
}

/// Finding 9: the authority changes in two steps, and only to the key that accepts.
#[tokio::test]
async fn the_authority_transfers_in_two_steps() {
    let mut f = Fixture::new().await;
    let d = launch(
        &mut f,
        "handover",
        10,
        None,
        vec![tier("a", SOL / 100, 10, 5)],
    )
    .await;
    let successor = f.wallet(SOL).await;
    let stranger = f.wallet(SOL).await;

    let offer =
        instructions::transfer_authority(&stranger.pubkey(), &d.address, &stranger.pubkey());
    assert_tx_error(
        f.send(&[offer], &stranger, &[]).await,
        program_error(0, MicrodropError::DropAuthorityMismatch),
    );
    let accept = instructions::accept_authority(&successor.pubkey(), &d.address);
    assert_tx_error(
        f.send(std::slice::from_ref(&accept), &successor, &[]).await,
        program_error(0, MicrodropError::DropPendingAuthorityMismatch),
    );
    let offer =
        instructions::transfer_authority(&d.creator.pubkey(), &d.address, &successor.pubkey());
    let events = f.send_with_events(&[offer], &d.creator, &[]).await.unwrap();
    assert!(matches!(
        events.as_slice(),
        [Event::AuthorityTransferOffered(AuthorityTransferOffered { new_pending, .. })] if *new_pending == successor.pubkey()
    ));
    let wrong = instructions::accept_authority(&stranger.pubkey(), &d.address);
    assert_tx_error(
        f.send(&[wrong], &stranger, &[]).await,
        program_error(0, MicrodropError::DropPendingAuthorityMismatch),
    );
    let events = f
        .send_with_events(&[accept], &successor, &[])
        .await
        .expect("accept");
    assert_eq!(
        events,
        vec![Event::AuthorityTransferred(AuthorityTransferred {
            drop: d.address,
            old_authority: d.creator.pubkey(),
            new_authority: successor.pubkey(),
            timestamp: f.now().await,
        })]
    );
    let state: Drop = f.anchor_account(&d.address).await;
    assert_eq!(state.authority, successor.pubkey());
    assert_eq!(state.pending_authority, Pubkey::default());
    assert_eq!(
        *state.creator(),
        d.creator.pubkey(),
        "the address keeps its creator"
    );

    // The old authority is out; the new one configures, and the drop PDA still signs.
    let pause = |who: &Keypair| {
        instructions::set_drop_status(&who.pubkey(), &d.address, DropStatus::Paused)
    };
    assert_tx_error(
        f.send(&[pause(&d.creator)], &d.creator, &[]).await,
        program_error(0, MicrodropError::DropAuthorityMismatch),
    );
    f.send(&[pause(&successor)], &successor, &[])
        .await
        .expect("new authority");
    let resume = instructions::set_drop_status(&successor.pubkey(), &d.address, DropStatus::Active);
    f.send(&[resume], &successor, &[]).await.unwrap();
    f.warp_to(T0).await;
    let buyer = f.wallet(SOL).await;
    mint(&mut f, &d.address, 0, &buyer, 1)
        .await
        .expect("items still mint");
}

/// Finding 9: the authority corrects an item's URI; nothing else in its metadata changes.
#[tokio::test]
async fn the_authority_corrects_an_items_uri() {
    let mut f = Fixture::new().await;
    let d = launch(&mut f, "fixes", 10, None, vec![tier("a", SOL / 100, 10, 5)]).await;
    f.warp_to(T0).await;
    let buyer = f.wallet(SOL).await;
    mint(&mut f, &d.address, 0, &buyer, 1).await.unwrap();
    let item = pda::item_mint(&d.address, 1).0;
    let fixed = "https://example.com/fixed/1.json".to_string();

    let update = |who: &Keypair, index: u64, uri: String| {
        instructions::update_item_uri(
            &who.pubkey(),
            &d.address,
            microdrop::state::ItemStandard::TokenMetadata,
            index,
            uri,
        )
    };
    let stranger = f.wallet(SOL).await;
    assert_tx_error(
        f.send(&[update(&stranger, 1, fixed.clone())], &stranger, &[])
            .await,
        program_error(0, MicrodropError::DropAuthorityMismatch),
    );
    assert_tx_error(
        f.send(&[update(&d.creator, 1, "u".repeat(201))], &d.creator, &[])
            .await,
        program_error(0, MicrodropError::ItemUriInvalid),
    );
    assert_tx_error(
        f.send(&[update(&d.creator, 1, String::new())], &d.creator, &[])
            .await,
        program_error(0, MicrodropError::ItemUriInvalid),
    );
    assert_tx_error(
        f.send(&[update(&d.creator, 2, fixed.clone())], &d.creator, &[])
            .await,
        program_error(0, MicrodropError::ItemAccountsMismatch),
    );
    let before =
        accounts::decode_metadata(&f.account(&pda::metadata(&item).0).await.unwrap().data).unwrap();
    let events = f
        .send_with_events(&[update(&d.creator, 1, fixed.clone())], &d.creator, &[])
        .await
        .expect("update");
    assert_eq!(
        events,
        vec![Event::ItemUriUpdated(ItemUriUpdated {
            drop: d.address,
            mint: item,
            index: 1,
            uri: fixed.clone(),
            timestamp: T0,
        })]
    );
    let after =
        accounts::decode_metadata(&f.account(&pda::metadata(&item).0).await.unwrap().data).unwrap();
    assert_eq!(after.uri, fixed);
    assert_eq!(after.name, before.name);
    assert_eq!(after.creators, before.creators);
    assert_eq!(after.collection, before.collection);
    assert!(after.collection.unwrap().verified);

    let close = instructions::set_drop_status(&d.creator.pubkey(), &d.address, DropStatus::Closed);
    f.send(&[close], &d.creator, &[]).await.unwrap();
    assert_tx_error(
        f.send(
            &[update(
                &d.creator,
                1,
                "https://example.com/late.json".into(),
            )],
            &d.creator,
            &[],
        )
        .await,
        program_error(0, MicrodropError::DropClosed),
    );
}
