//! Supply shaped by demand, for both item standards: open editions, preorders that refund
//! when they fall short (`refund`), and creator airdrops (`airdrop`).

use anchor_spl::associated_token::spl_associated_token_account::instruction::create_associated_token_account_idempotent;
use microdrop::{
    constants::OPEN_SUPPLY,
    errors::MicrodropError,
    instructions::CreateDropArgs,
    state::{AirdropRecord, Currency, Drop, DropStatus, ItemStandard, Tier, TierConfig},
};
use microdrop_sdk::{
    airdrop::AirdropList,
    events::Event,
    instructions::{self, AirdropRequest},
    items, pda, Instruction, Pubkey, Signer,
};
use microdrop_tests::{assert_tx_error, program_error, Fixture, SOL};

use crate::support::{drop_args, launch_with, mint, perk, tier, TestDrop, DAY, T0};

const STANDARDS: [ItemStandard; 2] = [ItemStandard::TokenMetadata, ItemStandard::Token2022];
const PRICE: u64 = SOL / 10;

fn args(id: &str, standard: ItemStandard, supply: u64) -> CreateDropArgs {
    CreateDropArgs {
        supply,
        standard,
        ..drop_args(id)
    }
}

/// A preorder of `supply` items needing `minimum` sold by the end of the first day.
fn preorder(id: &str, standard: ItemStandard, supply: u64, minimum: u64) -> CreateDropArgs {
    CreateDropArgs {
        minimum,
        deadline: T0 + DAY - 1,
        ..args(id, standard, supply)
    }
}

async fn launch(
    f: &mut Fixture,
    args: CreateDropArgs,
    currency: Option<Pubkey>,
    tiers: Vec<TierConfig>,
) -> TestDrop {
    let creator = f.wallet(100 * SOL).await;
    launch_with(f, creator, args, currency, tiers).await
}

fn open_tier(label: &str, per_wallet: u32) -> TierConfig {
    tier(label, PRICE, OPEN_SUPPLY, per_wallet)
}

fn refund_ix(holder: &Pubkey, d: &TestDrop, state: &Drop, indexes: &[u64]) -> Instruction {
    instructions::refund(
        holder,
        &d.address,
        state.standard,
        &d.collection_mint,
        state.currency,
        indexes,
    )
}

fn airdrop_request(d: &TestDrop, state: &Drop, recipient: &Pubkey) -> AirdropRequest {
    AirdropRequest::new(d.address, state, None, [7; 32], *recipient, 1)
}

/// The tier item `index` of `drop` records, as wallets read it for either standard.
async fn item_tier(
    f: &mut Fixture,
    drop: &Pubkey,
    standard: ItemStandard,
    index: u64,
) -> Option<u8> {
    let program = items::token_program(standard);
    let mint = pda::item_mint(drop, index).0;
    let membership = f
        .account(&items::membership_account(&program, &mint))
        .await
        .unwrap();
    let table = f.account(&pda::item_tiers(drop).0).await.unwrap();
    items::tier_of(&program, &membership.data, &table.data, index)
}

async fn send_airdrop(
    f: &mut Fixture,
    d: &TestDrop,
    request: &AirdropRequest,
) -> Result<(), solana_transaction_error::TransactionError> {
    let ixs = [
        instructions::compute_unit_limit(1_400_000),
        instructions::airdrop(request),
    ];
    f.send(&ixs, &d.creator, &[]).await
}

