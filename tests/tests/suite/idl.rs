//! The committed IDL is the program's, and it serves TypeScript wallets: the Anchor
//! TypeScript client from npm decodes a Drop and a Tier dumped from the sandbox with it.

use std::{path::PathBuf, process::Command};

use base64::{prelude::BASE64_STANDARD, Engine};
use microdrop::state::{DropStatus, TierConfig};
use microdrop_sdk::{pda, sandbox::Sandbox, Keypair, Signer, LAMPORTS_PER_SOL};
use serde_json::Value;

use crate::support::{drop_args, sandbox_client, tier};

fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

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

fn node_available() -> bool {
    Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

#[tokio::test]
async fn the_typescript_client_decodes_accounts_with_the_idl() {
    if !node_available() {
        eprintln!(
            "SKIPPED the_typescript_client_decodes_accounts_with_the_idl: node is not \
             installed, so the IDL's TypeScript check cannot run here"
        );
        return;
    }
    let ts = workspace().join("ts");
    if !ts.join("node_modules/@anchor-lang/core").exists() {
        let install = Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund", "--ignore-scripts"])
            .current_dir(&ts)
            .output()
            .unwrap();
        assert!(
            install.status.success(),
            "npm ci in {}: {}",
            ts.display(),
            String::from_utf8_lossy(&install.stderr)
        );
    }

    let dir = tempfile::tempdir().unwrap();
    let sandbox = Sandbox::open(dir.path().join("sandbox")).await.unwrap();
    let payer = Keypair::new();
    sandbox
        .airdrop(&payer.pubkey(), 10 * LAMPORTS_PER_SOL)
        .await
        .unwrap();
    let client = sandbox_client(&sandbox, payer);
    let (drop, _) = client.create_drop(drop_args("typed"), None).await.unwrap();
    let config = TierConfig {
        allowlist_root: Some([7; 32]),
        regions: vec![*b"NL"],
        voucher_signer: Some(Keypair::new().pubkey()),
        ..tier("early birds", 123_456_789, 40, 3)
    };
    client.add_tier(&drop, 0, config.clone()).await.unwrap();
    client
        .set_drop_status(&drop, DropStatus::Active)
        .await
        .unwrap();

    let mut args = vec![
        ts.join("decode.mjs").display().to_string(),
        workspace().join("idl/microdrop.json").display().to_string(),
    ];
    for (name, address) in [("Drop", drop), ("Tier", pda::tier(&drop, 0).0)] {
        let data = client.account(&address).await.unwrap().unwrap().data;
        let file = dir.path().join(format!("{name}.b64"));
        std::fs::write(&file, BASE64_STANDARD.encode(data)).unwrap();
        args.push(format!("{name}={}", file.display()));
    }
    let out = Command::new("node").args(&args).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let decoded: Value = serde_json::from_slice(&out.stdout).unwrap();
    let (d, t) = (&decoded["Drop"], &decoded["Tier"]);
    let state = client.drop(&drop).await.unwrap();
    assert_eq!(d["authority"], client.payer().to_string(), "{d}");
    assert_eq!(d["id"], "typed");
    assert_eq!(d["supply"], state.supply.to_string());
    assert_eq!(d["collection_mint"], state.collection_mint.to_string());
    assert_eq!(d["seller_fee_bps"], 500);
    assert_eq!(d["tier_count"], 1);
    assert!(d["status"]["Active"].is_object(), "{d}");
    assert!(d["currency"]["Sol"].is_object(), "{d}");
    assert_eq!(t["drop"], drop.to_string(), "{t}");
    assert_eq!(t["label"], "early birds");
    assert_eq!(t["price"], "123456789");
    assert_eq!(t["supply"], "40");
    assert_eq!(t["per_wallet"], 3);
    assert_eq!(t["allowlist_root"], serde_json::json!(vec![7; 32]));
    assert_eq!(t["regions"], serde_json::json!([[78, 76]]));
}
