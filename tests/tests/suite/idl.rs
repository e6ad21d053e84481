//! The committed IDL is the program's. TypeScript wallets use the client Codama generates
//! from it (`clients/js`), whose own tests decode the drop and tiers through the served
//! sandbox.

use std::process::Command;

/// CI fails here when the program changed and `idl/microdrop.json` was not rebuilt.
#[test]
fn the_committed_idl_is_the_programs() {
    let out = Command::new(env!("CARGO_BIN_EXE_idl"))
        .arg("--check")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
