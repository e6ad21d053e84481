//! `create_drop`: the drop account, its sized collection NFT, and every refusal.

use anchor_lang::error::ErrorCode as AnchorErrorCode;
use anchor_spl::metadata::mpl_token_metadata::types::{CollectionDetails, Key};
use microdrop::{
    errors::MicrodropError,
    events::DropCreated,
    instructions::CreateDropArgs,
    state::{Currency, Drop, DropStatus},
};
use microdrop_sdk::{accounts, events::Event, instructions, pda, Signer};
use microdrop_tests::{
    anchor_error, assert_tx_error, program_error, Fixture, InstructionError, SOL,
};
use solana_transaction_error::TransactionError;

use crate::support::{create_drop_ix, drop_args};

#[tokio::test]
async fn creates_a_drop_and_its_verified_sized_collection() {
    let mut f = Fixture::new().await;
    let creator = f.wallet(10 * SOL).await;
    let (drop, ix) = create_drop_ix(&creator.pubkey(), drop_args("spring-zine"));
    let now = f.now().await;
    let events = f
        .send_with_events(&[ix], &creator, &[])
        .await
        .expect("create_drop");

    let state: Drop = f.anchor_account(&drop).await;
    let collection_mint = pda::collection_mint(&drop).0;
    assert_eq!(
        events,
        vec![Event::DropCreated(DropCreated {
            drop,
            authority: creator.pubkey(),
            id: "spring-zine".into(),
            collection_mint,
            supply: 250,
            currency: Currency::Sol,
            seller_fee_bps: 500,
            minimum: 0,
            deadline: 0,
            timestamp: now,
        })]
    );
    assert_eq!(state.authority, creator.pubkey());
    assert_eq!(state.id, "spring-zine");
    assert_eq!(state.collection_mint, collection_mint);
    assert_eq!(state.name, "Spring Zine");
    assert_eq!(state.symbol, "ZINE");
    assert_eq!(state.uri, "https://example.com/zine/collection.json");
    assert_eq!(state.item_uri, "https://example.com/zine/{index}.json");
    assert_eq!((state.supply, state.minted, state.burned), (250, 0, 0));
    assert_eq!(state.status, DropStatus::Draft);
    assert_eq!(state.currency, Currency::Sol);
    assert_eq!(state.seller_fee_bps, 500);
    assert_eq!(state.bump, pda::drop(&creator.pubkey(), "spring-zine").1);
    assert_eq!(state.collection_mint_bump, pda::collection_mint(&drop).1);

    // The collection NFT's metadata, as Token Metadata wrote it.
    let metadata_account = f.account(&pda::metadata(&collection_mint).0).await.unwrap();
    assert_eq!(
        metadata_account.owner,
        microdrop_sdk::TOKEN_METADATA_PROGRAM_ID
    );
    assert_eq!(
        metadata_account.data.len(),
        microdrop_sdk::METADATA_ACCOUNT_LEN
    );
    let metadata = accounts::decode_metadata(&metadata_account.data).unwrap();
    assert_eq!(metadata.key, Key::MetadataV1);
    assert_eq!(metadata.mint, collection_mint);
    assert_eq!(metadata.name, "Spring Zine");
    assert_eq!(metadata.symbol, "ZINE");
    assert_eq!(metadata.uri, "https://example.com/zine/collection.json");
    assert_eq!(
        metadata.update_authority, drop,
        "the drop PDA can verify items"
    );
    assert_eq!(
        metadata.collection_details,
        Some(CollectionDetails::V1 { size: 0 })
    );
    assert!(metadata.is_mutable);
    assert!(metadata.collection.is_none());

    // A master edition with no prints: the collection NFT is one of one.
    let edition_address = pda::master_edition(&collection_mint).0;
    let edition_account = f.account(&edition_address).await.unwrap();
    assert_eq!(
        edition_account.data.len(),
        microdrop_sdk::MASTER_EDITION_ACCOUNT_LEN
    );
    let edition = accounts::decode_master_edition(&edition_account.data).unwrap();
    assert_eq!(edition.key, Key::MasterEditionV2);
    assert_eq!(edition.max_supply, Some(0));
    assert_eq!(edition.supply, 0);

    // The creator holds the one token, and the edition now controls the mint.
    let mint: anchor_spl::token::Mint = f.anchor_account(&collection_mint).await;
    assert_eq!(mint.supply, 1);
    assert_eq!(mint.decimals, 0);
    assert_eq!(mint.mint_authority, Some(edition_address).into());
    let token: anchor_spl::token::TokenAccount = f
        .anchor_account(&pda::associated_token(&creator.pubkey(), &collection_mint).0)
        .await;
    assert_eq!(token.owner, creator.pubkey());
    assert_eq!(token.amount, 1);
}

