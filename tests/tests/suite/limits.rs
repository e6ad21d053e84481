//! The limits a real cluster enforces and the native runtime does not, measured for every
//! instruction at its maximum shape (`microdrop_tests::limits`).

use microdrop_sdk::{heap, microdrop::state::ItemStandard};
use microdrop_tests::{
    limits::{measure_all, measure_on, Limit, HEAP_BUDGET, TRACE_SPARE_FOR_WALLETS},
    Fixture, CREATE_ACCOUNT_ALLOW_PREFUND,
};

#[tokio::test]
async fn every_instruction_fits_the_sbpf_heap_and_leaves_mints_trace_to_spare() {
    let limits = measure_all().await;
    assert_within_limits(&limits);
    // Token-2022 items are small enough in the trace for three per transaction, with both
    // compute-budget instructions and 8 entries to spare; Token Metadata items, two.
    let plain = |tag: &str| {
        limits
            .iter()
            .find(|l| {
                l.name
                    .starts_with(&format!("[{tag}] mint, most items, plain"))
            })
            .unwrap_or_else(|| panic!("no plain {tag} mint in {limits:#?}"))
    };
    assert_eq!(plain("token-2022").items, Some(3));
    assert_eq!(plain("token-metadata").items, Some(2));
}

/// The same shapes where `init` would fail on a funded address (SIMD-0312 inactive, as on
/// clusters that have not activated it): every account is still created, the griefed
/// mint's records and the funded token ledger included.
#[tokio::test]
async fn every_instruction_works_and_fits_without_simd_0312() {
    for standard in [ItemStandard::TokenMetadata, ItemStandard::Token2022] {
        let f = Fixture::without_features(&[CREATE_ACCOUNT_ALLOW_PREFUND]).await;
        assert_within_limits(&measure_on(f, standard).await);
    }
}

fn assert_within_limits(limits: &[Limit]) {
    assert!(
        heap::installed(),
        "the suite's global allocator counts the heap"
    );
    assert!(limits.len() >= 20, "{limits:#?}");
    assert!(
        limits.iter().any(|l| l.griefed),
        "the griefed mint is measured"
    );
    for limit in limits {
        assert!(
            limit.heap_bytes > 0,
            "{}: no heap measured; is the counting allocator installed?",
            limit.name
        );
        assert!(
            limit.heap_bytes <= HEAP_BUDGET,
            "{}: {} bytes of sBPF heap, over the {HEAP_BUDGET}-byte budget",
            limit.name,
            limit.heap_bytes
        );
        assert!(
            limit.trace <= microdrop_sdk::instructions::MAX_TRACE,
            "{}: {} trace entries",
            limit.name,
            limit.trace
        );
        if let (Some(estimate), false) = (limit.estimated_trace, limit.griefed) {
            // The SDK's budget is an upper bound, and a close one.
            assert!(
                (limit.trace..=limit.trace + 2).contains(&estimate),
                "{}: the SDK budgets {estimate} trace entries, the mint used {}",
                limit.name,
                limit.trace
            );
        }
        if limit.mint && !limit.griefed {
            assert!(
                limit.trace_spare >= TRACE_SPARE_FOR_WALLETS,
                "{}: {} trace entries leave {} for wallets, fewer than {TRACE_SPARE_FOR_WALLETS}",
                limit.name,
                limit.trace,
                limit.trace_spare
            );
        }
    }
}