#[tokio::test]
async fn an_open_edition_sells_past_any_count_until_its_window_ends() {
    let mut f = Fixture::new().await;
    for standard in STANDARDS {
        let id = format!("open-{}", standard as u8);
        let d = launch(
            &mut f,
            args(&id, standard, OPEN_SUPPLY),
            None,
            vec![open_tier("open", 3)],
        )
        .await;
        f.warp_to(T0 + 10).await;
        // Six buyers take three each: past any count a capped drop would name here.
        let mut buyers = Vec::new();
        for _ in 0..6 {
            let buyer = f.wallet(5 * SOL).await;
            mint(&mut f, &d.address, 0, &buyer, 2)
                .await
                .expect("mint 2");
            mint(&mut f, &d.address, 0, &buyer, 1)
                .await
                .expect("mint 1");
            buyers.push(buyer);
        }
        // The per-wallet limit still holds.
        assert_tx_error(
            mint(&mut f, &d.address, 0, &buyers[0], 1).await,
            program_error(1, MicrodropError::WalletLimitReached),
        );
        let state: Drop = f.anchor_account(&d.address).await;
        assert_eq!((state.supply, state.minted), (OPEN_SUPPLY, 18));
        if standard == ItemStandard::Token2022 {
            // The group's max_size follows the items.
            let collection = f.account(&d.collection_mint).await.unwrap();
            let group = items::token_2022::group(&collection.data).unwrap();
            assert_eq!(group, (18, 18));
        }
        // The window is its bound.
        let late = f.wallet(5 * SOL).await;
        f.warp_to(T0 + DAY).await;
        assert_tx_error(
            mint(&mut f, &d.address, 0, &late, 1).await,
            program_error(1, MicrodropError::TierEnded),
        );
        f.warp_to(T0 - DAY).await;
    }
}

#[tokio::test]
async fn a_capped_drop_refuses_open_tiers_and_open_drops_take_capped_ones() {
    let mut f = Fixture::new().await;
    let creator = f.wallet(100 * SOL).await;
    let create = instructions::create_drop(
        &creator.pubkey(),
        None,
        args("capped", ItemStandard::Token2022, 10),
    );
    f.send(&[create], &creator, &[]).await.unwrap();
    let drop = pda::drop(&creator.pubkey(), "capped").0;
    let add = instructions::add_tier(&creator.pubkey(), &drop, 0, open_tier("open", 1));
    assert_tx_error(
        f.send(&[add], &creator, &[]).await,
        program_error(0, MicrodropError::TierSupplyOpenInCappedDrop),
    );
    let add = instructions::add_tier(&creator.pubkey(), &drop, 0, tier("five", PRICE, 5, 1));
    f.send(&[add], &creator, &[]).await.unwrap();
    let update = instructions::update_tier(&creator.pubkey(), &drop, 0, open_tier("open", 1));
    assert_tx_error(
        f.send(&[update], &creator, &[]).await,
        program_error(0, MicrodropError::TierSupplyOpenInCappedDrop),
    );

    // An open drop mixes open and capped tiers; a capped tier still sells out.
    let d = launch(
        &mut f,
        args("mixed", ItemStandard::TokenMetadata, OPEN_SUPPLY),
        None,
        vec![open_tier("open", 5), tier("two", PRICE, 2, 5)],
    )
    .await;
    let state: Drop = f.anchor_account(&d.address).await;
    assert_eq!(state.tier_supply_total, 2, "open tiers count for nothing");
    f.warp_to(T0 + 10).await;
    let buyer = f.wallet(5 * SOL).await;
    mint(&mut f, &d.address, 1, &buyer, 2).await.unwrap();
    assert_tx_error(
        mint(&mut f, &d.address, 1, &buyer, 1).await,
        program_error(1, MicrodropError::TierSoldOut),
    );
    mint(&mut f, &d.address, 0, &buyer, 2).await.unwrap();
}

#[tokio::test]
async fn a_preorder_names_its_minimum_and_deadline_together_within_its_supply() {
    let mut f = Fixture::new().await;
    let creator = f.wallet(100 * SOL).await;
    let cases = [
        (5, 0),
        (0, T0),
        (11, T0),
        (microdrop::constants::MAX_PREORDER_MINIMUM + 1, T0),
    ];
    for (i, (minimum, deadline)) in cases.into_iter().enumerate() {
        let id = format!("bad-{i}");
        let mut args = CreateDropArgs {
            minimum,
            deadline,
            ..args(&id, ItemStandard::Token2022, 10)
        };
        if minimum > 10 {
            args.supply = if minimum > 1000 { OPEN_SUPPLY } else { 10 };
        }
        let ix = instructions::create_drop(&creator.pubkey(), None, args);
        assert_tx_error(
            f.send(&[ix], &creator, &[]).await,
            program_error(0, MicrodropError::DropThresholdInvalid),
        );
    }
    // The item-price table must be the drop's: another address is refused.
    let mut ix = instructions::create_drop(
        &creator.pubkey(),
        None,
        preorder("elsewhere", ItemStandard::Token2022, 10, 5),
    );
    let table = pda::item_prices(&pda::drop(&creator.pubkey(), "elsewhere").0).0;
    let meta = ix.accounts.iter_mut().find(|m| m.pubkey == table).unwrap();
    meta.pubkey = Pubkey::new_unique();
    assert_tx_error(
        f.send(&[ix], &creator, &[]).await,
        program_error(0, MicrodropError::ItemPricesInvalid),
    );
}

