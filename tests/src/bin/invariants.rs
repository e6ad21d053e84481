//! Runs the invariant suite for as many operations as asked:
//! `cargo run --release -p microdrop-tests --bin invariants -- --ops 100000 [--seed S]`.
//! Ends with the line `operations: N, violations: M`; exits 1 when M > 0.

fn main() -> std::process::ExitCode {
    let mut ops: u64 = 1_000;
    let mut seed: u64 = 1;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let value = args.next().and_then(|v| v.parse().ok());
        match (arg.as_str(), value) {
            ("--ops", Some(v)) => ops = v,
            ("--seed", Some(v)) => seed = v,
            _ => {
                eprintln!("usage: invariants [--ops N] [--seed S]");
                return std::process::ExitCode::from(2);
            }
        }
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    // Runs of a few hundred operations each, on fresh runtimes, until `ops` are done.
    const RUN: u64 = 400;
    let mut operations = 0;
    let mut violations = Vec::new();
    let mut run = 0;
    while operations < ops {
        let n = RUN.min(ops - operations);
        let report = runtime.block_on(microdrop_tests::invariants::run(n, seed.wrapping_add(run)));
        operations += report.operations;
        for v in &report.violations {
            eprintln!("seed {}: {v}", seed.wrapping_add(run));
        }
        violations.extend(report.violations);
        run += 1;
        if report.operations == 0 {
            break;
        }
    }
    println!("operations: {operations}, violations: {}", violations.len());
    if violations.is_empty() {
        std::process::ExitCode::SUCCESS
    } else {
        std::process::ExitCode::FAILURE
    }
}
