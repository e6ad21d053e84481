//! The `microdrop` binary as users and scripts run it: exit codes, JSON documents, and
//! the sandbox persisting between invocations. Each test has its own HOME (so no Solana
//! CLI config leaks in) and its own sandbox directory.

use std::{
    path::{Path, PathBuf},
    process::{Command, Output, Stdio},
};

use serde_json::Value;

struct Env {
    dir: tempfile::TempDir,
}

impl Env {
    fn new() -> Self {
        Self {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn sandbox_state(&self) -> Option<Vec<u8>> {
        std::fs::read(self.path("sandbox/state.bin")).ok()
    }

    fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_microdrop"))
            .args(args)
            .env("HOME", self.dir.path())
            .env("MICRODROP_SANDBOX_DIR", self.path("sandbox"))
            .env_remove("MICRODROP_URL")
            .env_remove("MICRODROP_KEYPAIR")
            .env_remove("MICRODROP_OUTPUT")
            .env_remove("RUST_LOG")
            .current_dir(self.dir.path())
            .stdin(Stdio::null())
            .output()
            .unwrap()
    }

    /// Runs with `--output json`; stdout must be exactly one JSON document.
    fn json(&self, args: &[&str]) -> (i32, Value) {
        let mut all = args.to_vec();
        all.extend(["--output", "json"]);
        let out = self.run(&all);
        let stdout = String::from_utf8(out.stdout).unwrap();
        let value: Value = serde_json::from_str(&stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is not one JSON document ({e}):\n{stdout}\nstderr:\n{}",
                String::from_utf8_lossy(&out.stderr)
            )
        });
        (out.status.code().unwrap(), value)
    }

    fn write_config(&self, name: &str, text: &str) -> String {
        let path = self.path(name);
        std::fs::write(&path, text).unwrap();
        path.display().to_string()
    }
}

fn example() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/drop.toml"))
        .unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn launch_creates_once_and_status_reports_it() {
    let env = Env::new();
    let config = env.write_config(
        "drop.toml",
        &example()
            .replace("spring-zine\"", "cli-launch\"")
            .replace("supply = 250", "supply = 40"),
    );

    let (code, first) = env.json(&["launch", &config]);
    assert_eq!(code, 0, "{first}");
    assert_eq!(first["created"], true);
    assert_eq!(first["status"], "active");
    assert_eq!(first["signatures"].as_array().unwrap().len(), 2);
    let drop = first["drop"].as_str().unwrap().to_string();
    assert!(drop.parse::<microdrop_sdk::Pubkey>().is_ok(), "{drop}");
    assert!(first["collection_mint"].is_string());

    let (code, again) = env.json(&["launch", &config]);
    assert_eq!(code, 0);
    assert_eq!(again["created"], false);
    assert_eq!(again["drop"], drop.as_str());
    assert_eq!(
        again["signatures"].as_array().unwrap().len(),
        0,
        "nothing sent twice"
    );

    for target in [drop.as_str(), config.as_str()] {
        let (code, status) = env.json(&["status", target]);
        assert_eq!(code, 0);
        assert_eq!(status["drop"], drop.as_str());
        assert_eq!(status["status"], "active");
        assert_eq!(status["supply"]["cap"], 40);
        assert_eq!(status["supply"]["minted"], 0);
        assert_eq!(status["supply"]["burned"], 0);
        assert_eq!(status["currency"], "SOL");
        assert_eq!(status["seller_fee_bps"], 500);
        assert_eq!(status["collection_mint"], first["collection_mint"]);
        assert!(status["authority"].is_string());
    }

    // Text mode prints a readable summary, not JSON.
    let out = env.run(&["status", &drop]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("status      active"), "{text}");
}

