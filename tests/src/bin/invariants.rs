//! Runs the invariant suite for as many operations as asked:
//! `cargo run --release -p microdrop-tests --bin invariants -- --ops 100000 [--seed S] [--jobs J]`.
//!
//! The operations are split into runs of up to 400 steps, each on a fresh
//! runtime with its own seed (`S + run index`, printed with any violation so it
//! can be replayed). A run skips some steps (an early close is only sometimes
//! attempted), so runs are started until at least N operations are done.
//! `--jobs` (default: the number of cores) runs that many side by side.
//! Progress goes to stderr after each run; the last line on stdout is
//! `operations: N, violations: M`; exits 1 when M > 0.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Mutex;

const RUN: u64 = 400;

fn main() -> std::process::ExitCode {
    let mut ops: u64 = 1_000;
    let mut seed: u64 = 1;
    let mut jobs: u64 = std::thread::available_parallelism().map_or(1, |n| n.get() as u64);
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let value = args.next().and_then(|v| v.parse().ok());
        match (arg.as_str(), value) {
            ("--ops", Some(v)) => ops = v,
            ("--seed", Some(v)) => seed = v,
            ("--jobs", Some(v)) if v > 0 => jobs = v,
            _ => {
                eprintln!("usage: invariants [--ops N] [--seed S] [--jobs J]");
                return std::process::ExitCode::from(2);
            }
        }
    }
    let next_run = AtomicU64::new(0);
    let operations = AtomicU64::new(0);
    let exhausted = AtomicBool::new(false);
    let violations = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..jobs.min(ops.div_ceil(RUN)) {
            scope.spawn(|| {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("tokio runtime");
                loop {
                    if operations.load(Ordering::Relaxed) >= ops
                        || exhausted.load(Ordering::Relaxed)
                    {
                        break;
                    }
                    let run = next_run.fetch_add(1, Ordering::Relaxed);
                    let n = RUN.min(ops);
                    let run_seed = seed.wrapping_add(run);
                    let report = runtime.block_on(microdrop_tests::invariants::run(n, run_seed));
                    if report.operations == 0 {
                        exhausted.store(true, Ordering::Relaxed);
                    }
                    let done = operations.fetch_add(report.operations, Ordering::Relaxed)
                        + report.operations;
                    let mut all = violations.lock().expect("violations lock");
                    for v in &report.violations {
                        eprintln!("seed {run_seed}: {v}");
                    }
                    all.extend(report.violations);
                    eprintln!(
                        "progress: {done}/{ops} operations, {} violations",
                        all.len()
                    );
                }
            });
        }
    });
    let operations = operations.into_inner();
    let violations = violations.into_inner().expect("violations lock");
    println!("operations: {operations}, violations: {}", violations.len());
    if violations.is_empty() {
        std::process::ExitCode::SUCCESS
    } else {
        std::process::ExitCode::FAILURE
    }
}
