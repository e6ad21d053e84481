//! The SDK's client helpers over the sandbox: eligibility and the splitting mint helper.

use std::collections::HashMap;

use microdrop::state::{DropStatus, TierConfig};
use microdrop_sdk::{
    allowlist::AllowList, eligibility::Reason, pda, sandbox::Sandbox, Client, Error, Keypair,
    Signer,
};

use crate::support::{drop_args, sandbox_client, tier, DAY, T0};

async fn setup(dir: &std::path::Path) -> (Sandbox, Client) {
    let sandbox = Sandbox::open(dir).await.unwrap();
    let payer = sandbox.default_keypair().unwrap();
    let client = sandbox_client(&sandbox, payer);
    (sandbox, client)
}

/// A drop of `supply` items with one tier, active, the clock at `T0`.
async fn open_drop(
    sandbox: &Sandbox,
    creator: &Client,
    id: &str,
    supply: u64,
    config: TierConfig,
) -> microdrop_sdk::Pubkey {
    let drop = pda::drop(&creator.payer(), id).0;
    let mut args = drop_args(id);
    args.supply = supply;
    creator.create_drop(args, None).await.unwrap();
    creator.add_tier(&drop, 0, config).await.unwrap();
    creator
        .set_drop_status(&drop, DropStatus::Active)
        .await
        .unwrap();
    sandbox.warp_to(T0).await.unwrap();
    drop
}

#[tokio::test]
async fn eligibility_names_every_reason_and_the_mint_helper_splits_transactions() {
    let dir = tempfile::tempdir().unwrap();
    let (sandbox, creator) = setup(dir.path()).await;
    let buyer = Keypair::new();
    let outsider = Keypair::new();
    for wallet in [&buyer, &outsider] {
        sandbox
            .airdrop(&wallet.pubkey(), 20_000_000_000)
            .await
            .unwrap();
    }
    let drop = pda::drop(&creator.payer(), "sdk").0;
    let list = AllowList::new(drop, 0, vec![(buyer.pubkey(), 2)]).unwrap();
    let tiers = [
        TierConfig {
            allowlist_root: Some(list.root()),
            ..tier("listed", 1_000, 5, 1)
        },
        TierConfig {
            start: T0 + DAY,
            end: T0 + 2 * DAY,
            ..tier("big", 2_000, 9, 9)
        },
    ];
    let mut args = drop_args("sdk");
    args.supply = 14;
    creator.create_drop(args, None).await.unwrap();
    for (id, config) in tiers.into_iter().enumerate() {
        creator.add_tier(&drop, id as u8, config).await.unwrap();
    }
    let lists = HashMap::from([(0, list.clone())]);

    let reasons = |answers: Vec<microdrop_sdk::eligibility::TierEligibility>| {
        answers.into_iter().map(|a| a.reason).collect::<Vec<_>>()
    };
    assert_eq!(
        reasons(
            creator
                .eligibility(&drop, &buyer.pubkey(), &lists)
                .await
                .unwrap()
        ),
        [Some(Reason::DropNotActive), Some(Reason::DropNotActive)]
    );
    creator
        .set_drop_status(&drop, DropStatus::Active)
        .await
        .unwrap();
    sandbox.warp_to(T0 - 10).await.unwrap();
    assert_eq!(
        reasons(
            creator
                .eligibility(&drop, &buyer.pubkey(), &lists)
                .await
                .unwrap()
        ),
        [Some(Reason::Upcoming), Some(Reason::Upcoming)]
    );
    sandbox.warp_to(T0).await.unwrap();
    let answers = creator
        .eligibility(&drop, &buyer.pubkey(), &lists)
        .await
        .unwrap();
    assert_eq!(
        (answers[0].eligible, answers[0].quantity, answers[0].price),
        (true, 2, 1_000)
    );
    assert_eq!(
        reasons(
            creator
                .eligibility(&drop, &outsider.pubkey(), &lists)
                .await
                .unwrap()
        )[0],
        Some(Reason::NotListed)
    );
    assert_eq!(
        reasons(
            creator
                .eligibility(&drop, &buyer.pubkey(), &HashMap::new())
                .await
                .unwrap()
        )[0],
        Some(Reason::AllowListNeeded)
    );

    let buyer_client = sandbox_client(&sandbox, buyer.insecure_clone());
    let outcome = buyer_client
        .mint_items(&drop, 0, 2, Some(&list), None)
        .await
        .unwrap();
    assert_eq!((outcome.mints.len(), outcome.paid), (2, 2_000));
    assert_eq!(
        reasons(
            creator
                .eligibility(&drop, &buyer.pubkey(), &lists)
                .await
                .unwrap()
        )[0],
        Some(Reason::LimitReached)
    );
    let refused = buyer_client
        .mint_items(&drop, 0, 1, Some(&list), None)
        .await
        .unwrap_err();
    assert_eq!(refused.program_error_name(), Some("WalletLimitReached"));

    // Nine items cannot go in one transaction: the helper splits them, in index order.
    sandbox.warp_to(T0 + DAY).await.unwrap();
    let outcome = buyer_client
        .mint_items(&drop, 1, 9, None, None)
        .await
        .unwrap();
    assert_eq!(outcome.mints.len(), 9);
    assert!(
        outcome.signatures.len() >= 3,
        "{} transactions",
        outcome.signatures.len()
    );
    let expected: Vec<_> = (3..=11).map(|i| pda::item_mint(&drop, i).0).collect();
    assert_eq!(outcome.mints, expected);
    assert_eq!(outcome.paid, 18_000);
    for mint in &outcome.mints {
        let (owner, _) = buyer_client.holder_of(mint).await.unwrap().unwrap();
        assert_eq!(owner, buyer.pubkey());
    }
    let answers = creator
        .eligibility(&drop, &outsider.pubkey(), &lists)
        .await
        .unwrap();
    assert_eq!(answers[1].reason, Some(Reason::SoldOut));
}