#[test]
fn each_invalid_config_exits_1_naming_the_problem_and_sends_nothing() {
    let env = Env::new();
    // Boot the sandbox once so there is state to compare against.
    let ok = env.write_config("ok.toml", &example());
    assert_eq!(env.json(&["launch", &ok]).0, 0);
    let state_before = env.sandbox_state().unwrap();

    let base = example().replace("spring-zine\"", "another-drop\"");
    let cases = [
        (
            "symbol",
            base.replace("\"ZINE\"", "\"ZINEZINEZINE\""),
            "drop.symbol",
        ),
        (
            "fee",
            base.replace("seller_fee_bps = 500", "seller_fee_bps = 10001"),
            "drop.seller_fee_bps",
        ),
        (
            "supply",
            base.replace("supply = 250", "supply = 0"),
            "drop.supply",
        ),
        (
            "unknown key",
            base.replace("supply = 250", "supply = 250\nsuply = 3"),
            "drop.suply",
        ),
        (
            "malformed",
            base.replace("[drop]", "[drop"),
            "malformed.toml",
        ),
        (
            "currency",
            base.replace("\"SOL\"", "\"DOGE\""),
            "drop.currency",
        ),
        ("item uri", base.replace("{index}", "item"), "drop.item_uri"),
    ];
    for (what, text, field) in cases {
        let name = if what == "malformed" {
            "malformed.toml".to_string()
        } else {
            format!("{}.toml", what.replace(' ', "-"))
        };
        let path = env.write_config(&name, &text);
        let out = env.run(&["launch", &path]);
        assert_eq!(out.status.code(), Some(1), "{what}: {}", stderr(&out));
        let err = stderr(&out);
        assert_eq!(err.lines().count(), 1, "{what}: one line: {err}");
        assert!(err.starts_with("error: "), "{what}: {err}");
        assert!(err.contains(field), "{what}: names {field}: {err}");
        assert!(
            out.stdout.is_empty(),
            "{what}: nothing on stdout in text mode"
        );

        let (code, doc) = env.json(&["validate", &path]);
        assert_eq!(code, 1, "{what}");
        assert_eq!(doc["valid"], false);
        let fields: Vec<&str> = doc["problems"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["field"].as_str().unwrap())
            .collect();
        assert!(
            fields.iter().any(|f| f.ends_with(field)),
            "{what}: {fields:?}"
        );

        let (code, doc) = env.json(&["launch", &path]);
        assert_eq!(code, 1);
        assert!(
            doc["error"].as_str().unwrap().contains(field),
            "{what}: {doc}"
        );
        assert!(doc["problems"].is_array());
    }
    assert_eq!(
        env.sandbox_state().unwrap(),
        state_before,
        "nothing was sent"
    );
}

#[test]
fn validate_lists_every_problem() {
    let env = Env::new();
    let text = example()
        .replace("\"ZINE\"", "\"ZINEZINEZINE\"")
        .replace("seller_fee_bps = 500", "seller_fee_bps = 10001")
        .replace("supply = 250", "supply = 0");
    let path = env.write_config("many.toml", &text);
    let out = env.run(&["validate", &path]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("3 problems"), "{text}");
    for field in ["drop.symbol", "drop.supply", "drop.seller_fee_bps"] {
        assert!(text.contains(field), "{field}: {text}");
    }
    let (code, doc) = env.json(&["validate", &env.write_config("fine.toml", &example())]);
    assert_eq!((code, &doc["valid"]), (0, &Value::Bool(true)));
}

#[test]
fn a_drop_that_exists_with_other_settings_is_not_changed() {
    let env = Env::new();
    let path = env.write_config("drop.toml", &example());
    assert_eq!(env.json(&["launch", &path]).0, 0);
    let changed = env.write_config(
        "changed.toml",
        &example().replace("supply = 250", "supply = 300"),
    );
    let out = env.run(&["launch", &changed]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("drop.supply: on-chain \"250\", config \"300\""),
        "{}",
        stderr(&out)
    );
    let (_, status) = env.json(&["status", &path]);
    assert_eq!(status["supply"]["cap"], 250);
}

#[test]
fn usage_errors_exit_2() {
    let env = Env::new();
    assert_eq!(env.run(&["launch"]).status.code(), Some(2));
    assert_eq!(env.run(&["--bogus", "status", "x"]).status.code(), Some(2));
    assert_eq!(env.run(&["frobnicate"]).status.code(), Some(2));
    assert_eq!(
        env.run(&["--output", "yaml", "status", "x"]).status.code(),
        Some(2)
    );
}

