//! microdrop's integration suite: one binary, one module per instruction, plus the SDK
//! client over the embedded sandbox.

mod audit;
mod benefits;
mod create_drop;
mod demand;
mod faults;
mod idl;
mod limits;
mod lookup_table;
mod mint;
mod sandbox;
mod sdk_client;
mod security;
mod set_drop_status;
mod splits;
mod support;
mod tiers;
mod token_2022;
mod vectors;
mod vouchers;

/// Charges microdrop's allocations to the sBPF heap model (`limits` reads it).
#[global_allocator]
static ALLOCATOR: microdrop_sdk::heap::CountingAllocator = microdrop_sdk::heap::CountingAllocator;

/// The invariant suite at CI size; `--bin invariants -- --ops 100000` runs it long.
#[tokio::test]
async fn invariants_hold_over_random_operations() {
    // Odd seeds run a drop priced in an SPL token, even seeds one priced in SOL; seeds 2
    // and 3 run Token-2022 items, 1 and 4 Token Metadata items: every pairing once. Seeds
    // 5-8 run preorders with airdrops, transfers and refunds: 5 (tokens, Token Metadata)
    // and 6 (SOL, Token-2022) fail and refund, 7 and 8 meet their minimum.
    for seed in 1..=8 {
        let report = microdrop_tests::invariants::run(400, seed).await;
        assert!(report.accepted > 20 && report.refused > 5, "{report:?}");
        let accepted = |name: &str| report.accepted_by.get(name).copied().unwrap_or(0);
        if seed >= 5 {
            assert!(
                accepted("airdrop") > 0 && accepted("transfer") > 0,
                "{report:?}"
            );
        }
        if seed == 5 || seed == 6 {
            assert!(
                accepted("refund") > 0,
                "a failed preorder refunds: {report:?}"
            );
        }
        assert!(
            report.violations.is_empty(),
            "seed {seed}: {:#?}",
            report.violations
        );
    }
}