#[tokio::test]
async fn a_mint_that_fails_midway_reports_what_landed() {
    let dir = tempfile::tempdir().unwrap();
    let (sandbox, creator) = setup(dir.path()).await;
    let drop = open_drop(&sandbox, &creator, "midway", 6, tier("t", 1_000, 6, 6)).await;
    // Funds for one transaction's items but not a second's.
    let buyer = Keypair::new();
    sandbox.airdrop(&buyer.pubkey(), 90_000_000).await.unwrap();
    let client = sandbox_client(&sandbox, buyer);
    match client
        .mint_items(&drop, 0, 6, None, None)
        .await
        .unwrap_err()
    {
        Error::MintIncomplete {
            minted, signatures, ..
        } => {
            assert!(!minted.is_empty() && minted.len() < 6, "{minted:?}");
            assert!(!signatures.is_empty());
            assert_eq!(minted[0], pda::item_mint(&drop, 1).0);
        }
        other => panic!("expected MintIncomplete, got {other}"),
    }
}

/// `Client::distribute` finds the vault's tokens of other mints and shares them too, after
/// the drop's own currency.
#[tokio::test]
async fn distribute_shares_other_tokens_the_vault_holds() {
    use anchor_lang::AccountDeserialize;
    use anchor_spl::token::spl_token;
    let dir = tempfile::tempdir().unwrap();
    let (sandbox, creator) = setup(dir.path()).await;
    let drop = open_drop(
        &sandbox,
        &creator,
        "royalties",
        250,
        tier("public", 1_000, 5, 5),
    )
    .await;
    creator.mint_items(&drop, 0, 1, None, None).await.unwrap();

    // Royalties arrive in two other tokens, one under each token program.
    let vault = pda::vault(&drop).0;
    let classic = royalty_token(&creator, &spl_token::ID, &vault, 5_000).await;
    let newer = royalty_token(&creator, &anchor_spl::token_2022::ID, &vault, 7_000).await;
    // Neither has metadata, so neither has a symbol; the collection's is Token Metadata's.
    assert_eq!(creator.token_symbol(&classic).await.unwrap(), None);
    assert_eq!(creator.token_symbol(&newer).await.unwrap(), None);
    let collection = creator.drop(&drop).await.unwrap().collection_mint;
    assert_eq!(
        creator.token_symbol(&collection).await.unwrap().as_deref(),
        Some("ZINE")
    );

    let outcomes = creator.distribute(&drop).await.unwrap();
    assert_eq!(outcomes[0].currency_mint, None, "the drop's currency first");
    for (mint, program, amount) in [
        (classic, spl_token::ID, 5_000),
        (newer, anchor_spl::token_2022::ID, 7_000),
    ] {
        let outcome = outcomes
            .iter()
            .find(|o| o.currency_mint == Some(mint))
            .unwrap_or_else(|| panic!("{mint} distributed: {outcomes:?}"));
        assert_eq!(outcome.payouts.len(), 1);
        assert_eq!(outcome.payouts[0].recipient, crate::support::TREASURY);
        assert_eq!(outcome.payouts[0].amount, amount);
        let treasury = anchor_spl::associated_token::get_associated_token_address_with_program_id(
            &crate::support::TREASURY,
            &mint,
            &program,
        );
        let account = creator.account(&treasury).await.unwrap().unwrap();
        let held = anchor_spl::token_interface::TokenAccount::try_deserialize(
            &mut account.data.as_slice(),
        )
        .unwrap();
        assert_eq!(held.amount, amount);
    }
    assert_eq!(outcomes.len(), 3);
}