#[tokio::test]
async fn a_preorder_that_meets_its_minimum_distributes_normally() {
    let mut f = Fixture::new().await;
    for standard in STANDARDS {
        let id = format!("met-{}", standard as u8);
        let d = launch(
            &mut f,
            preorder(&id, standard, 10, 3),
            None,
            vec![tier("early", PRICE, 10, 5)],
        )
        .await;
        let add = instructions::add_benefit(&d.creator.pubkey(), &d.address, 0, perk("zine", 1, 5));
        f.send(&[add], &d.creator, &[]).await.unwrap();
        f.warp_to(T0 + 10).await;
        let buyer = f.wallet(5 * SOL).await;
        mint(&mut f, &d.address, 0, &buyer, 2).await.unwrap();
        let state: Drop = f.anchor_account(&d.address).await;
        assert_eq!(state.escrowed, 2 * PRICE);
        // Pending: the proceeds stay, and benefits wait.
        let distribute = instructions::distribute(&d.address, &state.splits, None);
        assert_tx_error(
            f.send(std::slice::from_ref(&distribute), &buyer, &[]).await,
            program_error(0, MicrodropError::ThresholdNotMet),
        );
        let redeem = instructions::redeem(
            &buyer.pubkey(),
            &d.address,
            standard,
            &d.collection_mint,
            0,
            0,
            &[1],
        );
        assert_tx_error(
            f.send(&[redeem], &buyer, &[]).await,
            program_error(0, MicrodropError::ThresholdNotMet),
        );
        assert_tx_error(
            f.send(&[refund_ix(&buyer.pubkey(), &d, &state, &[1])], &buyer, &[])
                .await,
            program_error(0, MicrodropError::ThresholdPending),
        );
        // The third sale meets it, at or before the deadline.
        f.warp_to(T0 + DAY - 1).await;
        mint(&mut f, &d.address, 0, &buyer, 1).await.unwrap();
        f.warp_to(T0 + DAY + 10).await;
        let events = f
            .send_with_events(&[distribute], &buyer, &[])
            .await
            .expect("distribute once met");
        let [Event::Distributed(paid)] = events.as_slice() else {
            panic!("{events:?}")
        };
        assert_eq!(paid.payouts[0].amount, 3 * PRICE);
        let state: Drop = f.anchor_account(&d.address).await;
        assert_tx_error(
            f.send(&[refund_ix(&buyer.pubkey(), &d, &state, &[1])], &buyer, &[])
                .await,
            program_error(0, MicrodropError::ThresholdMet),
        );
        f.warp_to(T0 - DAY).await;
    }
}

#[tokio::test]
async fn a_failed_preorder_refunds_every_buyer_exactly_once() {
    let mut f = Fixture::new().await;
    for standard in STANDARDS {
        for spl in [false, true] {
            failed_preorder_refunds(&mut f, standard, spl).await;
        }
    }
}

/// What `who` holds in the drop's currency: tokens of `currency`, or lamports.
async fn paid_back(f: &mut Fixture, currency: Option<Pubkey>, who: Pubkey) -> u64 {
    match currency {
        Some(mint) => f.token_balance(&pda::associated_token(&who, &mint).0).await,
        None => f.balance(&who).await,
    }
}

