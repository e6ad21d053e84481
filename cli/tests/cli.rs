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
        self.run_with(args, &[])
    }

    /// Runs with extra environment variables.
    fn run_with(&self, args: &[&str], vars: &[(&str, &str)]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_microdrop"))
            .args(args)
            .env_remove("MICRODROP_FAULTS")
            .env("HOME", self.dir.path())
            .env("MICRODROP_SANDBOX_DIR", self.path("sandbox"))
            .env_remove("MICRODROP_URL")
            .env_remove("MICRODROP_KEYPAIR")
            .env_remove("MICRODROP_OUTPUT")
            .env_remove("RUST_LOG")
            .envs(vars.iter().copied())
            .current_dir(self.dir.path())
            .stdin(Stdio::null())
            .output()
            .unwrap()
    }

    /// Runs with `--output json`; stdout must be exactly one JSON document.
    fn json(&self, args: &[&str]) -> (i32, Value) {
        self.json_with(args, &[])
    }

    fn json_with(&self, args: &[&str], vars: &[(&str, &str)]) -> (i32, Value) {
        let mut all = args.to_vec();
        all.extend(["--output", "json"]);
        let out = self.run_with(&all, vars);
        let stdout = String::from_utf8(out.stdout).unwrap();
        let value: Value = serde_json::from_str(&stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is not one JSON document ({e}):\n{stdout}\nstderr:\n{}",
                String::from_utf8_lossy(&out.stderr)
            )
        });
        (out.status.code().unwrap(), value)
    }

    /// Writes a config, and beside it the example's presale.csv that it may read.
    fn write_config(&self, name: &str, text: &str) -> String {
        let path = self.path(name);
        std::fs::write(&path, text).unwrap();
        let csv = self.path("presale.csv");
        if !csv.exists() {
            std::fs::write(csv, example_file("presale.csv")).unwrap();
        }
        path.display().to_string()
    }
}

fn example_file(name: &str) -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../examples")
            .join(name),
    )
    .unwrap()
}

fn example() -> String {
    example_file("drop.toml")
}

/// One field (`field`, `message`, `kind`) of each of a JSON document's `problems`.
fn problems<'a>(doc: &'a Value, key: &str) -> Vec<&'a str> {
    doc["problems"]
        .as_array()
        .unwrap_or_else(|| panic!("no problems in {doc}"))
        .iter()
        .map(|p| p[key].as_str().unwrap())
        .collect()
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
            .replace("supply = 250", "supply = 400"),
    );

    let (code, first) = env.json(&["launch", &config]);
    assert_eq!(code, 0, "{first}");
    assert_eq!(first["created"], true);
    assert_eq!(first["status"], "active");
    // The create; the two tiers, the benefit and the activation packed in one; then the
    // lookup table, created, filled and recorded at once.
    assert_eq!(first["signatures"].as_array().unwrap().len(), 3);
    assert!(first["details"]["lookup_table"].is_string(), "{first}");
    assert_eq!(first["benefits_added"], serde_json::json!([0]));
    assert_eq!(first["tiers_added"], serde_json::json!([0, 1]));
    let allowlists = first["allowlists"].as_array().unwrap();
    assert_eq!(allowlists.len(), 1);
    assert_eq!(allowlists[0]["wallets"], 3);
    assert!(Path::new(allowlists[0]["file"].as_str().unwrap()).exists());
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
        assert_eq!(status["supply"]["cap"], 400);
        assert_eq!(status["supply"]["minted"], 0);
        assert_eq!(status["supply"]["burned"], 0);
        assert_eq!(status["currency"], "SOL");
        assert_eq!(status["currency_symbol"], "SOL");
        assert_eq!(status["seller_fee_bps"], 500);
        assert_eq!(status["collection_mint"], first["collection_mint"]);
        assert!(status["authority"].is_string());
        assert!(status["pending_authority"].is_null(), "no transfer offered");
        let tiers = status["tiers"].as_array().unwrap();
        assert_eq!(tiers.len(), 2);
        assert_eq!(tiers[0]["label"], "presale");
        assert_eq!(tiers[0]["allowlist"], true);
        assert_eq!(tiers[0]["price"], 200_000_000u64);
        assert_eq!(tiers[1]["state"], "upcoming");
        assert_eq!(tiers[1]["start"], "2030-06-02T16:00:00Z");
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
        let fields = problems(&doc, "field");
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
    // A supply of 0 also leaves no room for the tiers.
    assert!(text.contains("4 problems"), "{text}");
    for field in [
        "drop.symbol",
        "drop.supply",
        "drop.seller_fee_bps",
        "tier: ",
    ] {
        assert!(text.contains(field), "{field}: {text}");
    }
    let (code, doc) = env.json(&["validate", &env.write_config("fine.toml", &example())]);
    assert_eq!((code, &doc["valid"]), (0, &Value::Bool(true)));
}