#[test]
fn status_of_a_missing_drop_fails_cleanly() {
    let env = Env::new();
    let missing = "11111111111111111111111111111112";
    let out = env.run(&["status", missing]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("no drop at"), "{}", stderr(&out));
    let out = env.run(&["status", "no-such-file.toml"]);
    assert_eq!(out.status.code(), Some(1));
    let out = env.run(&["--url", "devnett", "status", missing]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("unknown cluster"), "{}", stderr(&out));
}

#[test]
fn init_writes_the_example_and_will_not_overwrite() {
    let env = Env::new();
    let (code, doc) = env.json(&["init", "newdrop"]);
    assert_eq!(code, 0);
    assert_eq!(doc["path"], "newdrop/drop.toml");
    let written = std::fs::read_to_string(env.path("newdrop/drop.toml")).unwrap();
    assert_eq!(written, example());
    let out = env.run(&["init", "newdrop"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("already exists"));
    assert_eq!(
        env.run(&["init", "newdrop", "--force"]).status.code(),
        Some(0)
    );
    let (code, _) = env.json(&["validate", env.path("newdrop/drop.toml").to_str().unwrap()]);
    assert_eq!(code, 0, "the example is valid");
}

#[test]
fn sandbox_airdrop_warp_and_reset() {
    let env = Env::new();
    let wallet = "Fw7zqD4b3mPqV9nZ9oE3tBcEY1ZJYqT1rS2gB8Pq9XaM";
    let (code, doc) = env.json(&["sandbox", "airdrop", wallet, "2.5"]);
    assert_eq!(code, 0, "{doc}");
    assert_eq!(doc["lamports"], 2_500_000_000u64);
    assert_eq!(doc["balance"], 2_500_000_000u64);
    let (_, doc) = env.json(&["sandbox", "airdrop", wallet, "0.5"]);
    assert_eq!(
        doc["balance"], 3_000_000_000u64,
        "balances persist between commands"
    );
    assert_eq!(
        env.run(&["sandbox", "airdrop", wallet, "1.0000000001"])
            .status
            .code(),
        Some(1)
    );

    let (code, doc) = env.json(&["sandbox", "warp", "2030-01-01T00:00:00Z"]);
    assert_eq!(code, 0, "{doc}");
    let unix = doc["unix_time"].as_i64().unwrap();
    assert!((1_893_456_000..1_893_456_060).contains(&unix), "{unix}");
    let out = env.run(&["sandbox", "warp", "2029-01-01T00:00:00Z"]);
    assert_eq!(out.status.code(), Some(1), "the clock never goes back");
    assert!(stderr(&out).contains("only moves forward"));
    assert_eq!(
        env.run(&["sandbox", "warp", "next tuesday"]).status.code(),
        Some(1)
    );

    let (code, _) = env.json(&["sandbox", "reset"]);
    assert_eq!(code, 0);
    let (_, doc) = env.json(&["sandbox", "airdrop", wallet, "1"]);
    assert_eq!(
        doc["balance"], 1_000_000_000u64,
        "reset forgot the old balance"
    );
}

#[test]
fn a_closed_stdout_is_not_an_error() {
    let env = Env::new();
    let path = env.write_config("drop.toml", &example());
    let mut child = Command::new(env!("CARGO_BIN_EXE_microdrop"))
        .args(["validate", &path])
        .env("HOME", env.dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn launching_without_funds_fails_before_sending() {
    let env = Env::new();
    let keypair = microdrop_sdk::Keypair::new();
    let keypair_path = env.path("poor.json");
    std::fs::write(&keypair_path, format!("{:?}", keypair.to_bytes().to_vec())).unwrap();
    let config = env.write_config("drop.toml", &example());
    let out = env.run(&["launch", &config, "-k", keypair_path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("insufficient funds"), "{err}");
    assert!(
        err.contains(&microdrop_sdk::Signer::pubkey(&keypair).to_string()),
        "{err}"
    );

    // Funded, the same wallet launches; the drop is its own, not the sandbox wallet's.
    let address = microdrop_sdk::Signer::pubkey(&keypair).to_string();
    assert_eq!(env.json(&["sandbox", "airdrop", &address, "1"]).0, 0);
    let (code, doc) = env.json(&["launch", &config, "-k", keypair_path.to_str().unwrap()]);
    assert_eq!(code, 0, "{doc}");
    assert_eq!(doc["details"]["authority"], address.as_str());
}