/// A cluster that refuses a mint for its instruction trace gets fewer items per
/// transaction; one that cannot take even one item gets a clear refusal.
#[tokio::test]
async fn mints_fall_back_to_fewer_items_when_the_trace_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (sandbox, creator) = setup(dir.path()).await;
    let drop = open_drop(&sandbox, &creator, "strict", 10, tier("t", 1_000, 10, 10)).await;
    // A 2-item mint uses 45 entries (both compute-budget instructions included) and a
    // 1-item mint 27: a cluster allowing 40 takes only the second.
    sandbox.set_trace_limit(40);
    let minted = creator.mint_items(&drop, 0, 2, None, None).await.unwrap();
    assert_eq!(minted.mints.len(), 2);
    assert_eq!(minted.signatures.len(), 2, "one item per transaction");
    assert_eq!(creator.drop(&drop).await.unwrap().minted, 2);

    sandbox.set_trace_limit(20);
    let refused = creator
        .mint_items(&drop, 0, 2, None, None)
        .await
        .unwrap_err();
    assert!(refused.is_trace_too_long(), "{refused}");
    assert_eq!(
        creator.drop(&drop).await.unwrap().minted,
        2,
        "nothing minted"
    );

    sandbox.set_trace_limit(0);
    let minted = creator.mint_items(&drop, 0, 2, None, None).await.unwrap();
    assert_eq!(
        minted.signatures.len(),
        1,
        "both items in one transaction again"
    );
}

/// A new mint under `token_program` (6 decimals, the payer its authority) with `amount`
/// minted into `owner`'s associated token account.
async fn royalty_token(
    client: &Client,
    token_program: &microdrop_sdk::Pubkey,
    owner: &microdrop_sdk::Pubkey,
    amount: u64,
) -> microdrop_sdk::Pubkey {
    use anchor_lang::solana_program::system_instruction;
    use anchor_spl::{associated_token::spl_associated_token_account, token_2022::spl_token_2022};
    let mint = Keypair::new();
    let space = 82;
    let rent = client
        .rpc()
        .get_minimum_balance_for_rent_exemption(space)
        .await
        .unwrap();
    let account = anchor_spl::associated_token::get_associated_token_address_with_program_id(
        owner,
        &mint.pubkey(),
        token_program,
    );
    // Token-2022's instructions are a superset of SPL Token's, with the program id given.
    let ixs = vec![
        system_instruction::create_account(
            &client.payer(),
            &mint.pubkey(),
            rent,
            space as u64,
            token_program,
        ),
        spl_token_2022::instruction::initialize_mint2(
            token_program,
            &mint.pubkey(),
            &client.payer(),
            None,
            6,
        )
        .unwrap(),
        spl_associated_token_account::instruction::create_associated_token_account_idempotent(
            &client.payer(),
            owner,
            &mint.pubkey(),
            token_program,
        ),
        spl_token_2022::instruction::mint_to(
            token_program,
            &mint.pubkey(),
            &account,
            &client.payer(),
            &[],
            amount,
        )
        .unwrap(),
    ];
    client.send(&ixs, &[&mint]).await.unwrap();
    mint.pubkey()
}

