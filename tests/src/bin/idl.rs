//! Builds the program's Anchor IDL as `anchor build` does, without the Anchor CLI (through
//! `anchor-lang-idl`, which compiles the program's `idl-build` tests in `target/idl-build`).
//!
//! `idl` prints it; `idl --write` replaces the committed `idl/microdrop.json`; `idl --check`
//! exits 1, naming the first difference, when the committed file is not what the program
//! builds. The test suite runs `--check`, so CI fails on a drifted IDL.

use std::{path::PathBuf, process::ExitCode};

fn main() -> ExitCode {
    let workspace = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the tests crate sits in the workspace")
        .to_path_buf();
    let committed = workspace.join("idl/microdrop.json");
    // anchor-lang-idl would pass this on as a literal `+{toolchain}` argument; without it,
    // cargo takes the toolchain from rust-toolchain.toml as usual.
    std::env::remove_var("RUSTUP_TOOLCHAIN");
    let built = anchor_lang_idl::build::IdlBuilder::new()
        .program_path(workspace.join("programs/microdrop"))
        .cargo_args(vec![
            "--locked".into(),
            "--target-dir".into(),
            workspace.join("target/idl-build").display().to_string(),
        ])
        .build();
    let idl = match built {
        Ok(idl) => idl,
        Err(e) => {
            eprintln!("error: building the IDL: {e}");
            return ExitCode::FAILURE;
        }
    };
    let json = serde_json::to_string_pretty(&idl).expect("an IDL serializes") + "\n";
    match std::env::args().nth(1).as_deref() {
        None => print!("{json}"),
        Some("--write") => {
            if let Err(e) = std::fs::write(&committed, &json) {
                eprintln!("error: writing {}: {e}", committed.display());
                return ExitCode::FAILURE;
            }
            eprintln!("wrote {}", committed.display());
        }
        Some("--check") => {
            let current = std::fs::read_to_string(&committed).unwrap_or_default();
            if current != json {
                let line = current
                    .lines()
                    .zip(json.lines())
                    .position(|(a, b)| a != b)
                    .unwrap_or_else(|| current.lines().count().min(json.lines().count()));
                eprintln!(
                    "error: {} differs from the program's IDL from line {}: run `cargo run -p \
                     microdrop-tests --bin idl -- --write` and commit it",
                    committed.display(),
                    line + 1
                );
                return ExitCode::FAILURE;
            }
        }
        Some(other) => {
            eprintln!("usage: idl [--write | --check] (not {other:?})");
            return ExitCode::from(2);
        }
    }
    ExitCode::SUCCESS
}
