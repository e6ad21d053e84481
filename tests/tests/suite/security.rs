//! The security classes not already covered by the per-instruction modules; the table in
//! the `microdrop-tests` crate docs maps every class to its tests.

use anchor_lang::error::ErrorCode as AnchorErrorCode;
use microdrop::{
    errors::MicrodropError,
    state::{Drop, Tier},
};
use microdrop_sdk::{instructions, pda, Pubkey, Signer};
use microdrop_tests::{
    anchor_error, assert_tx_error, program_error, Fixture, InstructionError, SOL,
};
use solana_transaction_error::TransactionError;

use crate::support::{launch, mint, mint_ixs, snapshot, tier, T0};

/// price × quantity past u64::MAX fails with a named error, and nothing moves.
#[tokio::test]
async fn arithmetic_at_u64_limits_is_refused_by_name() {
    let mut f = Fixture::new().await;
    let d = launch(
        &mut f,
        "huge-price",
        10,
        None,
        vec![tier("a", u64::MAX / 2 + 1, 10, 5)],
    )
    .await;
    f.warp_to(T0).await;
    let buyer = f.wallet(SOL).await;
    let ixs = mint_ixs(&mut f, &d.address, 0, &buyer.pubkey(), 2, None).await;
    let before = snapshot(&mut f, &d.address, &buyer.pubkey()).await;
    assert_tx_error(
        f.send(&ixs, &buyer, &[]).await,
        program_error(1, MicrodropError::ArithmeticOverflow),
    );
    assert_eq!(snapshot(&mut f, &d.address, &buyer.pubkey()).await, before);
    // One item at that price is merely unaffordable: the System program refuses the payment.
    let ixs = mint_ixs(&mut f, &d.address, 0, &buyer.pubkey(), 1, None).await;
    assert_tx_error(
        f.send(&ixs, &buyer, &[]).await,
        TransactionError::InstructionError(1, InstructionError::Custom(1)),
    );
    assert_eq!(snapshot(&mut f, &d.address, &buyer.pubkey()).await, before);
}

/// The same item twice in a redemption, or the same mutable account twice, is refused.
#[tokio::test]
async fn duplicated_accounts_are_refused() {
    let mut f = Fixture::new().await;
    let d = launch(&mut f, "dupes", 10, None, vec![tier("a", SOL / 100, 10, 5)]).await;
    f.warp_to(T0).await;
    let holder = f.wallet(SOL).await;
    mint(&mut f, &d.address, 0, &holder, 2).await.unwrap();
    let config = microdrop::state::BenefitConfig {
        label: "pair".into(),
        burn: 2,
        supply: 5,
        start: None,
        end: None,
        tier_mask: 0,
    };
    let ix = instructions::add_benefit(&d.creator.pubkey(), &d.address, 0, config);
    f.send(&[ix], &d.creator, &[]).await.unwrap();
    let ix = instructions::redeem(
        &holder.pubkey(),
        &d.address,
        microdrop::state::ItemStandard::TokenMetadata,
        &d.collection_mint,
        0,
        0,
        &[1, 1],
    );
    assert_tx_error(
        f.send(
            &[instructions::compute_unit_limit(1_400_000), ix],
            &holder,
            &[],
        )
        .await,
        program_error(1, MicrodropError::ItemAccountsMismatch),
    );
    let state: Drop = f.anchor_account(&d.address).await;
    assert_eq!(state.burned, 0);

    // The buyer's token account passed again as the vault's (both mutable) on an SPL drop.
    let treasurer = f.wallet(SOL).await;
    let usdc = crate::create_drop::create_mint(&mut f, &treasurer).await;
    let spl = launch(
        &mut f,
        "dupes-spl",
        10,
        Some(usdc),
        vec![tier("a", 1_000, 10, 5)],
    )
    .await;
    let buyer_usdc =
        crate::support::fund_tokens(&mut f, &treasurer, &usdc, &holder.pubkey(), 10_000).await;
    let mut ixs = mint_ixs(&mut f, &spl.address, 0, &holder.pubkey(), 1, None).await;
    let vault_usdc = pda::associated_token(&pda::vault(&spl.address).0, &usdc).0;
    let slot = ixs[1]
        .accounts
        .iter()
        .position(|m| m.pubkey == vault_usdc)
        .unwrap();
    ixs[1].accounts[slot].pubkey = buyer_usdc;
    let before = snapshot(&mut f, &spl.address, &holder.pubkey()).await;
    let result = f.send(&ixs, &holder, &[]).await;
    assert_eq!(
        result,
        Err(anchor_error(
            1,
            AnchorErrorCode::ConstraintDuplicateMutableAccount
        ))
    );
    assert_eq!(
        snapshot(&mut f, &spl.address, &holder.pubkey()).await,
        before
    );
}