/// The client over a Token-2022 drop: three items per mint transaction, held items
/// recognised for gates and benefits, a burn that reports the rent it returned, and the
/// item list naming the tier even of a burned item.
#[tokio::test]
async fn the_client_mints_three_token_2022_items_per_transaction_and_burns_for_their_rent() {
    use microdrop::state::{BenefitConfig, ItemStandard};
    let dir = tempfile::tempdir().unwrap();
    let (sandbox, creator) = setup(dir.path()).await;
    let id = "t22-sdk";
    let drop = pda::drop(&creator.payer(), id).0;
    let args = microdrop::instructions::CreateDropArgs {
        supply: 20,
        standard: ItemStandard::Token2022,
        ..drop_args(id)
    };
    creator.create_drop(args, None).await.unwrap();
    creator
        .add_tier(&drop, 0, tier("t", 1_000, 20, 10))
        .await
        .unwrap();
    creator
        .add_benefit(
            &drop,
            0,
            BenefitConfig {
                label: "perk".into(),
                burn: 1,
                supply: 5,
                start: None,
                end: None,
                tier_mask: 0,
            },
        )
        .await
        .unwrap();
    creator
        .set_drop_status(&drop, DropStatus::Active)
        .await
        .unwrap();
    sandbox.warp_to(T0).await.unwrap();

    let minted = creator.mint_items(&drop, 0, 7, None, None).await.unwrap();
    assert_eq!(minted.mints.len(), 7);
    assert_eq!(minted.signatures.len(), 3, "3 + 3 + 1 items");
    let state = creator.drop(&drop).await.unwrap();
    let collection = state.collection_mint;
    // The collection's symbol is in its Token-2022 metadata.
    assert_eq!(
        creator.token_symbol(&collection).await.unwrap().as_deref(),
        Some("ZINE")
    );
    let held = creator
        .held_items(&creator.payer(), &collection)
        .await
        .unwrap();
    assert_eq!(held.len(), 7);
    for item in &held {
        assert_eq!(item.metadata, item.mint, "a Token-2022 item proves itself");
        let (origin, index) = creator.item_origin(&item.mint).await.unwrap().unwrap();
        assert_eq!((origin, pda::item_mint(&drop, index).0), (drop, item.mint));
    }

    let first = pda::item_mint(&drop, 1).0;
    let accounts =
        microdrop_sdk::items::item_accounts(ItemStandard::Token2022, &drop, &creator.payer(), 1);
    let mut held_lamports = 0;
    for account in creator
        .accounts(&accounts)
        .await
        .unwrap()
        .into_iter()
        .flatten()
    {
        held_lamports += account.lamports;
    }
    let redeemed = creator.redeem(&drop, 0, None).await.unwrap();
    assert_eq!(redeemed.burned, vec![first]);
    assert_eq!(redeemed.returned, held_lamports, "all of the item's rent");

    let items = creator.items(&drop).await.unwrap();
    assert_eq!(items.len(), 7);
    assert!(items[0].burned && items[0].owner.is_none());
    assert_eq!(items[0].tier, Some(0), "from its mint's event");
    assert!(items[1..].iter().all(|i| !i.burned && i.tier == Some(0)));
}