/// A drop's item standard is fixed at creation: relaunching its config with another
/// standard (or a missing key, which means token-metadata) is refused before anything is
/// sent.
#[test]
fn relaunching_with_another_item_standard_is_refused() {
    let env = Env::new();
    let path = env.write_config("drop.toml", &example());
    assert_eq!(env.json(&["launch", &path]).0, 0);
    let (_, status) = env.json(&["status", &path]);
    assert_eq!(
        (&status["standard"], &status["transferable"]),
        (&Value::from("token-2022"), &Value::Bool(true))
    );
    for (name, text) in [
        (
            "other.toml",
            example().replace("standard = \"token-2022\"", "standard = \"token-metadata\""),
        ),
        (
            "unset.toml",
            example().replace("standard = \"token-2022\"\n", ""),
        ),
    ] {
        let out = env.run(&["launch", &env.write_config(name, &text)]);
        assert_eq!(out.status.code(), Some(1), "{name}");
        assert!(
            stderr(&out)
                .contains("drop.standard: on-chain \"token-2022\", config \"token-metadata\""),
            "{name}: {}",
            stderr(&out)
        );
    }
    let soulbound = env.write_config(
        "soulbound.toml",
        &example().replace("# transferable = false", "transferable = false"),
    );
    let out = env.run(&["launch", &soulbound]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("drop.transferable: on-chain \"true\", config \"false\""),
        "{}",
        stderr(&out)
    );
    // Everything but the clock reading is as it was.
    let (_, mut after) = env.json(&["status", &path]);
    let mut before = status.clone();
    for doc in [&mut before, &mut after] {
        doc.as_object_mut().unwrap().remove("time");
    }
    assert_eq!(after, before, "nothing was sent");
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
    for bad in [
        ["--rpc-rate-limit", "0"],
        ["--rpc-rate-limit", "fast"],
        ["--priority-fee", "high"],
    ] {
        let out = env.run(&[bad[0], bad[1], "wallet"]);
        assert_eq!(out.status.code(), Some(2), "{bad:?}");
        assert!(stderr(&out).contains(bad[0]), "{bad:?}: {}", stderr(&out));
    }
    // `--secret` without `--webhook`, and the other way round.
    assert_eq!(
        env.run(&["watch", "x", "--secret", "s"]).status.code(),
        Some(2)
    );
    assert_eq!(
        env.run(&["watch", "x", "--webhook", "http://127.0.0.1:1/"])
            .status
            .code(),
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

/// Launches `config` (it must succeed) and returns the drop's address and its authority.
fn launched(env: &Env, config: &str) -> (String, String) {
    let (code, doc) = env.json(&["launch", config]);
    assert_eq!(code, 0, "{doc}");
    let field = |value: &Value| value.as_str().unwrap().to_string();
    (field(&doc["drop"]), field(&doc["details"]["authority"]))
}

fn new_keypair(env: &Env, name: &str) -> (String, String) {
    let keypair = microdrop_sdk::Keypair::new();
    let path = env.path(name);
    std::fs::write(&path, format!("{:?}", keypair.to_bytes().to_vec())).unwrap();
    (
        path.display().to_string(),
        microdrop_sdk::Signer::pubkey(&keypair).to_string(),
    )
}

/// The tiered sale as a creator and collectors run it, with configs not in the repo.
#[test]
fn a_tiered_sale_holds_every_rule() {
    let env = Env::new();
    let (alice_key, alice) = new_keypair(&env, "alice.json");
    let (bob_key, bob) = new_keypair(&env, "bob.json");
    for wallet in [&alice, &bob] {
        assert_eq!(env.json(&["sandbox", "airdrop", wallet, "10"]).0, 0);
    }
    std::fs::write(
        env.path("friends.csv"),
        format!("wallet,allowance\n{alice},2\n"),
    )
    .unwrap();
    let config = env.write_config(
        "zine.toml",
        r#"
[drop]
id = "zine-2"
name = "Zine Two"
symbol = "Z2"
uri = "https://example.com/z2/collection.json"
item_uri = "https://example.com/z2/{index}.json"
supply = 10
seller_fee_bps = 700

[[tier]]
label = "friends"
start = "2031-03-01T10:00:00Z"
end = "2031-03-01T12:00:00Z"
price = "0.05"
supply = 3
per_wallet = 1
allowlist = "friends.csv"

[[tier]]
label = "public"
start = "2031-03-01T12:00:00Z"
end = "2031-03-08T12:00:00Z"
price = "0.1"
supply = 7
per_wallet = 2
"#,
    );
    let (code, launched) = env.json(&["launch", &config]);
    assert_eq!(code, 0, "{launched}");
    let drop = launched["drop"].as_str().unwrap().to_string();
    // Naming the creator lets collectors use the drop.toml too (and launch then insists on
    // the creator's keypair).
    let creator = launched["details"]["authority"]
        .as_str()
        .unwrap()
        .to_string();
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(
        &config,
        text.replace(
            "seller_fee_bps = 700",
            &format!("seller_fee_bps = 700\nauthority = \"{creator}\""),
        ),
    )
    .unwrap();
    let (code, refused) = env.json(&["launch", &config, "-k", &alice_key]);
    assert_eq!(code, 1);
    assert!(
        refused["error"]
            .as_str()
            .unwrap()
            .contains("drop.authority"),
        "{refused}"
    );
    let as_alice = ["-k", alice_key.as_str()];
    let as_bob = ["-k", bob_key.as_str()];
    let run_as = |who: &[&str], args: &[&str]| {
        let mut all = who.to_vec();
        all.extend_from_slice(args);
        env.json(&all)
    };

    // Before the window: upcoming.
    let (_, answer) = env.json(&["eligibility", &config, "--wallet", &alice]);
    assert_eq!(answer["tiers"][0]["reason"], "upcoming");
    let (code, refused) = run_as(
        &as_alice,
        &[
            "mint",
            &drop,
            "--tier",
            "friends",
            "--allowlist",
            &env.path("zine-2.friends.allowlist.json")
                .display()
                .to_string(),
        ],
    );
    assert_eq!(code, 1);
    assert_eq!(refused["program_error"]["name"], "TierNotStarted");

    assert_eq!(env.json(&["sandbox", "warp", "2031-03-01T10:00:00Z"]).0, 0);
    let (_, answer) = env.json(&["eligibility", &config, "--wallet", &alice]);
    assert_eq!(answer["tiers"][0]["eligible"], true);
    assert_eq!(
        answer["tiers"][0]["quantity"], 2,
        "the allowance replaces per_wallet"
    );
    let (_, answer) = env.json(&["eligibility", &config, "--wallet", &bob]);
    assert_eq!(answer["tiers"][0]["reason"], "not_listed");

    // The allow-list file launch wrote is found from the drop.toml.
    let (code, minted) = run_as(
        &as_alice,
        &["mint", &config, "--tier", "friends", "--quantity", "2"],
    );
    assert_eq!(code, 0, "{minted}");
    assert_eq!(minted["mints"].as_array().unwrap().len(), 2);
    assert_eq!(minted["paid"], 100_000_000u64);
    let first_item = minted["mints"][0].as_str().unwrap().to_string();
    let (code, refused) = run_as(&as_alice, &["mint", &config, "--tier", "friends"]);
    assert_eq!(
        (code, &refused["program_error"]["name"]),
        (1, &Value::from("WalletLimitReached"))
    );
    let (code, refused) = run_as(&as_bob, &["mint", &config, "--tier", "friends"]);
    assert_eq!(code, 1);
    assert!(
        refused["error"].as_str().unwrap().contains("not on tier"),
        "{refused}"
    );

    assert_eq!(env.json(&["sandbox", "warp", "2031-03-01T12:00:00Z"]).0, 0);
    let (code, refused) = run_as(&as_alice, &["mint", &config, "--tier", "friends"]);
    assert_eq!(
        (code, &refused["program_error"]["name"]),
        (1, &Value::from("TierEnded"))
    );
    let (code, minted) = run_as(&as_bob, &["mint", &drop, "--tier", "1", "--quantity", "2"]);
    assert_eq!(code, 0, "{minted}");
    let (code, refused) = run_as(&as_bob, &["mint", &drop, "--tier", "public"]);
    assert_eq!(
        (code, &refused["program_error"]["name"]),
        (1, &Value::from("WalletLimitReached"))
    );

    // status and eligibility agree with what happened.
    let (_, status) = env.json(&["status", &drop]);
    assert_eq!(status["supply"]["minted"], 4);
    assert_eq!(status["tiers"][0]["minted"], 2);
    assert_eq!(status["tiers"][0]["state"], "ended");
    assert_eq!(status["tiers"][1]["minted"], 2);
    assert_eq!(status["tiers"][1]["state"], "open");
    let (_, answer) = env.json(&["eligibility", &drop, "--wallet", &bob]);
    assert_eq!(answer["tiers"][1]["reason"], "limit_reached");
    let (_, answer) = env.json(&["eligibility", &drop, "--wallet", &alice]);
    assert_eq!(answer["tiers"][1]["quantity"], 2);

    // The item as wallets see it.
    let (code, item) = env.json(&["item", &first_item]);
    assert_eq!(code, 0, "{item}");
    assert_eq!(item["drop"], drop.as_str());
    assert_eq!(item["index"], 1);
    assert_eq!(item["name"], "Zine Two #1");
    assert_eq!(item["uri"], "https://example.com/z2/1.json");
    assert_eq!(item["owner"], alice.as_str());
    assert_eq!(item["collection"]["verified"], true);
    assert_eq!(item["collection"]["mint"], launched["collection_mint"]);
    assert_eq!(item["seller_fee_bps"], 700);
    assert_eq!(item["creators"][0]["address"], drop.as_str());

    // Pausing stops sales; closing is final.
    assert_eq!(env.json(&["pause", &drop]).0, 0);
    let (code, refused) = run_as(&as_alice, &["mint", &drop, "--tier", "public"]);
    assert_eq!(
        (code, &refused["program_error"]["name"]),
        (1, &Value::from("DropNotActive"))
    );
    assert_eq!(env.json(&["resume", &drop]).0, 0);
    assert_eq!(run_as(&as_alice, &["mint", &drop, "--tier", "public"]).0, 0);
    let (code, closed) = env.json(&["close", &drop]);
    assert_eq!((code, &closed["status"]), (0, &Value::from("closed")));
    let (code, refused) = env.json(&["resume", &drop]);
    assert_eq!(
        (code, &refused["program_error"]["name"]),
        (1, &Value::from("DropClosed"))
    );
    // Only the creator changes the drop's status.
    let (code, refused) = run_as(&as_bob, &["pause", &drop]);
    assert_eq!(code, 1, "{refused}");
}

#[test]
fn launch_updates_changed_tiers_of_a_live_drop() {
    let env = Env::new();
    let base = example().replace("spring-zine\"", "relaunch\"");
    let config = env.write_config("drop.toml", &base);
    assert_eq!(env.json(&["launch", &config]).0, 0);
    let changed = base.replace("per_wallet = 5", "per_wallet = 4");
    std::fs::write(&config, &changed).unwrap();
    let (code, again) = env.json(&["launch", &config]);
    assert_eq!(code, 0, "{again}");
    assert_eq!(again["tiers_updated"], serde_json::json!([1]));
    assert_eq!(again["paused_for_update"], true);
    assert_eq!(again["status"], "active", "resumed after the update");
    let (_, status) = env.json(&["status", &config]);
    assert_eq!(status["tiers"][1]["per_wallet"], 4);
    let (code, third) = env.json(&["launch", &config]);
    assert_eq!(
        (code, third["signatures"].as_array().unwrap().len()),
        (0, 0)
    );
}

#[test]
fn bad_tiers_and_allow_lists_are_named_before_anything_is_sent() {
    let env = Env::new();
    let base = example().replace("spring-zine\"", "bad-tiers\"");
    std::fs::write(
        env.path("bad.csv"),
        "wallet\nnot-a-wallet\n9xQeWvG816bUx9EPjHmaT23yvVM2ZWbrrpZb9PusVFin,0\n",
    )
    .unwrap();
    let cases = [
        (
            base.replace(
                "2030-06-02T16:00:00Z\"\nprice",
                "2030-05-30T16:00:00Z\"\nprice",
            ),
            "tier[0].end",
        ),
        (
            base.replace("\"presale.csv\"", "\"bad.csv\""),
            "tier[0].allowlist",
        ),
        (
            base.replace("\"presale.csv\"", "\"missing.csv\""),
            "tier[0].allowlist",
        ),
        (
            base.replace("label = \"public\"", "label = \"presale\""),
            "tier[1].label",
        ),
        (base.replace("supply = 200", "supply = 245"), "tier"),
        (
            base.replace("price = \"0.35\"", "price = \"free\""),
            "tier[1].price",
        ),
        (
            // A holder limit needs a holder gate.
            base.replace("per_wallet = 5", "per_wallet = 5\nholder_limit = 2"),
            "tier[1].holder_limit",
        ),
        (
            base.replace(
                "per_wallet = 5",
                "per_wallet = 5\nholder_of = \"9xQeWvG816bUx9EPjHmaT23yvVM2ZWbrrpZb9PusVFin\"\nholder_limit = 0",
            ),
            "tier[1].holder_limit",
        ),
        (
            base.replace("supply = 250", "supply = 20971441"),
            "drop.supply",
        ),
    ];
    for (text, field) in cases {
        let config = env.write_config("bad.toml", &text);
        let (code, doc) = env.json(&["validate", &config]);
        assert_eq!(code, 1, "{field}: {doc}");
        let fields = problems(&doc, "field");
        assert!(fields.contains(&field), "{field}: {fields:?}");
        let out = env.run(&["launch", &config]);
        assert_eq!(out.status.code(), Some(1));
        assert!(
            env.sandbox_state().is_none(),
            "nothing was sent, not even the sandbox booted"
        );
    }
    let config = env.write_config("bad.toml", &base.replace("\"presale.csv\"", "\"bad.csv\""));
    let (_, doc) = env.json(&["validate", &config]);
    let messages = problems(&doc, "message");
    assert!(
        messages.iter().any(|m| m.contains("line 2")),
        "{messages:?}"
    );
    assert!(
        messages.iter().any(|m| m.contains("line 3")),
        "{messages:?}"
    );
}

#[test]
fn allowlist_build_and_proof() {
    let env = Env::new();
    let (_, alice) = new_keypair(&env, "a.json");
    std::fs::write(
        env.path("list.csv"),
        format!("{alice},4\n9xQeWvG816bUx9EPjHmaT23yvVM2ZWbrrpZb9PusVFin\n"),
    )
    .unwrap();
    let drop = "HMJ7w7DHjXpKv1fMpZcpQppjF2oovZp7H4Nyra1TM26v";
    let out_file = env.path("list.json").display().to_string();
    let (code, built) = env.json(&[
        "allowlist",
        "build",
        &env.path("list.csv").display().to_string(),
        "--drop",
        drop,
        "--tier",
        "2",
        "--out",
        &out_file,
    ]);
    assert_eq!(code, 0, "{built}");
    assert_eq!(
        (
            built["wallets"].clone(),
            built["tier"].clone(),
            built["depth"].clone()
        ),
        (2.into(), 2.into(), 1.into())
    );
    let (code, proof) = env.json(&["allowlist", "proof", &out_file, &alice]);
    assert_eq!(code, 0);
    assert_eq!(proof["allowance"], 4);
    assert_eq!(proof["root"], built["root"]);
    assert_eq!(proof["proof"].as_array().unwrap().len(), 1);
    let (code, _) = env.json(&[
        "allowlist",
        "proof",
        &out_file,
        "Fw7zqD4b3mPqV9nZ9oE3tBcEY1ZJYqT1rS2gB8Pq9XaM",
    ]);
    assert_eq!(code, 1, "not listed");
    std::fs::write(env.path("dup.csv"), format!("{alice}\n{alice},2\n")).unwrap();
    let (code, doc) = env.json(&[
        "allowlist",
        "build",
        &env.path("dup.csv").display().to_string(),
        "--drop",
        drop,
        "--tier",
        "0",
        "--out",
        &out_file,
    ]);
    assert_eq!(code, 1);
    assert!(doc["error"].as_str().unwrap().contains("line 2"), "{doc}");
}

/// Splits and burn-for-benefit as a creator, collaborators and holders run them.
#[test]
fn proceeds_split_exactly_and_holders_redeem_a_capped_benefit() {
    let env = Env::new();
    let (alice_key, alice) = new_keypair(&env, "alice.json");
    let (bob_key, bob) = new_keypair(&env, "bob.json");
    let (_, artist) = new_keypair(&env, "artist.json");
    let (_, writer) = new_keypair(&env, "writer.json");
    for wallet in [&alice, &bob, &artist, &writer] {
        assert_eq!(env.json(&["sandbox", "airdrop", wallet, "10"]).0, 0);
    }
    let config = env.write_config(
        "poster.toml",
        &format!(
            r#"
[drop]
id = "posters"
name = "Posters"
symbol = "PST"
uri = "https://example.com/p/collection.json"
item_uri = "https://example.com/p/{{index}}.json"
supply = 12
seller_fee_bps = 1000

[[tier]]
label = "early"
start = "2032-01-01T00:00:00Z"
end = "2032-01-02T00:00:00Z"
price = "0.123456789"
supply = 4
per_wallet = 4

[[tier]]
label = "late"
start = "2032-01-02T00:00:00Z"
end = "2032-01-09T00:00:00Z"
price = "0.333333333"
supply = 8
per_wallet = 4

[[split]]
address = "{artist}"
share_bps = 6133

[[split]]
address = "{writer}"
share_bps = 3867

[[benefit]]
label = "signed-print"
burn = 2
supply = 2
tiers = ["early"]

[[benefit]]
label = "meetup"
burn = 1
supply = 10
start = "2032-01-03T00:00:00Z"
"#
        ),
    );
    let (code, launched) = env.json(&["launch", &config]);
    assert_eq!(code, 0, "{launched}");
    assert_eq!(launched["benefits_added"], serde_json::json!([0, 1]));
    let drop = launched["drop"].as_str().unwrap().to_string();
    let run_as = |key: &str, args: &[&str]| {
        let mut all = vec!["-k", key];
        all.extend_from_slice(args);
        env.json(&all)
    };

    assert_eq!(env.json(&["sandbox", "warp", "2032-01-01T00:00:00Z"]).0, 0);
    assert_eq!(
        run_as(
            &alice_key,
            &["mint", &drop, "--tier", "early", "--quantity", "4"]
        )
        .0,
        0
    );
    assert_eq!(env.json(&["sandbox", "warp", "2032-01-02T00:00:00Z"]).0, 0);
    assert_eq!(
        run_as(
            &bob_key,
            &["mint", &drop, "--tier", "late", "--quantity", "3"]
        )
        .0,
        0
    );
    // A marketplace pays a royalty straight into the vault.
    let (_, status) = env.json(&["status", &drop]);
    let vault = status["vault"]["address"].as_str().unwrap().to_string();
    assert_eq!(env.json(&["sandbox", "airdrop", &vault, "0.017"]).0, 0);
    let income: u64 = 4 * 123_456_789 + 3 * 333_333_333 + 17_000_000;
    let (_, status) = env.json(&["status", &drop]);
    assert_eq!(status["vault"]["balance"], income);
    assert_eq!(status["splits"][0]["share_bps"], 6133);

    // Anyone may distribute; each collaborator gets exactly its share to the lamport.
    let (code, paid) = run_as(&bob_key, &["distribute", &drop]);
    assert_eq!(code, 0, "{paid}");
    let artist_share = income * 6133 / 10_000;
    let writer_share = income * 3867 / 10_000;
    assert_eq!(paid["payouts"][0]["recipient"], artist.as_str());
    assert_eq!(paid["payouts"][0]["amount"], artist_share);
    assert_eq!(paid["payouts"][1]["amount"], writer_share);
    let (_, wallet) = env.json(&[
        "-k",
        &env.path("artist.json").display().to_string(),
        "wallet",
    ]);
    assert_eq!(wallet["balance"], 10_000_000_000u64 + artist_share);
    let (_, status) = env.json(&["status", &drop]);
    assert_eq!(status["vault"]["distributed"], artist_share + writer_share);
    assert_eq!(
        status["vault"]["balance"],
        income - artist_share - writer_share
    );

    // The split is frozen now that items sold.
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(
        &config,
        text.replace("share_bps = 6133", "share_bps = 6134")
            .replace("share_bps = 3867", "share_bps = 3866"),
    )
    .unwrap();
    let (code, refused) = env.json(&["launch", &config]);
    assert_eq!(code, 1);
    assert!(
        refused["error"].as_str().unwrap().contains("frozen"),
        "{refused}"
    );
    std::fs::write(&config, text).unwrap();

    // Holders burn early items for the capped print until it runs out.
    let (code, first) = run_as(&alice_key, &["burn", &drop, "--benefit", "signed-print"]);
    assert_eq!(code, 0, "{first}");
    assert_eq!(first["burned"].as_array().unwrap().len(), 2);
    let (code, refused) = run_as(&bob_key, &["burn", &drop, "--benefit", "signed-print"]);
    assert_eq!(code, 1, "bob's items are from the late tier: {refused}");
    let (code, second) = run_as(&alice_key, &["burn", &drop, "--benefit", "signed-print"]);
    assert_eq!(code, 0, "{second}");
    let (_, status) = env.json(&["status", &drop]);
    assert_eq!(status["benefits"][0]["state"], "exhausted");
    assert_eq!(status["supply"]["burned"], 4);
    // The meetup opens later.
    let (code, refused) = run_as(&bob_key, &["burn", &drop, "--benefit", "meetup"]);
    assert_eq!(
        (code, &refused["program_error"]["name"]),
        (1, &Value::from("BenefitNotOpen"))
    );
    assert_eq!(env.json(&["sandbox", "warp", "2032-01-03T00:00:00Z"]).0, 0);
    // Bob names the item he burns.
    let bob_item = {
        let (_, status) = env.json(&["status", &drop]);
        assert_eq!(status["tiers"][1]["minted"], 3);
        let (_, item) = env.json(&["item", &item_mint(&drop, 6)]);
        assert_eq!(item["owner"], bob.as_str());
        item["mint"].as_str().unwrap().to_string()
    };
    let (code, meetup) = run_as(
        &bob_key,
        &["burn", &drop, "--benefit", "1", "--items", &bob_item],
    );
    assert_eq!(meetup["burned"], serde_json::json!([bob_item]));
    assert_eq!(code, 0, "{meetup}");

    // Every redemption is visible with its status, and the creator fulfils them.
    let (_, listed) = env.json(&["redemptions", &drop, "--status", "pending"]);
    let pending = listed["redemptions"].as_array().unwrap().clone();
    assert_eq!(pending.len(), 3);
    assert!(pending
        .iter()
        .all(|r| r["status"] == "pending" && r["reference"].is_null()));
    for r in &pending {
        let address = r["address"].as_str().unwrap();
        let (code, done) = env.json(&[
            "fulfill",
            address,
            "--reference",
            &format!("shipment for {address}"),
        ]);
        assert_eq!(code, 0, "{done}");
    }
    let first_address = first["redemption"].as_str().unwrap();
    let (code, refused) = env.json(&["fulfill", first_address, "--reference", "again"]);
    assert_eq!(
        (code, &refused["program_error"]["name"]),
        (1, &Value::from("RedemptionAlreadyFulfilled"))
    );
    let (code, refused) = run_as(
        &bob_key,
        &["fulfill", first_address, "--reference", "not mine"],
    );
    assert_eq!(
        (code, &refused["program_error"]["name"]),
        (1, &Value::from("DropAuthorityMismatch"))
    );
    let (_, listed) = env.json(&["redemptions", &drop, "--status", "fulfilled"]);
    assert_eq!(listed["redemptions"].as_array().unwrap().len(), 3);
    let (_, alices) = env.json(&["redemptions", &drop, "--holder", &alice]);
    let alices = alices["redemptions"].as_array().unwrap().clone();
    assert_eq!(alices.len(), 2);
    assert!(alices.iter().all(|r| r["holder"] == alice.as_str()));
    let (_, bobs) = env.json(&["redemptions", &drop, "--holder", &bob]);
    assert_eq!(bobs["redemptions"].as_array().unwrap().len(), 1);
    let (_, listed) = env.json(&["redemptions", &drop, "--status", "pending"]);
    assert_eq!(listed["redemptions"].as_array().unwrap().len(), 0);
}

#[test]
fn bad_splits_and_benefits_are_named_before_anything_is_sent() {
    let env = Env::new();
    let base = example().replace("spring-zine\"", "bad-splits\"");
    let a = "9xQeWvG816bUx9EPjHmaT23yvVM2ZWbrrpZb9PusVFin";
    let split = |address: &str, share: u32| {
        format!("\n[[split]]\naddress = \"{address}\"\nshare_bps = {share}\n")
    };
    let cases = [
        (
            format!("{base}{}{}", split(a, 5000), split(a, 5000)),
            "split[1].address",
        ),
        (format!("{base}{}", split(a, 9999)), "split"),
        (
            format!("{base}{}", split("not-a-wallet", 10000)),
            "split[0].address",
        ),
        (
            format!(
                "{base}\n[[benefit]]\nlabel = \"b\"\nburn = 1\nsupply = 1\ntiers = [\"vip\"]\n"
            ),
            "benefit[1].tiers",
        ),
        (
            format!("{base}\n[[benefit]]\nlabel = \"b\"\nburn = 9\nsupply = 1\n"),
            "benefit[1].burn",
        ),
    ];
    for (text, field) in cases {
        let config = env.write_config("bad.toml", &text);
        let (code, doc) = env.json(&["launch", &config]);
        assert_eq!(code, 1, "{field}: {doc}");
        let fields = problems(&doc, "field");
        assert!(fields.contains(&field), "{field}: {fields:?}");
        assert!(env.sandbox_state().is_none(), "nothing was sent");
    }
}

/// The mint of item `index` of `drop`, as the SDK derives it.
fn item_mint(drop: &str, index: u64) -> String {
    microdrop_sdk::pda::item_mint(&drop.parse().unwrap(), index)
        .0
        .to_string()
}

/// Vouchers as a creator's service issues them and collectors use them.
#[test]
fn vouchers_gate_a_regional_tier() {
    let env = Env::new();
    let (service_key, service) = new_keypair(&env, "service.json");
    let (impostor_key, _) = new_keypair(&env, "impostor.json");
    let (alice_key, alice) = new_keypair(&env, "alice.json");
    let (bob_key, bob) = new_keypair(&env, "bob.json");
    for wallet in [&alice, &bob] {
        assert_eq!(env.json(&["sandbox", "airdrop", wallet, "5"]).0, 0);
    }
    let config = env.write_config(
        "fest.toml",
        &format!(
            r#"
[drop]
id = "fest"
name = "City Fest"
symbol = "FEST"
uri = "https://example.com/fest/collection.json"
item_uri = "https://example.com/fest/{{index}}.json"
supply = 20

[[tier]]
label = "locals"
start = "2033-05-01T00:00:00Z"
end = "2033-05-08T00:00:00Z"
price = "0.01"
supply = 20
per_wallet = 4
voucher_signer = "{service}"
regions = ["NL", "BE"]
"#
        ),
    );
    let (code, launched) = env.json(&["launch", &config]);
    assert_eq!(code, 0, "{launched}");
    let drop = launched["drop"].as_str().unwrap().to_string();
    assert_eq!(env.json(&["sandbox", "warp", "2033-05-01T00:00:00Z"]).0, 0);
    let issue = |signer: &str, wallet: &str, extra: &[&str]| {
        let mut args = vec![
            "voucher", "issue", "--signer", signer, "--drop", &drop, "--tier", "locals",
            "--wallet", wallet,
        ];
        args.extend_from_slice(extra);
        let (code, doc) = env.json(&args);
        assert_eq!(code, 0, "{doc}");
        doc
    };
    let mint_with = |key: &str, voucher: &str, quantity: &str| {
        env.json(&[
            "-k",
            key,
            "mint",
            &drop,
            "--tier",
            "locals",
            "--quantity",
            quantity,
            "--voucher",
            voucher,
        ])
    };
    let named = |doc: &Value| {
        doc["program_error"]["name"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    };

    let alices = issue(
        &service_key,
        &alice,
        &[
            "--expires",
            "1h",
            "--region",
            "NL",
            "--quantity",
            "2",
            "--single-use",
        ],
    );
    assert_eq!(alices["region"], "NL");
    assert_eq!(alices["single_use"], true);
    // An hour of the sandbox clock, which moves on with wall time.
    let expires = alices["expires"].as_str().unwrap();
    assert!(expires.starts_with("2033-05-01T01:00:0"), "{expires}");
    let voucher = alices["voucher"].as_str().unwrap();
    // A mint transaction carries at most 3 items, and a single-use voucher covers one
    // transaction: asking for 4 is refused up front.
    let (code, refused) = mint_with(&alice_key, voucher, "4");
    assert_eq!(code, 1);
    assert!(
        refused["error"].as_str().unwrap().contains("single-use"),
        "{refused}"
    );
    let (code, minted) = mint_with(&alice_key, voucher, "1");
    assert_eq!(code, 0, "{minted}");
    assert_eq!(minted["mints"].as_array().unwrap().len(), 1);

    let (code, refused) = mint_with(&alice_key, voucher, "1");
    assert_eq!(
        (code, named(&refused)),
        (1, "VoucherAlreadyUsed".to_string()),
        "replayed"
    );
    let (code, refused) = mint_with(&bob_key, voucher, "1");
    assert_eq!(
        (code, named(&refused)),
        (1, "VoucherWrongWallet".to_string()),
        "foreign"
    );

    let forged = issue(&impostor_key, &bob, &["--expires", "1h", "--region", "NL"]);
    let (code, refused) = mint_with(&bob_key, forged["voucher"].as_str().unwrap(), "1");
    assert_eq!(
        (code, named(&refused)),
        (1, "VoucherSignerMismatch".to_string()),
        "forged"
    );

    let wrong_region = issue(&service_key, &bob, &["--expires", "1h", "--region", "US"]);
    let (code, refused) = mint_with(&bob_key, wrong_region["voucher"].as_str().unwrap(), "1");
    assert_eq!(
        (code, named(&refused)),
        (1, "VoucherRegionNotAllowed".to_string())
    );

    let short = issue(&service_key, &bob, &["--expires", "60s", "--region", "BE"]);
    assert_eq!(env.json(&["sandbox", "warp", "2033-05-01T00:02:00Z"]).0, 0);
    let (code, refused) = mint_with(&bob_key, short["voucher"].as_str().unwrap(), "1");
    assert_eq!(
        (code, named(&refused)),
        (1, "VoucherExpired".to_string()),
        "expired"
    );

    // A voucher edited by hand no longer verifies, and nothing is sent.
    let good = issue(&service_key, &bob, &["--expires", "1h", "--region", "BE"]);
    let text = good["voucher"].as_str().unwrap();
    let tampered = format!(
        "{}{}",
        &text[..60],
        if &text[60..61] == "A" { "B" } else { "A" }
    ) + &text[61..];
    let (code, refused) = mint_with(&bob_key, &tampered, "1");
    assert_eq!(code, 1);
    assert!(
        refused["error"].as_str().unwrap().contains("voucher"),
        "{refused}"
    );
    // From a file, it works.
    std::fs::write(env.path("bob.voucher"), text).unwrap();
    let (code, minted) = mint_with(
        &bob_key,
        &env.path("bob.voucher").display().to_string(),
        "1",
    );
    assert_eq!(code, 0, "{minted}");
    // Without a voucher, the tier refuses before sending.
    let (code, refused) = env.json(&["-k", &bob_key, "mint", &drop, "--tier", "locals"]);
    assert_eq!(code, 1);
    assert!(
        refused["error"]
            .as_str()
            .unwrap()
            .contains("requires a voucher"),
        "{refused}"
    );
    // Once the drop closes, collectors take back their records' rent.
    let (code, refused) = env.json(&["-k", &alice_key, "reclaim", &drop]);
    assert_eq!(code, 1, "not closed yet: {refused}");
    assert_eq!(env.json(&["close", &drop]).0, 0);
    let (_, before) = env.json(&["-k", &alice_key, "wallet"]);
    let (code, back) = env.json(&["-k", &alice_key, "reclaim", &drop]);
    assert_eq!(code, 0, "{back}");
    assert_eq!(
        back["closed"], 2,
        "the wallet record and the spent voucher record"
    );
    let (_, after) = env.json(&["-k", &alice_key, "wallet"]);
    let reclaimed = back["reclaimed"].as_u64().unwrap();
    let fees = 5_000 * back["signatures"].as_array().unwrap().len() as u64;
    assert_eq!(
        after["balance"].as_u64().unwrap(),
        before["balance"].as_u64().unwrap() + reclaimed - fees
    );
    let (_, again) = env.json(&["-k", &alice_key, "reclaim", &drop]);
    assert_eq!(again["closed"], 0, "nothing left to close");
}

/// A rehearsal passes a sound drop and finds the problems planted in a broken one.
#[test]
fn rehearse_reports_a_sound_drop_and_finds_planted_problems() {
    let env = Env::new();
    let good = env.write_config("good.toml", &example());
    let (code, report) = env.json(&["rehearse", &good, "--collectors", "6", "--seed", "3"]);
    assert_eq!(code, 0, "{report}");
    assert_eq!(report["problems"], serde_json::json!([]));
    let tiers = report["tiers"].as_array().unwrap();
    assert_eq!(tiers[0]["label"], "presale");
    assert_eq!(
        tiers[0]["sold"], 6,
        "the presale sells out to its allow list"
    );
    assert_eq!(tiers[0]["revenue"], 6 * 200_000_000u64);
    assert!(
        tiers[1]["refusals"]["TierEnded"].as_u64().unwrap() >= 1,
        "{report}"
    );
    for key in ["supply", "sold", "revenue", "refusals"] {
        assert!(!tiers[1][key].is_null(), "{key}");
    }
    let names: Vec<&str> = report["instructions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["name"].as_str().unwrap())
        .collect();
    for name in [
        "create_drop",
        "mint",
        "mint (allow-listed)",
        "redeem",
        "distribute",
    ] {
        assert!(names.contains(&name), "{name}: {names:?}");
    }
    for i in report["instructions"].as_array().unwrap() {
        for key in ["cpi_cu", "tx_bytes", "accounts", "fits_legacy", "fits_v0"] {
            assert!(!i[key].is_null(), "{key}");
        }
    }
    assert!(report["rent"]["creator"].as_u64().unwrap() > 0);
    assert!(
        report["rent"]["collector_per_item"].as_u64().unwrap()
            > report["rent"]["recoverable_per_item"].as_u64().unwrap()
    );
    // The example's items are Token-2022: an item's cost is its mint, its token account
    // (170 bytes) and the wallet record, with no protocol fee, and a burn returns all of
    // the item's own rent.
    let rent = &report["rent"];
    let true_cost = rent["collector_cost_per_item"].as_u64().unwrap();
    let record = rent["recoverable_per_item"].as_u64().unwrap();
    assert_eq!(record, 981_360, "a 13-byte wallet record");
    let returned = rent["returned_on_burn_per_item"].as_u64().unwrap();
    assert_eq!(returned, true_cost - record, "{rent}");
    // With no protocol accounts, the narrower figure is the whole cost.
    assert_eq!(
        rent["collector_per_item"].as_u64().unwrap(),
        true_cost,
        "{rent}"
    );
    assert!(
        true_cost < microdrop_sdk::TOKEN_METADATA_CREATE_FEE,
        "{rent}"
    );
    // A Token Metadata drop counts Token Metadata's accounts and its fee, which the
    // narrower `collector_per_item` leaves out; the mint, token account and wallet record
    // are in both. A burn returns the token account, metadata and edition.
    let tm = env.write_config(
        "tm.toml",
        &example().replace("standard = \"token-2022\"", "standard = \"token-metadata\""),
    );
    let (code, tm_report) = env.json(&["rehearse", &tm, "--collectors", "6", "--seed", "3"]);
    assert_eq!(code, 0, "{tm_report}");
    let rent = &tm_report["rent"];
    let true_cost = rent["collector_cost_per_item"].as_u64().unwrap();
    let metadata_rent = 5_115_600; // 607 bytes
    let edition_rent = 1_030_080; // 20 bytes
    assert!(
        true_cost
            >= rent["collector_per_item"].as_u64().unwrap()
                + microdrop_sdk::TOKEN_METADATA_CREATE_FEE
                + metadata_rent
                + edition_rent,
        "{rent}"
    );
    // At most the item-tier table's share (a byte's rent) more.
    assert!(
        true_cost
            <= rent["collector_per_item"].as_u64().unwrap()
                + microdrop_sdk::TOKEN_METADATA_CREATE_FEE
                + metadata_rent
                + edition_rent
                + 6_960,
        "{rent}"
    );
    // Token Metadata keeps its fee when an item burns.
    assert_eq!(
        rent["returned_on_burn_per_item"].as_u64().unwrap(),
        2_039_280 + metadata_rent + edition_rent,
        "{rent}"
    );
    assert_eq!(report["payouts"].as_array().unwrap().len(), 1);
    assert_eq!(report["payouts"][0]["currency"], "SOL");
    // Text shows amounts in the currency, never in smallest units.
    let text = String::from_utf8(
        env.run(&["rehearse", &good, "--collectors", "6", "--seed", "3"])
            .stdout,
    )
    .unwrap();
    assert!(text.contains(" SOL beyond price and fees"), "{text}");
    assert!(
        !text.contains("lamports") && !text.contains("smallest units"),
        "{text}"
    );
    // The same seed gives the same rehearsal.
    let (_, again) = env.json(&["rehearse", &good, "--collectors", "6", "--seed", "3"]);
    assert_eq!(again["tiers"], report["tiers"]);
    assert!(
        env.sandbox_state().is_none(),
        "the rehearsal never touches the user's sandbox"
    );

    // A broken drop: a presale list too small for its supply, a past window, a benefit
    // no wallet can reach, and a list so long that proofs need a lookup table.
    let many: String = (0..9_000)
        .map(|_| {
            format!(
                "{}\n",
                microdrop_sdk::Signer::pubkey(&microdrop_sdk::Keypair::new())
            )
        })
        .collect();
    std::fs::write(env.path("many.csv"), many).unwrap();
    // Token Metadata items, whose mints carry the most accounts.
    let broken = example()
        .replace("standard = \"token-2022\"", "standard = \"token-metadata\"")
        .replace("supply = 6\n", "supply = 40\n")
        .replace("supply = 200\nper_wallet = 5", "supply = 200\nper_wallet = 1")
        .replace("burn = 2\nsupply = 25\ntiers = [\"presale\"]", "burn = 3\nsupply = 25\ntiers = [\"public\"]")
        + "\n[[tier]]\nlabel = \"old\"\nstart = \"2020-01-01T00:00:00Z\"\nend = \"2020-01-02T00:00:00Z\"\nprice = \"0.1\"\nsupply = 1\nper_wallet = 1\n"
        + "\n[[tier]]\nlabel = \"crowd\"\nstart = \"2030-07-01T00:00:00Z\"\nend = \"2030-07-02T00:00:00Z\"\nprice = \"0.1\"\nsupply = 3\nper_wallet = 1\nallowlist = \"many.csv\"\n";
    let config = env.write_config("broken.toml", &broken);
    let (code, valid) = env.json(&["validate", &config]);
    assert_eq!(code, 0, "the file itself is valid: {valid}");
    let (code, report) = env.json(&["rehearse", &config, "--collectors", "3"]);
    assert_eq!(code, 1, "{report}");
    let kinds = problems(&report, "kind");
    for kind in ["tier_cannot_sell_out", "window_over", "benefit_unreachable"] {
        assert!(kinds.contains(&kind), "{kind}: {kinds:?}");
    }
    // The crowd's proofs are too deep for a legacy mint; through the drop's lookup table,
    // which launch creates, they fit, so that is no problem.
    let crowd = report["instructions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"].as_str().unwrap().contains("crowd"))
        .unwrap_or_else(|| panic!("{report}"));
    assert_eq!(
        (crowd["fits_legacy"].as_bool(), crowd["fits_v0"].as_bool()),
        (Some(false), Some(true)),
        "{crowd}"
    );
    assert!(!kinds.contains(&"proof_too_large"), "{kinds:?}");
}

/// A small drop with a split and a benefit anyone's items qualify for.
fn flaky_config(env: &Env, artist: &str, writer: &str) -> String {
    env.write_config(
        "flaky.toml",
        &format!(
            r#"
[drop]
id = "flaky"
name = "Flaky"
symbol = "FLK"
uri = "https://example.com/f/collection.json"
item_uri = "https://example.com/f/{{index}}.json"
supply = 20

[[tier]]
label = "public"
start = "2031-03-01T00:00:00Z"
end = "2031-03-08T00:00:00Z"
price = "0.25"
supply = 20
per_wallet = 5

[[split]]
address = "{artist}"
share_bps = 7000

[[split]]
address = "{writer}"
share_bps = 3000

[[benefit]]
label = "print"
burn = 1
supply = 5
"#
        ),
    )
}

/// Writes the same creator keypair into every env, so runs make the same drop at the
/// same address; funds it. Returns the key file and the address.
fn fixed_creator(env: &Env) -> (String, String) {
    let keypair = microdrop_sdk::Keypair::new_from_array([7; 32]);
    let path = env.path("creator.json");
    std::fs::write(&path, format!("{:?}", keypair.to_bytes().to_vec())).unwrap();
    let address = microdrop_sdk::Signer::pubkey(&keypair).to_string();
    assert_eq!(env.json(&["sandbox", "airdrop", &address, "20"]).0, 0);
    (path.display().to_string(), address)
}

const ARTIST: &str = "Artist1111111111111111111111111111111111111";
const WRITER: &str = "Writer1111111111111111111111111111111111111";

/// The drop's status without the clock reading, for comparing runs.
fn drop_state(env: &Env, drop: &str) -> Value {
    let (code, mut status) = env.json(&["status", drop]);
    assert_eq!(code, 0, "{status}");
    status.as_object_mut().unwrap().remove("time");
    status
}

/// The balance of the wallet in `key_file`.
fn balance(env: &Env, key_file: &str) -> Value {
    env.json(&["-k", key_file, "wallet"]).1["balance"].clone()
}

/// Launch, mint 4, distribute and burn one through the CLI, with `vars` set on every
/// command; returns the drop's status (counters, vault, payouts, receipts) and the
/// creator's balance afterwards.
fn flaky_drop_life(env: &Env, vars: &[(&str, &str)]) -> (Value, Vec<Value>) {
    let (creator_key, _) = fixed_creator(env);
    let config = flaky_config(env, ARTIST, WRITER);
    let step = |args: &[&str]| {
        let mut all = vec!["-k", creator_key.as_str()];
        all.extend_from_slice(args);
        let (code, out) = env.json_with(&all, vars);
        assert_eq!(code, 0, "{args:?} with {vars:?}: {out}");
        out
    };
    let launched = step(&["launch", &config]);
    let drop = launched["drop"].as_str().unwrap().to_string();
    assert_eq!(env.json(&["sandbox", "warp", "2031-03-02T00:00:00Z"]).0, 0);
    let minted = step(&["mint", &drop, "--tier", "public", "--quantity", "4"]);
    assert_eq!(minted["mints"].as_array().unwrap().len(), 4, "{minted}");
    step(&["distribute", &drop]);
    step(&["burn", &drop, "--benefit", "print"]);
    (drop_state(env, &drop), vec![balance(env, &creator_key)])
}

#[test]
fn every_command_converges_on_a_flaky_cluster() {
    let clean = Env::new();
    let expected = flaky_drop_life(&clean, &[]);
    assert_eq!(expected.0["supply"]["minted"], 4, "{}", expected.0);
    assert_eq!(expected.0["benefits"][0]["redeemed"], 1, "{}", expected.0);
    let flaky = Env::new();
    let faults = "timeout=0.2,rate_limit=0.2,drop=0.2,expire_blockhash=0.1,seed=7";
    let got = flaky_drop_life(&flaky, &[("MICRODROP_FAULTS", faults)]);
    // The same counters, receipts, vault and payouts, and the same SOL spent.
    assert_eq!(got, expected);
}

#[test]
fn faults_are_refused_when_malformed_or_aimed_at_a_real_cluster() {
    let env = Env::new();
    let out = env.run_with(&["wallet"], &[("MICRODROP_FAULTS", "drop=2")]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("MICRODROP_FAULTS: drop must be a probability"),
        "{}",
        stderr(&out)
    );
    let out = env.run_with(
        &["-u", "devnet", "wallet"],
        &[("MICRODROP_FAULTS", "drop=0.1")],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("injects faults into the sandbox only"),
        "{}",
        stderr(&out)
    );
}

/// Launches, killed right after transaction `kill_after` lands (before the process
/// hears back) and then run again; returns the final launch's output, the drop's status
/// and the creator's balance.
fn launch_killed_after(env: &Env, kill_after: Option<usize>) -> (Value, Value, Value) {
    let (key, _) = fixed_creator(env);
    let config = flaky_config(env, ARTIST, WRITER);
    if let Some(n) = kill_after {
        let faults = format!("kill_after={n}");
        let out = env.run_with(
            &["-k", &key, "launch", &config],
            &[("MICRODROP_FAULTS", &faults)],
        );
        assert_eq!(out.status.code(), Some(137), "{}", stderr(&out));
    }
    let (code, launched) = env.json(&["-k", &key, "launch", &config]);
    assert_eq!(code, 0, "{launched}");
    let drop = launched["drop"].as_str().unwrap().to_string();
    let status = drop_state(env, &drop);
    let balance = balance(env, &key);
    (launched, status, balance)
}

/// Kills `launch` after each of its transactions in turn and runs it again: each time it
/// converges on the drop one uninterrupted launch makes, with no account created twice
/// and not a lamport more spent.
#[test]
fn launch_killed_after_any_transaction_converges_when_run_again() {
    let (launched, status, balance) = launch_killed_after(&Env::new(), None);
    let transactions = launched["signatures"].as_array().unwrap().len();
    assert!(transactions >= 2, "{launched}");
    for kill_after in 1..=transactions {
        let (_, got_status, got_balance) = launch_killed_after(&Env::new(), Some(kill_after));
        assert_eq!(
            (&got_status, &got_balance),
            (&status, &balance),
            "killed after transaction {kill_after}"
        );
    }
}

/// A launch that pauses a live drop to change its tiers over several transactions, killed
/// in between, leaves the drop paused; run again, it finishes the change and resumes it.
#[test]
fn a_relaunch_killed_while_the_drop_is_paused_resumes_it_when_run_again() {
    // Seven more allow-listed tiers with long labels: more than one transaction holds.
    let extra_tiers: String = (1..=7)
        .map(|i| {
            format!(
                "\n[[tier]]\nlabel = \"wave {i} of the spring collectors\"\n\
                 start = \"2031-04-0{i}T00:00:00Z\"\nend = \"2031-04-0{}T00:00:00Z\"\n\
                 price = \"0.{i}\"\nsupply = 1\nper_wallet = 1\nallowlist = \"presale.csv\"\n",
                i + 1
            )
        })
        .collect();
    let relaunch = |kill_after: Option<usize>| -> (Value, Value, Value) {
        let env = Env::new();
        let (key, _) = fixed_creator(&env);
        let config = flaky_config(&env, ARTIST, WRITER);
        assert_eq!(env.json(&["-k", &key, "launch", &config]).0, 0);
        let changed = std::fs::read_to_string(&config)
            .unwrap()
            .replace("supply = 20\nper_wallet = 5", "supply = 10\nper_wallet = 3")
            .replacen("[[split]]", &format!("{extra_tiers}\n[[split]]"), 1);
        std::fs::write(&config, changed).unwrap();
        if let Some(n) = kill_after {
            let faults = format!("kill_after={n}");
            let out = env.run_with(
                &["-k", &key, "launch", &config],
                &[("MICRODROP_FAULTS", &faults)],
            );
            assert_eq!(out.status.code(), Some(137), "{}", stderr(&out));
            if n == 1 {
                let (_, paused) = env.json(&["-k", &key, "status", &config]);
                assert_eq!(paused["status"], "paused", "{paused}");
            }
        }
        let (code, launched) = env.json(&["-k", &key, "launch", &config]);
        assert_eq!(code, 0, "{launched}");
        let drop = launched["drop"].as_str().unwrap().to_string();
        (launched, drop_state(&env, &drop), balance(&env, &key))
    };
    let (launched, status, balance) = relaunch(None);
    assert_eq!(launched["paused_for_update"], true);
    assert_eq!(status["status"], "active");
    assert_eq!(status["tiers"].as_array().unwrap().len(), 8);
    let transactions = launched["signatures"].as_array().unwrap().len();
    assert!(
        transactions >= 2,
        "the change spans transactions: {launched}"
    );
    for kill_after in 1..transactions {
        let (again, got_status, got_balance) = relaunch(Some(kill_after));
        if kill_after == 1 {
            assert_eq!(again["paused_for_update"], true, "{again}");
        }
        assert_eq!(
            (&got_status, &got_balance),
            (&status, &balance),
            "killed after transaction {kill_after}"
        );
    }
}

/// What a webhook receiver on loopback got: each request's signature header and body.
struct Receiver {
    url: String,
    got: std::sync::Arc<std::sync::Mutex<Vec<(String, String)>>>,
}

/// Answers 500 to the first `fail_first` requests, then 200, recording what succeeded.
fn receiver(fail_first: usize) -> Receiver {
    use std::io::{BufRead, BufReader, Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    let got = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let record = got.clone();
    std::thread::spawn(move || {
        let mut seen = 0;
        for stream in listener.incoming() {
            let mut stream = stream.unwrap();
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let (mut length, mut signature) = (0, String::new());
            loop {
                let mut line = String::new();
                reader.read_line(&mut line).unwrap();
                let line = line.trim_end();
                if line.is_empty() {
                    break;
                }
                let (name, value) = line.split_once(':').unwrap_or((line, ""));
                match name.to_ascii_lowercase().as_str() {
                    "content-length" => length = value.trim().parse().unwrap(),
                    "x-microdrop-signature" => signature = value.trim().to_string(),
                    _ => {}
                }
            }
            let mut body = vec![0; length];
            reader.read_exact(&mut body).unwrap();
            seen += 1;
            let status = if seen <= fail_first {
                "500 Internal Server Error"
            } else {
                record
                    .lock()
                    .unwrap()
                    .push((signature, String::from_utf8(body).unwrap()));
                "200 OK"
            };
            let _ = write!(
                stream,
                "HTTP/1.1 {status}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
            );
        }
    });
    Receiver { url, got }
}

fn hmac_hex(secret: &str, body: &str) -> String {
    use hmac::Mac;
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(body.as_bytes());
    let digest = mac.finalize().into_bytes();
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256={hex}")
}

fn lines(out: &Output) -> Vec<String> {
    String::from_utf8(out.stdout.clone())
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect()
}

/// Every event reaches a webhook exactly once, in chain order and correctly signed, through
/// a failing receiver and across watcher restarts, and `watch` follows new events while
/// other commands use the sandbox.
#[test]
fn watch_delivers_every_event_once_in_order_across_restarts() {
    let env = Env::new();
    let (key, _) = fixed_creator(&env);
    let config = flaky_config(&env, ARTIST, WRITER);
    let run = |args: &[&str]| {
        let mut all = vec!["-k", key.as_str()];
        all.extend_from_slice(args);
        let out = env.run(&all);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
        out
    };
    run(&["launch", &config]);
    assert_eq!(env.json(&["sandbox", "warp", "2031-03-02T00:00:00Z"]).0, 0);
    run(&["mint", &config, "--tier", "public", "--quantity", "2"]);

    let hook = receiver(3);
    let secret = "s3cret";
    let cursor = env.path("watch.cursor").display().to_string();
    let watch_args = |extra: &[&str]| {
        let mut args = vec![
            "-k",
            key.as_str(),
            "watch",
            &config,
            "--cursor",
            &cursor,
            "--webhook",
            &hook.url,
            "--secret",
            secret,
        ];
        args.extend_from_slice(extra);
        args.into_iter().map(String::from).collect::<Vec<_>>()
    };
    let watch = |extra: &[&str]| {
        let args = watch_args(extra);
        let out = env.run(&args.iter().map(String::as_str).collect::<Vec<_>>());
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        out
    };
    let first = lines(&watch(&["--no-follow"]));
    // Created (with its split), the tier, the benefit, activated, the lookup table, then
    // the mint.
    assert_eq!(
        field(&first, "type"),
        ["status", "config", "config", "status", "config", "mint"],
        "{first:#?}"
    );

    // Caught up: a restart delivers nothing again.
    assert!(lines(&watch(&["--no-follow"])).is_empty());

    // Followed live: a mint and a burn while the watcher runs.
    let mut follower = Command::new(env!("CARGO_BIN_EXE_microdrop"))
        .args(watch_args(&["--poll-interval", "0.2"]))
        .env("HOME", env.dir.path())
        .env("MICRODROP_SANDBOX_DIR", env.path("sandbox"))
        .env_remove("MICRODROP_URL")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    run(&["mint", &config, "--tier", "public", "--quantity", "1"]);
    run(&["burn", &config, "--benefit", "print"]);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while hook.got.lock().unwrap().len() < first.len() + 2 && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    // Let it record its cursor after the last delivery, then kill it.
    std::thread::sleep(std::time::Duration::from_millis(500));
    follower.kill().unwrap();
    follower.wait().unwrap();
    run(&["distribute", &config]);
    // Restarted after the kill: only what it had not handled.
    let after_restart = lines(&watch(&["--no-follow"]));
    assert_eq!(after_restart.len(), 1, "{after_restart:#?}");

    // The receiver got each event exactly once, in chain order, signed.
    let everything = lines(&run(&[
        "watch",
        &config,
        "--from",
        "beginning",
        "--no-follow",
    ]));
    let got = hook.got.lock().unwrap().clone();
    let bodies: Vec<&String> = got.iter().map(|(_, body)| body).collect();
    assert_eq!(bodies, everything.iter().collect::<Vec<_>>());
    for (signature, body) in &got {
        assert_eq!(signature, &hmac_hex(secret, body));
    }
    let ids: std::collections::BTreeSet<String> = field(&everything, "id").into_iter().collect();
    assert_eq!(ids.len(), everything.len(), "ids are unique");
    let last_types = field(&everything[first.len()..], "type");
    assert_eq!(last_types, ["mint", "redeem", "distribute"]);

    // A replay from a transaction starts with its events.
    let mint_signature = serde_json::from_str::<Value>(&everything[5]).unwrap()["signature"]
        .as_str()
        .unwrap()
        .to_string();
    let replay = lines(&run(&[
        "watch",
        &config,
        "--from",
        &mint_signature,
        "--no-follow",
    ]));
    assert_eq!(replay, everything[5..].to_vec());
    // From another drop's transaction, or one the cluster never saw: refused, saying so.
    let other = env.write_config(
        "other.toml",
        &std::fs::read_to_string(&config)
            .unwrap()
            .replace("id = \"flaky\"", "id = \"other\""),
    );
    let (_, launched) = env.json(&["-k", &key, "launch", &other]);
    let foreign = launched["signatures"][0].as_str().unwrap().to_string();
    let unknown = microdrop_sdk::Signature::from([9; 64]).to_string();
    for (from, says) in [
        (foreign.as_str(), "has no events of drop"),
        (unknown.as_str(), "is not in the cluster's history"),
    ] {
        let (code, refused) =
            env.json(&["-k", &key, "watch", &config, "--from", from, "--no-follow"]);
        assert_eq!(code, 1, "{refused}");
        assert!(
            refused["error"].as_str().unwrap().contains(says),
            "{refused}"
        );
    }
}

/// One string field of each JSON line.
fn field(lines: &[String], name: &str) -> Vec<String> {
    lines
        .iter()
        .map(|line| {
            let value: Value = serde_json::from_str(line).unwrap();
            value[name]
                .as_str()
                .unwrap_or_else(|| panic!("{line}"))
                .to_string()
        })
        .collect()
}

/// A refused transaction names the program error and shows the program's last logs, in
/// JSON and on stderr.
#[test]
fn a_refusal_names_the_error_and_shows_the_program_logs() {
    let env = Env::new();
    let (key, _) = fixed_creator(&env);
    let config = flaky_config(&env, ARTIST, WRITER);
    assert_eq!(env.json(&["-k", &key, "launch", &config]).0, 0);
    // The sale opens in 2031; the sandbox clock is now.
    let args = ["-k", key.as_str(), "mint", &config, "--tier", "public"];
    let (code, refused) = env.json(&args);
    assert_eq!(code, 1, "{refused}");
    assert_eq!(
        refused["program_error"]["name"], "TierNotStarted",
        "{refused}"
    );
    let logs: Vec<&str> = refused["logs"]
        .as_array()
        .unwrap_or_else(|| panic!("{refused}"))
        .iter()
        .map(|l| l.as_str().unwrap())
        .collect();
    assert!(
        logs.iter()
            .any(|l| l.contains("failed: custom program error")),
        "{logs:#?}"
    );
    let out = env.run(&args);
    let text = stderr(&out);
    assert!(text.contains("TierNotStarted"), "{text}");
    assert!(text.contains("program logs (last"), "{text}");
}

/// A relaunch whose change never lands leaves the drop live and no pause marker behind, so
/// a pause the creator makes afterwards is not undone by the next launch.
#[test]
fn a_failed_relaunch_leaves_no_pause_to_finish() {
    let env = Env::new();
    let (key, _) = fixed_creator(&env);
    let config = flaky_config(&env, ARTIST, WRITER);
    let (code, launched) = env.json(&["-k", &key, "launch", &config]);
    assert_eq!(code, 0, "{launched}");
    let drop = launched["drop"].as_str().unwrap().to_string();
    let original = std::fs::read_to_string(&config).unwrap();
    std::fs::write(
        &config,
        original.replace("per_wallet = 5", "per_wallet = 4"),
    )
    .unwrap();
    // Almost every send is lost: the change never lands.
    let (code, failed) = env.json_with(
        &["-k", &key, "launch", &config],
        &[("MICRODROP_FAULTS", "drop=0.5,expire_blockhash=0.49,seed=5")],
    );
    assert_eq!(code, 1, "{failed}");
    assert!(
        failed["error"].as_str().unwrap().contains("did not land"),
        "{failed}"
    );
    assert!(!env.path(".flaky.launch-paused").exists());
    assert_eq!(drop_state(&env, &drop)["status"], "active");

    // The creator pauses on purpose; launching the unchanged config keeps it paused.
    std::fs::write(&config, &original).unwrap();
    assert_eq!(env.json(&["-k", &key, "pause", &config]).0, 0);
    let (code, again) = env.json(&["-k", &key, "launch", &config]);
    assert_eq!(code, 0, "{again}");
    assert_eq!(again["status"], "paused", "{again}");
}

/// A drop handed to another wallet in two steps, and an item's URI corrected, as the
/// creator and the new authority run them.
#[test]
fn the_authority_hands_a_drop_over_and_corrects_an_item() {
    let env = Env::new();
    let config = env.write_config(
        "drop.toml",
        &example().replace("spring-zine\"", "handover\""),
    );
    let (drop, creator) = launched(&env, &config);
    let (heir_key, heir) = new_keypair(&env, "heir.json");
    assert_eq!(env.json(&["sandbox", "airdrop", &heir, "5"]).0, 0);
    assert_eq!(env.json(&["sandbox", "warp", "2030-06-02T16:00:00Z"]).0, 0);
    let minted = env.run(&["mint", &config, "--tier", "public", "--quantity", "1"]);
    assert_eq!(minted.status.code(), Some(0), "{}", stderr(&minted));
    // Text shows amounts in the currency.
    let text = String::from_utf8(minted.stdout).unwrap();
    assert!(text.contains("(paid 0.35 SOL)"), "{text}");
    let text = String::from_utf8(env.run(&["status", &drop]).stdout).unwrap();
    assert!(text.contains("0.35 SOL each"), "{text}");
    assert!(
        text.contains("(0.35 SOL to distribute, 0 SOL distributed)"),
        "{text}"
    );
    assert!(!text.contains("smallest units"), "{text}");
    let item = item_mint(&drop, 1);

    // The URI: refused before sending when too long, for a mint that is no item, and
    // for anyone but the authority; then corrected.
    let before = env.sandbox_state();
    let (code, doc) = env.json(&["item", "update-uri", &item, &"u".repeat(201)]);
    assert_eq!(code, 1, "{doc}");
    assert!(
        doc["error"].as_str().unwrap().contains("1-200 bytes"),
        "{doc}"
    );
    assert_eq!(env.sandbox_state(), before, "nothing was sent");
    let stranger = item_mint(&drop, 2);
    let (code, doc) = env.json(&[
        "item",
        "update-uri",
        &stranger,
        "https://example.com/x.json",
    ]);
    assert_eq!(code, 1, "{doc}");
    assert!(
        doc["error"]
            .as_str()
            .unwrap()
            .contains("not an unburned item"),
        "{doc}"
    );
    let (code, doc) = env.json(&[
        "item",
        "update-uri",
        &item,
        "https://example.com/x.json",
        "-k",
        &heir_key,
    ]);
    assert_eq!(code, 1, "{doc}");
    assert_eq!(doc["program_error"]["name"], "DropAuthorityMismatch");
    let fixed = "https://example.com/spring-zine/fixed/1.json";
    let (code, doc) = env.json(&["item", "update-uri", &item, fixed]);
    assert_eq!(code, 0, "{doc}");
    assert_eq!(
        (doc["drop"].as_str(), doc["index"].as_u64()),
        (Some(drop.as_str()), Some(1))
    );
    let (code, shown) = env.json(&["item", &item]);
    assert_eq!(code, 0, "{shown}");
    assert_eq!(shown["uri"], fixed);
    assert_eq!(shown["collection"]["verified"], true);

    // The handover: nothing to accept before an offer; the offer changes nothing yet.
    let (code, doc) = env.json(&["authority", "accept", &drop, "-k", &heir_key]);
    assert_eq!(code, 1, "{doc}");
    assert_eq!(doc["program_error"]["name"], "DropPendingAuthorityMismatch");
    let (code, doc) = env.json(&["authority", "transfer", &drop, &heir]);
    assert_eq!(code, 0, "{doc}");
    assert_eq!(doc["authority"], creator.as_str());
    assert_eq!(doc["pending_authority"], heir.as_str());
    let (_, status) = env.json(&["status", &drop]);
    assert_eq!(status["pending_authority"], heir.as_str());
    let (code, doc) = env.json(&["authority", "accept", &drop, "-k", &heir_key]);
    assert_eq!(code, 0, "{doc}");
    assert_eq!(doc["authority"], heir.as_str());
    assert!(doc["pending_authority"].is_null());

    // The old authority is out; the new one runs the drop at the same address.
    let (code, doc) = env.json(&["pause", &drop]);
    assert_eq!(code, 1, "{doc}");
    assert_eq!(doc["program_error"]["name"], "DropAuthorityMismatch");
    let (code, doc) = env.json(&["pause", &drop, "-k", &heir_key]);
    assert_eq!(code, 0, "{doc}");
    let (_, status) = env.json(&["status", &drop]);
    assert_eq!(status["authority"], heir.as_str());
    assert_eq!(status["status"], "paused");
}

/// `items` lists every item minted, with who holds it, its tier and whether it burned, and
/// writes the hash list of the items still there.
#[test]
fn items_lists_every_item_and_writes_the_hash_list() {
    let env = Env::new();
    let config = env.write_config(
        "drop.toml",
        &example()
            .replace("spring-zine\"", "listing\"")
            .replace("tiers = [\"presale\"]\n", ""),
    );
    let (drop, creator) = launched(&env, &config);
    let (code, empty) = env.json(&["items", &drop]);
    assert_eq!(code, 0, "{empty}");
    assert_eq!(empty["items"], serde_json::json!([]));

    assert_eq!(env.json(&["sandbox", "warp", "2030-06-02T16:00:00Z"]).0, 0);
    let (code, minted) = env.json(&["mint", &config, "--tier", "public", "--quantity", "3"]);
    assert_eq!(code, 0, "{minted}");
    let (code, burned) = env.json(&["burn", &config, "--benefit", "signed-print"]);
    assert_eq!(code, 0, "{burned}");

    let list = env.path("hashlist.json");
    let (code, doc) = env.json(&["items", &config, "--hash-list", list.to_str().unwrap()]);
    assert_eq!(code, 0, "{doc}");
    assert_eq!(doc["drop"], drop.as_str());
    let items = doc["items"].as_array().unwrap();
    assert_eq!(items.len(), 3);
    for (i, item) in items.iter().enumerate() {
        let index = i as u64 + 1;
        assert_eq!(item["index"], index);
        assert_eq!(item["mint"], item_mint(&drop, index).as_str());
        assert_eq!(item["tier"], 1, "sold by the public tier");
    }
    let burned: Vec<&str> = burned["burned"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m.as_str().unwrap())
        .collect();
    for item in items {
        let was_burned = burned.contains(&item["mint"].as_str().unwrap());
        assert_eq!(item["burned"], was_burned, "{item}");
        if was_burned {
            assert!(item["owner"].is_null(), "{item}");
        } else {
            assert_eq!(item["owner"], creator.as_str());
        }
    }
    let hash_list: Vec<String> =
        serde_json::from_str(&std::fs::read_to_string(&list).unwrap()).unwrap();
    let kept: Vec<String> = items
        .iter()
        .filter(|i| i["burned"] == false)
        .map(|i| i["mint"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(hash_list, kept);
    assert_eq!(hash_list.len(), 1);

    let missing = microdrop_sdk::Keypair::new();
    let (code, doc) = env.json(&[
        "items",
        &microdrop_sdk::Signer::pubkey(&missing).to_string(),
    ]);
    assert_eq!(code, 1, "{doc}");
}

/// A new user's Token-2022 drop: `init` writes one; its items are group members whose
/// metadata wallets read, and burning one brings back all of its rent.
#[test]
fn a_token_2022_drop_from_init_mints_items_wallets_read_and_burns_them_for_their_rent() {
    let env = Env::new();
    let dir = env.path("fresh");
    let (code, init) = env.json(&["init", dir.to_str().unwrap()]);
    assert_eq!(code, 0, "{init}");
    let config = dir.join("drop.toml").display().to_string();
    let text = std::fs::read_to_string(&config).unwrap();
    assert!(text.contains("\nstandard = \"token-2022\"\n"), "{text}");
    // Let the benefit take the public tier's items too.
    std::fs::write(&config, text.replace("tiers = [\"presale\"]\n", "")).unwrap();
    let (drop, _) = launched(&env, &config);
    let (_, status) = env.json(&["status", &config]);
    assert_eq!(status["standard"], "token-2022");
    assert_eq!(status["transferable"], true);

    assert_eq!(env.json(&["sandbox", "warp", "2030-06-02T16:00:00Z"]).0, 0);
    let (code, minted) = env.json(&["mint", &config, "--tier", "public", "--quantity", "3"]);
    assert_eq!(code, 0, "{minted}");
    assert_eq!(
        minted["signatures"].as_array().unwrap().len(),
        1,
        "three Token-2022 items in one transaction: {minted}"
    );
    let first = item_mint(&drop, 1);
    let (code, item) = env.json(&["item", &first]);
    assert_eq!(code, 0, "{item}");
    assert_eq!(item["standard"], "token-2022");
    assert_eq!(item["transferable"], true);
    assert_eq!(item["drop"], drop.as_str());
    assert_eq!(item["index"], 1);
    assert_eq!(item["name"], "Spring Zine #1");
    assert_eq!(item["collection"]["mint"], status["collection_mint"]);
    assert_eq!(item["collection"]["verified"], true);
    assert_eq!(item["seller_fee_bps"], 500);
    let vault = microdrop_sdk::pda::vault(&drop.parse().unwrap())
        .0
        .to_string();
    assert_eq!(
        item["creators"],
        serde_json::json!([{"address": vault, "verified": false, "share": 100}])
    );

    let (code, burned) = env.json(&["burn", &config, "--benefit", "signed-print"]);
    assert_eq!(code, 0, "{burned}");
    let returned = burned["returned"].as_u64().unwrap();
    // The token account alone holds 2,074,080; the mint's rent comes back too.
    assert!(returned > 2 * 2_074_080, "{burned}");
    let (_, items) = env.json(&["items", &config]);
    let gone: Vec<&Value> = items["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["burned"] == true)
        .collect();
    assert_eq!(gone.len(), 2, "the benefit burns two: {items}");
    assert!(gone.iter().all(|i| i["tier"] == 1 && i["owner"].is_null()));
}

/// A child process killed when the test ends, passing or not.
struct KillOnDrop(std::process::Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// POSTs a JSON-RPC body to `url` (`http://host:port`) and returns the answer.
fn rpc_post(url: &str, body: &str) -> Value {
    use std::io::{Read, Write};
    let address = url.trim_start_matches("http://");
    let mut stream = std::net::TcpStream::connect(address).unwrap();
    write!(
        stream,
        "POST / HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let (head, body) = response.split_once("\r\n\r\n").unwrap();
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {body}"))
}

/// `sandbox serve`: JSON-RPC 2.0 over HTTP (batches and the standard errors included),
/// what wallets read of Token-2022 items, the websocket pubsub notifications, the CLI
/// working through it by `-u` and by `--url sandbox`, and the state saved on SIGTERM.
#[test]
fn the_sandbox_serves_json_rpc_and_saves_on_sigterm() {
    use std::io::BufRead;
    let env = Env::new();
    let out = env.run(&["sandbox", "serve", "--bind", "0.0.0.0:0"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("--allow-remote"), "{}", stderr(&out));

    let server = Command::new(env!("CARGO_BIN_EXE_microdrop"))
        .args([
            "sandbox",
            "serve",
            "--bind",
            "127.0.0.1:0",
            "--output",
            "json",
        ])
        .env_remove("MICRODROP_FAULTS")
        .env("HOME", env.dir.path())
        .env("MICRODROP_SANDBOX_DIR", env.path("sandbox"))
        .env_remove("MICRODROP_URL")
        .env_remove("MICRODROP_KEYPAIR")
        .env_remove("RUST_LOG")
        .current_dir(env.dir.path())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut server = KillOnDrop(server);
    let mut line = String::new();
    std::io::BufReader::new(server.0.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let started: Value = serde_json::from_str(&line).unwrap();
    let url = started["rpc"].as_str().unwrap().to_string();
    assert!(url.starts_with("http://127.0.0.1:"), "{line}");

    // A batch: answers in order, an unknown method gets -32601.
    let answers = rpc_post(
        &url,
        r#"[{"jsonrpc":"2.0","id":1,"method":"getHealth"},
            {"jsonrpc":"2.0","id":2,"method":"noSuchMethod"},
            {"jsonrpc":"2.0","id":3,"method":"getMinimumBalanceForRentExemption","params":[0]}]"#,
    );
    assert_eq!(answers[0]["result"], "ok");
    assert_eq!(answers[1]["error"]["code"], -32601);
    assert_eq!(answers[2]["result"], 890_880);
    assert_eq!(rpc_post(&url, "{not json")["error"]["code"], -32700);
    assert_eq!(rpc_post(&url, r#"{"id":1}"#)["error"]["code"], -32600);
    assert_eq!(
        rpc_post(
            &url,
            r#"{"jsonrpc":"2.0","id":4,"method":"getBalance","params":["x"]}"#
        )["error"]["code"],
        -32602
    );
    // The sandbox's trace limit (the web tests rehearse a stricter cluster with it).
    let limited = rpc_post(
        &url,
        r#"[{"jsonrpc":"2.0","id":1,"method":"sandboxTraceLimit","params":[-1]},
            {"jsonrpc":"2.0","id":2,"method":"sandboxTraceLimit","params":[0]}]"#,
    );
    assert_eq!(limited[0]["error"]["code"], -32602, "{limited}");
    assert_eq!(limited[1]["result"]["traceLimit"], 0, "{limited}");

    // The CLI through the server: by its URL, and by `--url sandbox` on the same directory.
    let config = env.write_config("drop.toml", &example());
    // By URL the CLI signs as the Solana CLI would: here with the sandbox's funded key.
    let key = env.path("sandbox/id.json").display().to_string();
    let (code, launched) = env.json(&["launch", &config, "--url", &url, "-k", &key, "--yes"]);
    assert_eq!(code, 0, "{launched}");
    let (code, refused) = env.json(&["mint", &config, "--tier", "public"]);
    assert_eq!(
        (code, &refused["program_error"]["name"]),
        (1, &Value::from("TierNotStarted")),
        "a refusal through the server decodes as on a cluster: {refused}"
    );
    assert_eq!(env.json(&["sandbox", "warp", "2030-06-02T16:00:00Z"]).0, 0);
    let (code, minted) = env.json(&["mint", &config, "--tier", "public", "--quantity", "2"]);
    assert_eq!(code, 0, "{minted}");
    let out = env.run(&["sandbox", "reset"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("being served"), "{}", stderr(&out));

    // What wallets read: the buyer's Token-2022 items, parsed, and their supply.
    let buyer = microdrop_sdk::Signer::pubkey(
        &microdrop_sdk::read_keypair_file(env.path("sandbox/id.json")).unwrap(),
    );
    let held = rpc_post(
        &url,
        &serde_json::json!({"jsonrpc": "2.0", "id": 5, "method": "getTokenAccountsByOwner",
            "params": [buyer.to_string(), {"programId": microdrop_sdk::TOKEN_2022_PROGRAM_ID.to_string()},
                       {"encoding": "jsonParsed"}]})
        .to_string(),
    );
    let held = held["result"]["value"].as_array().unwrap().clone();
    let items: Vec<String> = minted["mints"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m.as_str().unwrap().to_string())
        .collect();
    for item in &items {
        let entry = held
            .iter()
            .find(|e| e["account"]["data"]["parsed"]["info"]["mint"] == item.as_str())
            .unwrap_or_else(|| panic!("{item} not among {held:?}"));
        assert_eq!(entry["account"]["data"]["program"], "spl-token-2022");
        assert_eq!(
            entry["account"]["data"]["parsed"]["info"]["tokenAmount"]["amount"],
            "1"
        );
        let call = |method: &str| {
            rpc_post(
                &url,
                &serde_json::json!({"jsonrpc": "2.0", "id": 6, "method": method,
                    "params": [item, {"encoding": "jsonParsed"}]})
                .to_string(),
            )
        };
        let supply = &call("getTokenSupply")["result"]["value"];
        assert_eq!(
            (&supply["amount"], &supply["decimals"]),
            (&Value::from("1"), &Value::from(0))
        );
        let mint = &call("getAccountInfo")["result"]["value"]["data"]["parsed"];
        assert_eq!(mint["type"], "mint", "{mint}");
        let token = entry["pubkey"].as_str().unwrap();
        let balance = rpc_post(
            &url,
            &serde_json::json!({"jsonrpc": "2.0", "id": 7, "method": "getTokenAccountBalance",
                "params": [token]})
            .to_string(),
        );
        assert_eq!(balance["result"]["value"]["uiAmountString"], "1");
    }

    // Pubsub: slot, account, logs and signature notifications for a mint made through the
    // server by the CLI.
    let ws_url = started["websocket"].as_str().unwrap().to_string();
    let (mut socket, _) = tungstenite::connect(ws_url.as_str()).unwrap();
    if let tungstenite::stream::MaybeTlsStream::Plain(stream) = socket.get_mut() {
        stream
            .set_read_timeout(Some(std::time::Duration::from_secs(20)))
            .unwrap();
    }
    let next = |socket: &mut tungstenite::WebSocket<_>| -> Value {
        loop {
            match socket.read().unwrap() {
                tungstenite::Message::Text(text) => return serde_json::from_str(&text).unwrap(),
                _ => continue,
            }
        }
    };
    let subscribe =
        |socket: &mut tungstenite::WebSocket<_>, id: u64, method: &str, params: Value| {
            let call =
                serde_json::json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params});
            socket
                .send(tungstenite::Message::text(call.to_string()))
                .unwrap();
        };
    subscribe(&mut socket, 1, "slotSubscribe", serde_json::json!([]));
    let slot_sub = next(&mut socket)["result"].as_u64().unwrap();
    subscribe(
        &mut socket,
        2,
        "accountSubscribe",
        serde_json::json!([buyer.to_string(), {"encoding": "base64"}]),
    );
    let account_sub = next(&mut socket)["result"].as_u64().unwrap();
    subscribe(
        &mut socket,
        3,
        "logsSubscribe",
        serde_json::json!([{"mentions": [microdrop_sdk::microdrop::ID.to_string()]}, {}]),
    );
    let logs_sub = next(&mut socket)["result"].as_u64().unwrap();
    let (code, again) = env.json(&["mint", &config, "--tier", "public"]);
    assert_eq!(code, 0, "{again}");
    let mut seen = std::collections::HashMap::new();
    while seen.len() < 3 {
        let message = next(&mut socket);
        let method = message["method"].as_str().unwrap().to_string();
        seen.insert(method, message);
    }
    assert_eq!(seen["slotNotification"]["params"]["subscription"], slot_sub);
    assert_eq!(
        seen["accountNotification"]["params"]["subscription"],
        account_sub
    );
    let logs = &seen["logsNotification"]["params"];
    assert_eq!(logs["subscription"], logs_sub);
    assert_eq!(logs["result"]["value"]["signature"], again["signatures"][0]);
    assert!(logs["result"]["value"]["logs"]
        .as_array()
        .unwrap()
        .iter()
        .any(|l| l.as_str().unwrap().contains("Instruction: Mint")));
    // A signature that already landed is notified at once, and the subscription ends.
    subscribe(
        &mut socket,
        4,
        "signatureSubscribe",
        serde_json::json!([again["signatures"][0], {}]),
    );
    let signature_sub = next(&mut socket)["result"].as_u64().unwrap();
    let landed = next(&mut socket);
    assert_eq!(landed["method"], "signatureNotification");
    assert_eq!(landed["params"]["subscription"], signature_sub);
    assert!(landed["params"]["result"]["value"]["err"].is_null());
    subscribe(
        &mut socket,
        5,
        "slotUnsubscribe",
        serde_json::json!([slot_sub]),
    );
    assert_eq!(next(&mut socket)["result"], true);
    subscribe(
        &mut socket,
        6,
        "slotUnsubscribe",
        serde_json::json!([slot_sub]),
    );
    assert_eq!(next(&mut socket)["result"], false);

    // SIGTERM: the server saves and exits; the sandbox keeps everything.
    // SAFETY: sends a signal to a child this test spawned and still owns.
    unsafe { libc::kill(server.0.id() as i32, libc::SIGTERM) };
    assert!(server.0.wait().unwrap().success());
    let (code, status) = env.json(&["status", &config]);
    assert_eq!(code, 0, "{status}");
    assert_eq!(status["supply"]["minted"], 3);
    assert!(!env.path("sandbox/serving.json").exists());
}

/// Whether `doc` lists a problem of `field` whose message contains `message`.
fn has_problem(doc: &Value, field: &str, message: &str) -> bool {
    doc["problems"].as_array().is_some_and(|all| {
        all.iter().any(|p| {
            p["field"] == field && p["message"].as_str().is_some_and(|m| m.contains(message))
        })
    })
}

/// A drop.toml named `name` of `standard`, with its other `[drop]` lines and its tiers.
fn demand_config(env: &Env, name: &str, standard: &str, drop_lines: &str, tiers: &str) -> String {
    let text = format!(
        "[drop]\nid = \"{name}\"\nname = \"Demand\"\nsymbol = \"DMD\"\n\
         uri = \"https://example.com/c.json\"\nitem_uri = \"https://example.com/{{index}}.json\"\n\
         standard = \"{standard}\"\n{drop_lines}\n{tiers}"
    );
    env.write_config(&format!("{name}.toml"), &text)
}

const OPEN_TIER: &str = "[[tier]]\nlabel = \"open\"\nstart = \"2030-06-01T16:00:00Z\"\n\
    end = \"2030-06-09T16:00:00Z\"\nprice = \"0.1\"\nper_wallet = 4\n";

#[test]
fn bad_open_editions_preorders_and_airdrop_lists_are_named_before_anything_is_sent() {
    let env = Env::new();
    let capped_tier = OPEN_TIER.replace("per_wallet = 4", "per_wallet = 4\nsupply = 10");
    let cases: [(&str, &str, &str, &str); 6] = [
        (
            "supply = 10",
            OPEN_TIER,
            "tier[0].supply",
            "give this tier a supply",
        ),
        (
            "supply = \"lots\"",
            OPEN_TIER,
            "drop.supply",
            "expected a number of items or \"open\"",
        ),
        (
            "supply = 10\nminimum = 5",
            &capped_tier,
            "drop.deadline",
            "needs a deadline",
        ),
        (
            "supply = 10\ndeadline = \"2030-06-05T00:00:00Z\"",
            &capped_tier,
            "drop.minimum",
            "set the minimum",
        ),
        (
            "supply = 10\nminimum = 11\ndeadline = \"2030-06-05T00:00:00Z\"",
            &capped_tier,
            "drop.minimum",
            "above the drop's supply",
        ),
        (
            "supply = \"open\"\nminimum = 5\ndeadline = \"2030-05-01T00:00:00Z\"",
            OPEN_TIER,
            "drop.deadline",
            "before the first tier opens",
        ),
    ];
    for (i, (drop_lines, tiers, field, message)) in cases.into_iter().enumerate() {
        let config = demand_config(&env, &format!("bad-{i}"), "token-2022", drop_lines, tiers);
        let (code, doc) = env.json(&["validate", &config]);
        assert_eq!(code, 1, "{drop_lines}: {doc}");
        assert!(
            has_problem(&doc, field, message),
            "{drop_lines}: {field} should say {message:?}: {doc}"
        );
    }
    let late = demand_config(
        &env,
        "late",
        "token-2022",
        "supply = \"open\"\nminimum = 5\ndeadline = \"2030-07-01T00:00:00Z\"",
        OPEN_TIER,
    );
    let (code, doc) = env.json(&["validate", &late]);
    assert_eq!(code, 1);
    assert!(
        has_problem(&doc, "drop.deadline", "after the last tier ends"),
        "{doc}"
    );
    assert!(env.sandbox_state().is_none(), "validation sends nothing");

    // An airdrop file with a duplicate or a malformed wallet is refused, naming the line.
    let good = demand_config(&env, "open", "token-2022", "supply = \"open\"", OPEN_TIER);
    launched(&env, &good);
    let wallet = microdrop_sdk::Pubkey::new_unique().to_string();
    for (text, expected) in [
        (format!("{wallet}\n{wallet},2\n"), "line 2: "),
        (format!("{wallet},two\n"), "line 1: quantity \"two\""),
        (
            "not-a-wallet\n".to_string(),
            "line 1: \"not-a-wallet\" is not a wallet address",
        ),
    ] {
        let list = env.path("bad-list.csv");
        std::fs::write(&list, &text).unwrap();
        let before = env.sandbox_state();
        let out = env.run(&["airdrop", &good, "--to", list.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(1), "{text}");
        assert!(stderr(&out).contains(expected), "{}", stderr(&out));
        assert_eq!(env.sandbox_state(), before, "nothing sent");
    }
}

#[test]
fn an_open_edition_reports_null_caps_and_sells_past_any_count() {
    let env = Env::new();
    let config = demand_config(
        &env,
        "open",
        "token-metadata",
        "supply = \"open\"",
        OPEN_TIER,
    );
    let (drop, _) = launched(&env, &config);
    let (_, status) = env.json(&["status", &drop]);
    assert_eq!(status["supply"]["cap"], Value::Null, "{status}");
    assert_eq!(status["tiers"][0]["supply"], Value::Null, "{status}");
    assert_eq!(status["threshold"], Value::Null, "{status}");
    assert_eq!(env.json(&["sandbox", "warp", "2030-06-02T16:00:00Z"]).0, 0);
    let (code, minted) = env.json(&["mint", &config, "--tier", "open", "--quantity", "4"]);
    assert_eq!(code, 0, "{minted}");
    let (_, status) = env.json(&["status", &drop]);
    assert_eq!(status["supply"]["minted"], 4);
    assert_eq!(status["tiers"][0]["state"], "open");
}

#[test]
fn a_preorder_that_falls_short_refunds_its_buyers_once() {
    let env = Env::new();
    let (alice_key, alice) = new_keypair(&env, "alice.json");
    assert_eq!(env.json(&["sandbox", "airdrop", &alice, "10"]).0, 0);
    let tiers = OPEN_TIER.replace("per_wallet = 4", "per_wallet = 4\nsupply = 20");
    let config = demand_config(
        &env,
        "pre",
        "token-2022",
        "supply = 20\nminimum = 10\ndeadline = \"2030-06-05T00:00:00Z\"",
        &tiers,
    );
    // One collector cannot buy the minimum: rehearse says the preorder would fail.
    let (code, rehearsal) = env.json(&["rehearse", &config, "--collectors", "1"]);
    assert_eq!(code, 1, "{rehearsal}");
    let kinds: Vec<&str> = rehearsal["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["kind"].as_str().unwrap())
        .collect();
    assert!(kinds.contains(&"preorder_fails"), "{rehearsal}");
    let (code, rehearsal) = env.json(&["rehearse", &config, "--collectors", "5"]);
    assert!(
        !rehearsal["problems"].to_string().contains("preorder_fails"),
        "{code}: {rehearsal}"
    );

    let (drop, _) = launched(&env, &config);
    let (_, status) = env.json(&["status", &drop]);
    assert_eq!(status["threshold"]["state"], "pending", "{status}");
    assert_eq!(status["threshold"]["minimum"], 10);
    assert_eq!(status["threshold"]["deadline"], "2030-06-05T00:00:00Z");
    assert_eq!(env.json(&["sandbox", "warp", "2030-06-02T16:00:00Z"]).0, 0);
    let (code, minted) = env.json(&[
        "-k",
        &alice_key,
        "mint",
        &drop,
        "--tier",
        "open",
        "--quantity",
        "3",
    ]);
    assert_eq!(code, 0, "{minted}");
    // Too early to refund.
    let out = env.run(&["-k", &alice_key, "refund", &drop]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("the preorder is still open"),
        "{}",
        stderr(&out)
    );

    assert_eq!(env.json(&["sandbox", "warp", "2030-06-05T00:00:01Z"]).0, 0);
    let (_, status) = env.json(&["status", &drop]);
    assert_eq!(status["threshold"]["state"], "failed", "{status}");
    assert_eq!(status["threshold"]["sold"], 3);
    assert_eq!(status["threshold"]["escrowed"], 300_000_000);
    let (_, before) = env.json(&["-k", &alice_key, "wallet"]);
    let (code, refunded) = env.json(&["-k", &alice_key, "refund", &drop]);
    assert_eq!(code, 0, "{refunded}");
    assert_eq!(refunded["refunded"], 300_000_000, "{refunded}");
    assert_eq!(refunded["burned"].as_array().unwrap().len(), 3);
    assert_eq!(refunded["signatures"].as_array().unwrap().len(), 1);
    let (_, after) = env.json(&["-k", &alice_key, "wallet"]);
    let gained = after["balance"].as_u64().unwrap() - before["balance"].as_u64().unwrap();
    assert!(
        gained > 300_000_000,
        "the price and the items' rent came back: {gained}"
    );
    // Nothing left to refund.
    let out = env.run(&["-k", &alice_key, "refund", &drop]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("holds no item of this drop"),
        "{}",
        stderr(&out)
    );
    let (_, status) = env.json(&["status", &drop]);
    assert_eq!(status["threshold"]["escrowed"], 0);
    assert_eq!(status["threshold"]["refunded"], 300_000_000);
    // Mints stop.
    let out = env.run(&["-k", &alice_key, "mint", &drop, "--tier", "open"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("ThresholdFailed"), "{}", stderr(&out));
}

#[test]
fn an_airdrop_killed_halfway_and_rerun_gives_every_recipient_exactly_their_quantity() {
    let env = Env::new();
    let tiers = OPEN_TIER.replace("per_wallet = 4", "per_wallet = 4\nsupply = 20");
    let config = demand_config(&env, "gift", "token-2022", "supply = 20", &tiers);
    let (drop, _) = launched(&env, &config);
    let wallets: Vec<String> = (0..3)
        .map(|_| microdrop_sdk::Pubkey::new_unique().to_string())
        .collect();
    let list = env.path("fans.csv");
    std::fs::write(
        &list,
        format!(
            "wallet,quantity\n{},2\n{}\n{},3\n",
            wallets[0], wallets[1], wallets[2]
        ),
    )
    .unwrap();
    let list = list.to_str().unwrap();
    // Killed after its first transaction lands.
    let out = env.run_with(
        &["airdrop", &config, "--to", list, "--tier", "open"],
        &[("MICRODROP_FAULTS", "kill_after=1")],
    );
    assert_eq!(out.status.code(), Some(137), "{}", stderr(&out));
    let (code, rerun) = env.json(&["airdrop", &config, "--to", list, "--tier", "open"]);
    assert_eq!(code, 0, "{rerun}");
    assert_eq!(rerun["skipped"], serde_json::json!([wallets[0]]), "{rerun}");
    let sent: Vec<(String, usize)> = rerun["sent"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["wallet"].as_str().unwrap().to_string(),
                s["mints"].as_array().unwrap().len(),
            )
        })
        .collect();
    assert_eq!(sent, vec![(wallets[1].clone(), 1), (wallets[2].clone(), 3)]);
    // Run once more: nothing is missing.
    let (code, again) = env.json(&["airdrop", &config, "--to", list, "--tier", "open"]);
    assert_eq!(code, 0, "{again}");
    assert_eq!(again["sent"], serde_json::json!([]));
    assert_eq!(again["signatures"], serde_json::json!([]));
    // Every recipient holds exactly its quantity, and the tier counts them.
    let (_, items) = env.json(&["items", &drop]);
    for (wallet, quantity) in wallets.iter().zip([2, 1, 3]) {
        let held = items["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|i| i["owner"] == wallet.as_str())
            .count();
        assert_eq!(held, quantity, "{wallet}: {items}");
    }
    let (_, status) = env.json(&["status", &drop]);
    assert_eq!(status["supply"]["airdropped"], 6);
    assert_eq!(status["tiers"][0]["minted"], 6);
    // Only the authority airdrops.
    let (stranger, stranger_address) = new_keypair(&env, "stranger.json");
    assert_eq!(
        env.json(&["sandbox", "airdrop", &stranger_address, "1"]).0,
        0
    );
    let out = env.run(&["-k", &stranger, "airdrop", &drop, "--to", list]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("only the drop's authority"),
        "{}",
        stderr(&out)
    );
    // The watch stream names the airdrops: three transactions, one event each.
    let out = env.run(&["watch", &drop, "--no-follow"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let airdrops: Vec<Value> = lines(&out)
        .iter()
        .map(|line| serde_json::from_str::<Value>(line).unwrap())
        .filter(|event| event["type"] == "airdrop")
        .collect();
    assert_eq!(airdrops.len(), 3, "{airdrops:?}");
    assert_eq!(airdrops[2]["data"]["recipient"], wallets[2].as_str());
    assert_eq!(airdrops[2]["data"]["sent"], 3);
}

#[test]
fn a_preorder_that_meets_its_minimum_distributes_normally() {
    let env = Env::new();
    let tiers = OPEN_TIER.replace("per_wallet = 4", "per_wallet = 4\nsupply = 20");
    let config = demand_config(
        &env,
        "met",
        "token-metadata",
        "supply = 20\nminimum = 3\ndeadline = \"2030-06-05T00:00:00Z\"",
        &tiers,
    );
    let (drop, _) = launched(&env, &config);
    assert_eq!(env.json(&["sandbox", "warp", "2030-06-02T16:00:00Z"]).0, 0);
    let (code, minted) = env.json(&["mint", &drop, "--tier", "open", "--quantity", "2"]);
    assert_eq!(code, 0, "{minted}");
    // Below the minimum, the proceeds stay in the vault.
    let out = env.run(&["distribute", &drop]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("ThresholdNotMet"), "{}", stderr(&out));
    let (code, minted) = env.json(&["mint", &drop, "--tier", "open", "--quantity", "1"]);
    assert_eq!(code, 0, "{minted}");
    let (_, status) = env.json(&["status", &drop]);
    assert_eq!(status["threshold"]["state"], "met", "{status}");
    assert_eq!(status["threshold"]["escrowed"], 0, "{status}");
    let (code, paid) = env.json(&["distribute", &drop]);
    assert_eq!(code, 0, "{paid}");
    let (_, status) = env.json(&["status", &drop]);
    assert_eq!(status["vault"]["distributed"], 300_000_000, "{status}");
    let out = env.run(&["refund", &drop]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("met its minimum"), "{}", stderr(&out));
}

/// An HTTP request to `url` (`http://host:port/path`): its status code and body.
fn http(method: &str, url: &str, headers: &[(&str, &str)], body: &str) -> (u16, String) {
    use std::io::{Read, Write};
    let rest = url.trim_start_matches("http://");
    let (address, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let mut stream = std::net::TcpStream::connect(address).unwrap();
    let extra: String = headers
        .iter()
        .map(|(k, v)| format!("{k}: {v}\r\n"))
        .collect();
    write!(
        stream,
        "{method} {} HTTP/1.1\r\nHost: {address}\r\n{extra}Content-Length: {}\r\n\
         Connection: close\r\n\r\n{body}",
        if path.is_empty() { "/" } else { path },
        body.len()
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let (head, body) = response.split_once("\r\n\r\n").unwrap();
    let code = head[9..12].parse().unwrap();
    (code, body.to_string())
}

#[test]
fn site_writes_the_page_its_config_and_lists_and_refuses_what_no_browser_could_use() {
    let env = Env::new();
    let config = env.write_config("drop.toml", &example());
    let (drop, _) = launched(&env, &config);
    // The embedded sandbox is not reachable from a browser.
    let out_dir = env.path("site");
    let out_arg = out_dir.to_str().unwrap();
    let out = env.run(&["site", &config, "--out", out_arg]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("sandbox serve"), "{}", stderr(&out));
    assert!(!out_dir.exists(), "nothing written");
    // A directory of other files is refused.
    let busy = env.path("busy");
    std::fs::create_dir_all(&busy).unwrap();
    std::fs::write(busy.join("notes.txt"), "mine").unwrap();
    let out = env.run(&[
        "site",
        &config,
        "--out",
        busy.to_str().unwrap(),
        "--rpc",
        "http://127.0.0.1:8899",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("holds other files"),
        "{}",
        stderr(&out)
    );

    let (code, written) = env.json(&[
        "site",
        &config,
        "--out",
        out_arg,
        "--rpc",
        "https://rpc.example.com",
    ]);
    assert_eq!(code, 0, "{written}");
    let files: Vec<&str> = written["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap())
        .collect();
    assert!(
        files.contains(&"index.html") && files.contains(&"config.json"),
        "{written}"
    );
    assert!(files
        .iter()
        .any(|f| f.starts_with("assets/") && f.ends_with(".js")));
    let html = std::fs::read_to_string(out_dir.join("index.html")).unwrap();
    assert!(
        html.contains("./assets/") && !html.contains("http"),
        "no CDN: {html}"
    );
    let site: Value =
        serde_json::from_str(&std::fs::read_to_string(out_dir.join("config.json")).unwrap())
            .unwrap();
    assert_eq!(site["drop"], drop.as_str());
    assert_eq!(site["rpc"], "https://rpc.example.com");
    // Without --priority-fee, visitors' transactions pay what recent ones paid.
    assert_eq!(site["priority_fee"], "auto");
    assert_eq!(written["priority_fee"], "auto");
    let list: Value = serde_json::from_str(
        &std::fs::read_to_string(out_dir.join(site["allowlists"]["0"].as_str().unwrap())).unwrap(),
    )
    .unwrap();
    let listed = example_file("presale.csv")
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#') && !l.starts_with("wallet"))
        .count();
    assert_eq!(
        list["entries"].as_array().unwrap().len(),
        listed,
        "the presale list"
    );
    // Written again over itself, with the creator's fee (`none` and `0` alike).
    for (fee, written_fee) in [("1200", "1200"), ("0", "none")] {
        let (code, written) = env.json(&[
            "--priority-fee",
            fee,
            "site",
            &drop,
            "--out",
            out_arg,
            "--rpc",
            "https://x.example",
        ]);
        assert_eq!(code, 0, "{written}");
        let site: Value =
            serde_json::from_str(&std::fs::read_to_string(out_dir.join("config.json")).unwrap())
                .unwrap();
        assert_eq!(site["priority_fee"], written_fee);
        assert_eq!(written["priority_fee"], written_fee);
    }
}

#[test]
fn the_dashboard_serves_its_state_and_events_and_guards_its_actions_with_a_token() {
    use std::io::BufRead;
    let env = Env::new();
    let out = env.run(&["dashboard", "x", "--bind", "0.0.0.0:0"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("--allow-remote"), "{}", stderr(&out));
    let config = env.write_config("drop.toml", &example());
    let (drop, _) = launched(&env, &config);
    let mut child = Command::new(env!("CARGO_BIN_EXE_microdrop"))
        .args([
            "--output",
            "json",
            "dashboard",
            &drop,
            "--bind",
            "127.0.0.1:0",
        ])
        .env("HOME", env.path(""))
        .env("MICRODROP_SANDBOX_DIR", env.path("sandbox"))
        .env_remove("MICRODROP_URL")
        .env_remove("MICRODROP_KEYPAIR")
        .current_dir(env.path(""))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let _guard = KillOnDrop(child);
    let serving: Value = serde_json::from_str(&line).unwrap();
    assert_eq!(serving["actions"], true);
    let url = serving["url"].as_str().unwrap();
    let (base, token) = url.split_once("/?token=").unwrap();
    assert_eq!(token.len(), 64);

    let (code, page) = http("GET", &format!("{base}/"), &[], "");
    assert_eq!(code, 200);
    assert!(page.contains("./assets/"), "{page}");
    let (code, state) = http("GET", &format!("{base}/api/state"), &[], "");
    assert_eq!(code, 200, "{state}");
    let state: Value = serde_json::from_str(&state).unwrap();
    assert_eq!(state["status"]["drop"], drop.as_str());
    assert_eq!(state["splits"][0]["share_bps"], 10_000);
    assert_eq!(state["actions"], true);
    let (code, events) = http("GET", &format!("{base}/api/events?after="), &[], "");
    assert_eq!(code, 200);
    let events: Value = serde_json::from_str(&events).unwrap();
    let all = events["events"].as_array().unwrap();
    assert_eq!(all[0]["event"], "DropCreated", "{events}");
    let last = all.last().unwrap()["id"].as_str().unwrap();
    let (_, none) = http("GET", &format!("{base}/api/events?after={last}"), &[], "");
    assert_eq!(
        serde_json::from_str::<Value>(&none).unwrap()["events"],
        serde_json::json!([])
    );

    // Actions need the token, and say what is wrong with a bad one.
    let pause = r#"{"action":"pause"}"#;
    let (code, _) = http("POST", &format!("{base}/api/action"), &[], pause);
    assert_eq!(code, 403);
    let with_token = [("x-microdrop-token", token)];
    let (code, answer) = http(
        "POST",
        &format!("{base}/api/action"),
        &with_token,
        r#"{"action":"melt"}"#,
    );
    assert_eq!(code, 400);
    assert!(answer.contains("unknown action"), "{answer}");
    let (code, answer) = http("POST", &format!("{base}/api/action"), &with_token, pause);
    assert_eq!(code, 200, "{answer}");
    let (_, state) = http("GET", &format!("{base}/api/state"), &[], "");
    assert_eq!(
        serde_json::from_str::<Value>(&state).unwrap()["status"]["status"],
        "paused"
    );
}
