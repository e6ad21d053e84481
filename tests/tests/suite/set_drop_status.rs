//! `set_drop_status`: the drop's life cycle, and every transition it refuses.

use microdrop::{
    errors::MicrodropError,
    events::DropStatusChanged,
    state::{Drop, DropStatus},
};
use microdrop_sdk::{events::Event, instructions, Keypair, Pubkey, Signer};
use microdrop_tests::{assert_tx_error, program_error, Fixture, SOL};

use crate::support::create_drop_ix;

async fn drop_in_draft(f: &mut Fixture, id: &str) -> (Keypair, Pubkey) {
    let creator = f.wallet(10 * SOL).await;
    let (drop, ix) = create_drop_ix(&creator.pubkey(), crate::support::drop_args(id));
    f.send(&[ix], &creator, &[]).await.expect("create_drop");
    (creator, drop)
}

async fn set(
    f: &mut Fixture,
    signer: &Keypair,
    drop: &Pubkey,
    status: DropStatus,
) -> Result<(), solana_transaction_error::TransactionError> {
    let ix = instructions::set_drop_status(&signer.pubkey(), drop, status);
    f.send(&[ix], signer, &[]).await
}

async fn status_of(f: &mut Fixture, drop: &Pubkey) -> DropStatus {
    f.anchor_account::<Drop>(drop).await.status
}

#[tokio::test]
async fn walks_the_whole_life_cycle() {
    use DropStatus::*;
    let mut f = Fixture::new().await;
    let (creator, drop) = drop_in_draft(&mut f, "life").await;
    let mut previous = Draft;
    for (step, next) in [Active, Paused, Active, Paused, Closed]
        .into_iter()
        .enumerate()
    {
        // Time passes between steps; each event carries the time of its change.
        let at = 1_900_000_000 + 3_600 * i64::try_from(step).unwrap();
        f.warp_to(at).await;
        let ix = instructions::set_drop_status(&creator.pubkey(), &drop, next);
        let events = f
            .send_with_events(&[ix], &creator, &[])
            .await
            .expect("legal transition");
        assert_eq!(status_of(&mut f, &drop).await, next);
        assert_eq!(
            events,
            vec![Event::DropStatusChanged(DropStatusChanged {
                drop,
                old_status: previous,
                new_status: next,
                timestamp: at,
            })]
        );
        previous = next;
    }
}

#[tokio::test]
async fn any_open_status_can_close() {
    use DropStatus::*;
    let mut f = Fixture::new().await;
    for (i, path) in [vec![], vec![Active], vec![Active, Paused]]
        .into_iter()
        .enumerate()
    {
        let (creator, drop) = drop_in_draft(&mut f, &format!("close-{i}")).await;
        for status in path {
            set(&mut f, &creator, &drop, status).await.unwrap();
        }
        set(&mut f, &creator, &drop, Closed).await.expect("close");
        assert_eq!(status_of(&mut f, &drop).await, Closed);
    }
}

#[tokio::test]
async fn refuses_illegal_transitions() {
    use DropStatus::*;
    let mut f = Fixture::new().await;
    // (path to reach the start state, refused target)
    let cases = [
        (vec![], Draft),
        (vec![], Paused),
        (vec![Active], Active),
        (vec![Active], Draft),
        (vec![Active, Paused], Paused),
        (vec![Active, Paused], Draft),
    ];
    for (i, (path, target)) in cases.into_iter().enumerate() {
        let (creator, drop) = drop_in_draft(&mut f, &format!("illegal-{i}")).await;
        for status in &path {
            set(&mut f, &creator, &drop, *status).await.unwrap();
        }
        let before = status_of(&mut f, &drop).await;
        assert_tx_error(
            set(&mut f, &creator, &drop, target).await,
            program_error(0, MicrodropError::DropStatusTransitionInvalid),
        );
        assert_eq!(
            status_of(&mut f, &drop).await,
            before,
            "{path:?} -> {target:?}"
        );
    }
}

#[tokio::test]
async fn closed_is_final() {
    use DropStatus::*;
    let mut f = Fixture::new().await;
    let (creator, drop) = drop_in_draft(&mut f, "final").await;
    set(&mut f, &creator, &drop, Closed).await.unwrap();
    for target in [Draft, Active, Paused, Closed] {
        assert_tx_error(
            set(&mut f, &creator, &drop, target).await,
            program_error(0, MicrodropError::DropClosed),
        );
        assert_eq!(status_of(&mut f, &drop).await, Closed);
    }
}

#[tokio::test]
async fn only_the_authority_can_change_status() {
    let mut f = Fixture::new().await;
    let (_creator, drop) = drop_in_draft(&mut f, "guarded").await;
    let stranger = f.wallet(SOL).await;
    assert_tx_error(
        set(&mut f, &stranger, &drop, DropStatus::Active).await,
        program_error(0, MicrodropError::DropAuthorityMismatch),
    );
    assert_eq!(status_of(&mut f, &drop).await, DropStatus::Draft);
}

#[tokio::test]
async fn the_authority_must_sign_a_status_change() {
    let mut f = Fixture::new().await;
    let (creator, drop) = drop_in_draft(&mut f, "unsigned-status").await;
    let payer = f.wallet(SOL).await;
    let mut ix = instructions::set_drop_status(&creator.pubkey(), &drop, DropStatus::Active);
    ix.accounts[0].is_signer = false;
    assert_tx_error(
        f.send(&[ix], &payer, &[]).await,
        microdrop_tests::anchor_error(0, anchor_lang::error::ErrorCode::AccountNotSigner),
    );
    assert_eq!(status_of(&mut f, &drop).await, DropStatus::Draft);
}