/// CPIs go only to the real SPL Token and Associated Token programs.
#[tokio::test]
async fn fake_token_and_ata_programs_are_refused() {
    let mut f = Fixture::new().await;
    let d = launch(
        &mut f,
        "fake-token",
        10,
        None,
        vec![tier("a", SOL / 100, 10, 5)],
    )
    .await;
    f.warp_to(T0).await;
    let buyer = f.wallet(SOL).await;
    let mut ixs = mint_ixs(&mut f, &d.address, 0, &buyer.pubkey(), 1, None).await;
    let slot = ixs[1]
        .accounts
        .iter()
        .position(|m| m.pubkey == microdrop_sdk::TOKEN_PROGRAM_ID)
        .unwrap();
    // Token-2022 is executable and real, but not the program items are minted with.
    ixs[1].accounts[slot].pubkey =
        Pubkey::from_str_const("TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb");
    assert_tx_error(
        f.send(&ixs, &buyer, &[]).await,
        anchor_error(1, AnchorErrorCode::InvalidProgramId),
    );
    let mut ixs = mint_ixs(&mut f, &d.address, 0, &buyer.pubkey(), 1, None).await;
    let slot = ixs[1]
        .accounts
        .iter()
        .position(|m| m.pubkey == microdrop_sdk::ASSOCIATED_TOKEN_PROGRAM_ID)
        .unwrap();
    ixs[1].accounts[slot].pubkey =
        Pubkey::from_str_const("MemoSq4gqABAXKb96qnH8TysNcWxMyWCqXgDLGmfcHr");
    assert_tx_error(
        f.send(&ixs, &buyer, &[]).await,
        anchor_error(1, AnchorErrorCode::InvalidProgramId),
    );
    let state: Drop = f.anchor_account(&d.address).await;
    assert_eq!(state.minted, 0);
}

/// Time comes from the Clock sysvar through its syscall, never from an account: an
/// account that looks like a later clock changes nothing.
#[tokio::test]
async fn a_fake_clock_account_is_ignored() {
    let mut f = Fixture::new().await;
    let d = launch(
        &mut f,
        "fake-clock",
        10,
        None,
        vec![tier("a", SOL / 100, 10, 5)],
    )
    .await;
    f.warp_to(T0 - 10).await;
    let buyer = f.wallet(SOL).await;
    let fake = Pubkey::new_unique();
    let mut clock = vec![0u8; 40];
    clock[32..40].copy_from_slice(&(T0 + 1_000).to_le_bytes());
    f.context.set_account(
        &fake,
        &solana_account::Account {
            lamports: SOL,
            data: clock,
            owner: Pubkey::from_str_const("Sysvar1111111111111111111111111111111111111"),
            executable: false,
            rent_epoch: 0,
        }
        .into(),
    );
    // Passed along (where an unwary program might read it), it changes nothing: the real
    // clock still says the tier has not started.
    let mut ixs = mint_ixs(&mut f, &d.address, 0, &buyer.pubkey(), 1, None).await;
    ixs[1]
        .accounts
        .push(solana_message::AccountMeta::new_readonly(fake, false));
    assert_tx_error(
        f.send(&ixs, &buyer, &[]).await,
        program_error(1, MicrodropError::TierNotStarted),
    );
    f.warp_to(T0).await;
    mint(&mut f, &d.address, 0, &buyer, 1)
        .await
        .expect("open by the real clock");
}

/// Only canonical bumps: a tier account at a non-canonical address of the same seeds
/// cannot exist (the program only ever creates the canonical one), and passing any other
/// address for it is refused.
#[tokio::test]
async fn non_canonical_addresses_are_refused() {
    let mut f = Fixture::new().await;
    let d = launch(&mut f, "bumps", 10, None, vec![tier("a", SOL / 100, 10, 5)]).await;
    let (canonical, bump) = pda::tier(&d.address, 0);
    let stored: Tier = f.anchor_account(&canonical).await;
    assert_eq!(stored.bump, bump, "the canonical bump is stored and reused");
    let other_bump = (0..bump)
        .rev()
        .find_map(|b| {
            Pubkey::create_program_address(
                &[b"tier", d.address.as_ref(), &[0], &[b]],
                &microdrop::ID,
            )
            .ok()
        })
        .expect("a non-canonical tier address");
    let mut ix =
        instructions::update_tier(&d.creator.pubkey(), &d.address, 0, tier("x", SOL, 1, 1));
    ix.accounts[2].pubkey = other_bump;
    let result = f.send(&[ix], &d.creator, &[]).await;
    assert_eq!(
        result,
        Err(anchor_error(0, AnchorErrorCode::AccountNotInitialized))
    );
}

/// An existing tier cannot be created again: `add_tier` only ever makes the next id.
#[tokio::test]
async fn an_existing_tier_cannot_be_reinitialised() {
    let mut f = Fixture::new().await;
    let d = launch(&mut f, "reinit", 10, None, vec![tier("a", SOL / 100, 5, 5)]).await;
    let pause = instructions::set_drop_status(
        &d.creator.pubkey(),
        &d.address,
        microdrop::state::DropStatus::Paused,
    );
    f.send(&[pause], &d.creator, &[]).await.unwrap();
    let mut ix = instructions::add_tier(&d.creator.pubkey(), &d.address, 1, tier("b", SOL, 1, 1));
    ix.accounts[2].pubkey = pda::tier(&d.address, 0).0;
    assert_tx_error(
        f.send(&[ix], &d.creator, &[]).await,
        anchor_error(0, AnchorErrorCode::ConstraintSeeds),
    );
    let first: Tier = f.anchor_account(&pda::tier(&d.address, 0).0).await;
    assert_eq!(first.label, "a");
}