async fn failed_preorder_refunds(f: &mut Fixture, standard: ItemStandard, spl: bool) {
    let id = format!("fail-{}-{}", standard as u8, u8::from(spl));
    let issuer = f.wallet(SOL).await;
    let currency = match spl {
        true => Some(f.create_token_mint(&issuer).await),
        false => None,
    };
    let d = launch(
        f,
        preorder(&id, standard, 20, 10),
        currency,
        vec![tier("early", PRICE, 20, 5)],
    )
    .await;
    let (alice, bob, carol) = (
        f.wallet(5 * SOL).await,
        f.wallet(5 * SOL).await,
        f.wallet(SOL).await,
    );
    if let Some(mint) = currency {
        for buyer in [&alice, &bob] {
            f.fund_tokens(&issuer, &mint, &buyer.pubkey(), 10 * PRICE)
                .await;
        }
    }
    f.warp_to(T0 + 10).await;
    mint(f, &d.address, 0, &alice, 2).await.unwrap(); // items 1, 2
                                                      // The price changes while paused: the refund pays what each item cost.
    let pause = instructions::set_drop_status(&d.creator.pubkey(), &d.address, DropStatus::Paused);
    f.send(&[pause], &d.creator, &[]).await.unwrap();
    let update = instructions::update_tier(
        &d.creator.pubkey(),
        &d.address,
        0,
        tier("early", 3 * PRICE, 20, 5),
    );
    f.send(&[update], &d.creator, &[]).await.unwrap();
    let resume = instructions::set_drop_status(&d.creator.pubkey(), &d.address, DropStatus::Active);
    f.send(&[resume], &d.creator, &[]).await.unwrap();
    mint(f, &d.address, 0, &bob, 1).await.unwrap(); // item 3 at 3 × PRICE
                                                    // An airdropped item cost nothing.
    let state: Drop = f.anchor_account(&d.address).await;
    send_airdrop(f, &d, &airdrop_request(&d, &state, &carol.pubkey()))
        .await
        .unwrap(); // item 4
                   // Alice sells item 2 to Carol: Carol's refund, at Alice's price.
    f.transfer_item(standard, &d.address, 2, &alice, &carol.pubkey())
        .await
        .expect("transfer the item");

    let state: Drop = f.anchor_account(&d.address).await;
    assert_eq!((state.sold(), state.airdropped), (3, 1));
    assert_eq!(state.escrowed, 5 * PRICE);

    // Past the deadline, below the minimum: failed.
    f.warp_to(T0 + DAY).await;
    assert_tx_error(
        mint(f, &d.address, 0, &bob, 1).await,
        program_error(1, MicrodropError::ThresholdFailed),
    );
    let mut late = airdrop_request(&d, &state, &carol.pubkey());
    late.list = [8; 32];
    assert_tx_error(
        send_airdrop(f, &d, &late).await,
        program_error(1, MicrodropError::ThresholdFailed),
    );
    // Only what exceeds the escrow may leave the vault: a royalty arrives, and only it
    // is shared.
    let vault = pda::vault(&d.address).0;
    if !spl {
        f.transfer(&vault, PRICE / 2).await;
        let events = f
            .send_with_events(
                &[instructions::distribute(&d.address, &state.splits, None)],
                &bob,
                &[],
            )
            .await
            .unwrap();
        let [Event::Distributed(paid)] = events.as_slice() else {
            panic!("{events:?}")
        };
        assert_eq!(paid.payouts[0].amount, PRICE / 2, "only the royalty");
    } else {
        let ix = instructions::distribute(&d.address, &state.splits, currency.as_ref());
        f.send(&[ix], &bob, &[]).await.unwrap();
        let vault_tokens = f
            .token_balance(&pda::associated_token(&vault, &currency.unwrap()).0)
            .await;
        assert_eq!(vault_tokens, 5 * PRICE, "the escrow stays");
    }

    // Someone else's item is refused: named with the signer's own (empty) token
    // account, or with its holder's.
    assert_tx_error(
        f.send(&[refund_ix(&alice.pubkey(), &d, &state, &[3])], &alice, &[])
            .await,
        program_error(0, MicrodropError::RedeemItemInvalid),
    );
    let mut bobs = refund_ix(&bob.pubkey(), &d, &state, &[3]);
    bobs.accounts[0].pubkey = alice.pubkey();
    assert_tx_error(
        f.send(&[bobs], &alice, &[]).await,
        program_error(0, MicrodropError::RedeemNotOwner),
    );
    assert_tx_error(
        f.send(
            &[refund_ix(&alice.pubkey(), &d, &state, &[1, 1])],
            &alice,
            &[],
        )
        .await,
        program_error(0, MicrodropError::RefundItemCountInvalid),
    );

    let refunds = [
        (&alice, vec![1u64], PRICE),
        (&carol, vec![2, 4], PRICE),
        (&bob, vec![3], 3 * PRICE),
    ];
    for (holder, indexes, expected) in refunds {
        if let Some(mint) = currency {
            let ata = create_associated_token_account_idempotent(
                &holder.pubkey(),
                &holder.pubkey(),
                &mint,
                &microdrop_sdk::TOKEN_PROGRAM_ID,
            );
            f.send(&[ata], holder, &[]).await.unwrap();
        }
        let item_accounts: Vec<Pubkey> = indexes
            .iter()
            .flat_map(|i| items::item_accounts(standard, &d.address, &holder.pubkey(), *i))
            .collect();
        let rent = f.balances(&item_accounts).await;
        let before = paid_back(f, currency, holder.pubkey()).await;
        let events = f
            .send_with_events(
                &[refund_ix(&holder.pubkey(), &d, &state, &indexes)],
                holder,
                &[],
            )
            .await
            .expect("refund");
        let [Event::Refunded(refunded)] = events.as_slice() else {
            panic!("{events:?}")
        };
        assert_eq!(refunded.amount, expected);
        let after = paid_back(f, currency, holder.pubkey()).await;
        if spl {
            assert_eq!(after - before, expected, "exactly the price, in tokens");
        } else {
            // Exactly the price, plus the rent the burn gave back, less the fee.
            let returned = rent - f.balances(&item_accounts).await;
            let burn_rent = match standard {
                ItemStandard::Token2022 => rent,
                ItemStandard::TokenMetadata => returned,
            };
            assert_eq!(after + 5_000, before + expected + burn_rent);
        }
        // A second refund of the same items is refused.
        assert_tx_error(
            f.send(
                &[refund_ix(&holder.pubkey(), &d, &state, &indexes)],
                holder,
                &[],
            )
            .await,
            program_error(0, MicrodropError::RefundAlreadyClaimed),
        );
    }
    let state: Drop = f.anchor_account(&d.address).await;
    assert_eq!(
        (state.escrowed, state.refunded, state.burned),
        (0, 5 * PRICE, 4)
    );
    f.warp_to(T0 - DAY).await;
}