#[tokio::test]
async fn prices_a_drop_in_an_spl_token() {
    let mut f = Fixture::new().await;
    let creator = f.wallet(10 * SOL).await;
    let currency = create_mint(&mut f, &creator).await;
    let args = drop_args("usdc-drop");
    let drop = pda::drop(&creator.pubkey(), &args.id).0;
    let ix = instructions::create_drop(&creator.pubkey(), Some(&currency), args);
    f.send(&[ix], &creator, &[]).await.expect("create_drop");
    let state: Drop = f.anchor_account(&drop).await;
    assert_eq!(state.currency, Currency::Spl { mint: currency });
}

#[tokio::test]
async fn accepts_every_argument_at_its_limit() {
    let mut f = Fixture::new().await;
    let creator = f.wallet(10 * SOL).await;
    let args = CreateDropArgs {
        id: "a".repeat(32),
        // 28 bytes + " #9999" = 32: the longest item name still fits.
        name: "n".repeat(26),
        symbol: "S".repeat(10),
        uri: "u".repeat(200),
        // The template itself is at most 200 bytes (it renders to 197 here).
        item_uri: format!("{}{{index}}", "i".repeat(193)),
        supply: 9_999,
        seller_fee_bps: 10_000,
        splits: drop_args("x").splits,
        voucher_salt: microdrop_sdk::instructions::voucher_salt(),
        ..drop_args("x")
    };
    let (drop, ix) = create_drop_ix(&creator.pubkey(), args);
    f.send(&[ix], &creator, &[])
        .await
        .expect("limits are inclusive");
    let state: Drop = f.anchor_account(&drop).await;
    assert_eq!(state.seller_fee_bps, 10_000);
}

/// Each invalid argument fails with its own named error, and nothing is created.
#[tokio::test]
async fn rejects_each_invalid_argument_by_name() {
    use MicrodropError::*;
    type Mutation = Box<dyn Fn(&mut CreateDropArgs)>;
    let cases: Vec<(&str, Mutation, MicrodropError)> = vec![
        (
            "empty id",
            Box::new(|a| a.id = String::new()),
            DropIdInvalid,
        ),
        (
            "id of 33 bytes",
            Box::new(|a| a.id = "a".repeat(33)),
            DropIdInvalid,
        ),
        (
            "id with capitals",
            Box::new(|a| a.id = "Spring".into()),
            DropIdInvalid,
        ),
        (
            "id with a space",
            Box::new(|a| a.id = "spring zine".into()),
            DropIdInvalid,
        ),
        (
            "empty name",
            Box::new(|a| a.name = String::new()),
            DropNameInvalid,
        ),
        (
            "name of 33 bytes",
            Box::new(|a| a.name = "n".repeat(33)),
            DropNameInvalid,
        ),
        (
            "name too long for '#250'",
            Box::new(|a| a.name = "n".repeat(28)),
            DropNameTooLongForItems,
        ),
        (
            "symbol of 11 bytes",
            Box::new(|a| a.symbol = "S".repeat(11)),
            DropSymbolTooLong,
        ),
        (
            "empty uri",
            Box::new(|a| a.uri = String::new()),
            DropUriInvalid,
        ),
        (
            "uri of 201 bytes",
            Box::new(|a| a.uri = "u".repeat(201)),
            DropUriInvalid,
        ),
        (
            "item uri without {index}",
            Box::new(|a| a.item_uri = "https://example.com/item.json".into()),
            DropItemUriInvalid,
        ),
        (
            "item uri rendering past 200 bytes",
            Box::new(|a| a.item_uri = format!("{}{{index}}", "i".repeat(198))),
            DropItemUriInvalid,
        ),
        (
            // Audit finding 8: the rendering fits, the stored template would not.
            "item uri template of 204 bytes rendering to 192",
            Box::new(|a| {
                a.supply = 9;
                a.item_uri = format!("{}{{index}}{{index}}", "i".repeat(190));
            }),
            DropItemUriInvalid,
        ),
        ("supply 0", Box::new(|a| a.supply = 0), DropSupplyZero),
        (
            "supply above what the item-tier table records",
            Box::new(|a| a.supply = microdrop::constants::MAX_SUPPLY + 1),
            DropSupplyTooLarge,
        ),
        (
            "voucher salt of zeros",
            Box::new(|a| a.voucher_salt = [0; 32]),
            DropVoucherSaltInvalid,
        ),
        (
            "fee 10001 bps",
            Box::new(|a| a.seller_fee_bps = 10_001),
            DropSellerFeeTooHigh,
        ),
    ];
    let mut f = Fixture::new().await;
    let creator = f.wallet(10 * SOL).await;
    for (i, (what, mutate, expected)) in cases.into_iter().enumerate() {
        let mut args = drop_args(&format!("case-{i}"));
        mutate(&mut args);
        let drop = pda::drop(&creator.pubkey(), &args.id).0;
        let before = f.balance(&creator.pubkey()).await;
        let ix = instructions::create_drop(&creator.pubkey(), None, args);
        let result = f.send(&[ix], &creator, &[]).await;
        assert_eq!(result, Err(program_error(0, expected)), "{what}");
        assert!(f.account(&drop).await.is_none(), "{what}: no drop");
        assert_eq!(
            f.balance(&creator.pubkey()).await,
            before,
            "{what}: nothing spent"
        );
    }
}