#[tokio::test]
async fn the_authority_airdrops_once_per_list_counting_toward_supply_not_wallet_limits() {
    let mut f = Fixture::new().await;
    for standard in STANDARDS {
        let id = format!("gift-{}", standard as u8);
        let d = launch(
            &mut f,
            args(&id, standard, 6),
            None,
            vec![tier("fans", PRICE, 3, 1), tier("rest", PRICE, 3, 1)],
        )
        .await;
        let fan = f.wallet(5 * SOL).await;
        let state: Drop = f.anchor_account(&d.address).await;
        let list = AirdropList::parse(&format!("{},2\n", fan.pubkey())).unwrap();
        let hash = list.hash(Some(0));
        let mut request = AirdropRequest {
            tier_id: Some(0),
            list: hash,
            total: 2,
            quantity: 2,
            ..airdrop_request(&d, &state, &fan.pubkey())
        };
        // Only the authority.
        let stranger = f.wallet(SOL).await;
        let mut theirs = request.clone();
        theirs.authority = stranger.pubkey();
        assert_tx_error(
            f.send(
                &[
                    instructions::compute_unit_limit(1_400_000),
                    instructions::airdrop(&theirs),
                ],
                &stranger,
                &[],
            )
            .await,
            program_error(1, MicrodropError::DropAuthorityMismatch),
        );
        // A quantity of 0, or more than the recipient's total, is refused.
        request.quantity = 0;
        assert_tx_error(
            send_airdrop(&mut f, &d, &request).await,
            program_error(1, MicrodropError::AirdropQuantityInvalid),
        );
        let over = AirdropRequest {
            total: 1,
            quantity: 2,
            ..request.clone()
        };
        assert_tx_error(
            send_airdrop(&mut f, &d, &over).await,
            program_error(1, MicrodropError::AirdropAlreadySent),
        );
        request.quantity = 2;
        let creator_before = f.balance(&d.creator.pubkey()).await;
        let events = f
            .send_with_events(
                &[
                    instructions::compute_unit_limit(1_400_000),
                    instructions::airdrop(&request),
                ],
                &d.creator,
                &[],
            )
            .await
            .expect("airdrop");
        let [Event::ItemsAirdropped(sent)] = events.as_slice() else {
            panic!("{events:?}")
        };
        assert_eq!((sent.sent, sent.total, sent.first_index), (2, 2, 1));
        assert!(
            f.balance(&d.creator.pubkey()).await < creator_before,
            "the authority pays"
        );
        let record: AirdropRecord = f
            .anchor_account(&pda::airdrop_record(&d.address, &hash, &fan.pubkey()).0)
            .await;
        assert_eq!((record.sent, record.total), (2, 2));
        // Replayed, it is refused: the list is done for this recipient.
        request.first_index = 3;
        assert_tx_error(
            send_airdrop(&mut f, &d, &request).await,
            program_error(1, MicrodropError::AirdropAlreadySent),
        );
        // An unconditional drop refunds nothing, by name.
        let state: Drop = f.anchor_account(&d.address).await;
        assert_tx_error(
            f.send(&[refund_ix(&fan.pubkey(), &d, &state, &[1])], &fan, &[])
                .await,
            program_error(0, MicrodropError::ThresholdMet),
        );
        // Counted toward the tier and the drop, not toward the fan's wallet limit.
        let tier0: Tier = f.anchor_account(&pda::tier(&d.address, 0).0).await;
        let state: Drop = f.anchor_account(&d.address).await;
        assert_eq!((tier0.minted, state.minted, state.airdropped), (2, 2, 2));
        f.warp_to(T0 + 10).await;
        mint(&mut f, &d.address, 0, &fan, 1)
            .await
            .expect("the fan still has its limit");
        let other = f.wallet(5 * SOL).await;
        assert_tx_error(
            mint(&mut f, &d.address, 0, &other, 1).await,
            program_error(1, MicrodropError::TierSoldOut),
        );
        // The airdropped items carry their tier.
        assert_eq!(item_tier(&mut f, &d.address, standard, 1).await, Some(0));
        // Without a tier, the drop's supply is the bound.
        let state: Drop = f.anchor_account(&d.address).await;
        let big = AirdropRequest {
            tier_id: None,
            list: [9; 32],
            total: 9,
            quantity: 2,
            ..airdrop_request(&d, &state, &other.pubkey())
        };
        send_airdrop(&mut f, &d, &big).await.unwrap();
        let state: Drop = f.anchor_account(&d.address).await;
        assert_eq!(state.minted, 5);
        let more = AirdropRequest {
            first_index: 6,
            ..big.clone()
        };
        assert_tx_error(
            send_airdrop(&mut f, &d, &more).await,
            program_error(1, MicrodropError::DropSoldOut),
        );
        assert_eq!(
            item_tier(&mut f, &d.address, standard, 4).await,
            None,
            "an item airdropped outside tiers has none"
        );
        // Closed drops airdrop nothing.
        let close =
            instructions::set_drop_status(&d.creator.pubkey(), &d.address, DropStatus::Closed);
        f.send(&[close], &d.creator, &[]).await.unwrap();
        let last = AirdropRequest {
            quantity: 1,
            ..more
        };
        assert_tx_error(
            send_airdrop(&mut f, &d, &last).await,
            program_error(1, MicrodropError::DropClosed),
        );
        assert!(matches!(state.currency, Currency::Sol));
        f.warp_to(T0 - DAY).await;
    }
}