#[tokio::test]
async fn the_same_drop_cannot_be_created_twice() {
    let mut f = Fixture::new().await;
    let creator = f.wallet(10 * SOL).await;
    let (drop, ix) = create_drop_ix(&creator.pubkey(), drop_args("twice"));
    f.send(&[ix], &creator, &[]).await.expect("first create");
    let first: Drop = f.anchor_account(&drop).await;
    let before = f.balance(&creator.pubkey()).await;

    let (_, again) = create_drop_ix(&creator.pubkey(), drop_args("twice"));
    // Anchor's `init` asks the System program to create the account, which refuses with
    // AccountAlreadyInUse (0), reported through microdrop's instruction.
    assert_tx_error(
        f.send(&[again], &creator, &[]).await,
        TransactionError::InstructionError(0, InstructionError::Custom(0)),
    );
    let after: Drop = f.anchor_account(&drop).await;
    assert_eq!(after.id, first.id);
    assert_eq!(f.balance(&creator.pubkey()).await, before);
}

#[tokio::test]
async fn a_creator_cannot_create_a_drop_at_another_creators_address() {
    let mut f = Fixture::new().await;
    let victim = f.wallet(SOL).await;
    let attacker = f.wallet(10 * SOL).await;
    // The attacker signs, but aims at the drop address derived from the victim and the id.
    let mut ix = instructions::create_drop(&attacker.pubkey(), None, drop_args("front-run"));
    let victims_drop = pda::drop(&victim.pubkey(), "front-run").0;
    ix.accounts[1].pubkey = victims_drop;
    assert_tx_error(
        f.send(&[ix], &attacker, &[]).await,
        anchor_error(0, AnchorErrorCode::ConstraintSeeds),
    );
    assert!(f.account(&victims_drop).await.is_none());

    // The same id under the attacker's own key is a different drop and leaves the victim's
    // address free.
    let (own, ix) = create_drop_ix(&attacker.pubkey(), drop_args("front-run"));
    f.send(&[ix], &attacker, &[]).await.expect("own drop");
    assert_ne!(own, victims_drop);
    let (victims, ix) = create_drop_ix(&victim.pubkey(), drop_args("front-run"));
    f.transfer(&victim.pubkey(), 5 * SOL).await;
    f.send(&[ix], &victim, &[]).await.expect("victim's drop");
    assert_eq!(victims, victims_drop);
}

#[tokio::test]
async fn the_authority_must_sign() {
    let mut f = Fixture::new().await;
    let creator = f.wallet(10 * SOL).await;
    let payer = f.wallet(10 * SOL).await;
    let (drop, mut ix) = create_drop_ix(&creator.pubkey(), drop_args("unsigned"));
    ix.accounts[0].is_signer = false;
    assert_tx_error(
        f.send(&[ix], &payer, &[]).await,
        anchor_error(0, AnchorErrorCode::AccountNotSigner),
    );
    assert!(f.account(&drop).await.is_none());
}

#[tokio::test]
async fn rejects_a_currency_that_is_not_a_mint() {
    let mut f = Fixture::new().await;
    let creator = f.wallet(10 * SOL).await;
    let not_a_mint = f.wallet(SOL).await.pubkey();
    let args = drop_args("bad-currency");
    let drop = pda::drop(&creator.pubkey(), &args.id).0;
    let ix = instructions::create_drop(&creator.pubkey(), Some(&not_a_mint), args);
    assert_tx_error(
        f.send(&[ix], &creator, &[]).await,
        anchor_error(0, AnchorErrorCode::AccountOwnedByWrongProgram),
    );
    assert!(f.account(&drop).await.is_none());
}

#[tokio::test]
async fn rejects_a_fake_token_metadata_program() {
    let mut f = Fixture::new().await;
    let creator = f.wallet(10 * SOL).await;
    let (drop, mut ix) = create_drop_ix(&creator.pubkey(), drop_args("fake-tm"));
    let position = ix
        .accounts
        .iter()
        .position(|m| m.pubkey == microdrop_sdk::TOKEN_METADATA_PROGRAM_ID)
        .unwrap();
    ix.accounts[position].pubkey = spl_memo_like_program();
    assert_tx_error(
        f.send(&[ix], &creator, &[]).await,
        anchor_error(0, AnchorErrorCode::InvalidProgramId),
    );
    assert!(f.account(&drop).await.is_none());
}

/// An executable program that is not Token Metadata (SPL Memo ships with the runtime).
fn spl_memo_like_program() -> microdrop_sdk::Pubkey {
    microdrop_sdk::Pubkey::from_str_const("MemoSq4gqABAXKb96qnH8TysNcWxMyWCqXgDLGmfcHr")
}

/// A new SPL mint with 6 decimals whose authority is `owner`.
pub async fn create_mint(f: &mut Fixture, owner: &microdrop_sdk::Keypair) -> microdrop_sdk::Pubkey {
    f.create_token_mint(owner).await
}
