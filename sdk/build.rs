//! Puts the real Token Metadata sBPF binary where the sandbox can embed it.
//!
//! Metaplex does not publish the program to any package registry we can reach, but the
//! crates.io package `spl-stake-pool` 2.2.0 ships it as a test fixture. The workspace pins
//! that package in Cargo.lock through a never-compiled dependency; this script finds it in
//! cargo's registry cache, or downloads the `.crate` from crates.io itself (a plain
//! `cargo build` does not download never-compiled packages), checks both checksums and
//! extracts the binary into OUT_DIR. Only the `sandbox` feature needs it.

use std::{
    env, fs,
    path::{Path, PathBuf},
    process::Command,
};

use sha2::{Digest, Sha256};

const PACKAGE: &str = "spl-stake-pool-2.2.0";
/// sha256 of the `.crate` file, as recorded in Cargo.lock.
const CRATE_SHA256: &str = "1cbf0db7fe313a4873dae3cb8dc19e2ad419b2fce53b0a4024529bf2ed6f198a";
const SO_PATH_IN_CRATE: &str = "tests/fixtures/mpl_token_metadata.so";
/// sha256 of the Token Metadata binary inside it.
const SO_SHA256: &str = "31f0a627dba051a938de650464e55cc5397a4be0fd496929c1f9cf02fe5e9011";
const OVERRIDE_ENV: &str = "MICRODROP_TOKEN_METADATA_SO";

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed={OVERRIDE_ENV}");
    if env::var_os("CARGO_FEATURE_SANDBOX").is_none() {
        return;
    }
    let out = PathBuf::from(env::var("OUT_DIR").unwrap()).join("mpl_token_metadata.so");
    if out.exists() && sha256_hex(&fs::read(&out).unwrap()) == SO_SHA256 {
        return;
    }
    let binary = if let Some(path) = env::var_os(OVERRIDE_ENV) {
        fs::read(&path).unwrap_or_else(|e| fail(&format!("cannot read {OVERRIDE_ENV}: {e}")))
    } else {
        let krate = find_or_download_crate(&out);
        extract(&krate, &out)
    };
    let digest = sha256_hex(&binary);
    if digest != SO_SHA256 {
        fail(&format!(
            "Token Metadata binary has sha256 {digest}, expected {SO_SHA256}"
        ));
    }
    fs::write(&out, binary).unwrap();
}

fn find_or_download_crate(out: &Path) -> PathBuf {
    let cargo_home = env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .unwrap_or_else(|| fail("neither CARGO_HOME nor HOME is set"));
    let file_name = format!("{PACKAGE}.crate");
    if let Ok(registries) = fs::read_dir(cargo_home.join("registry/cache")) {
        for registry in registries.flatten() {
            let candidate = registry.path().join(&file_name);
            if candidate.exists() && sha256_hex(&fs::read(&candidate).unwrap()) == CRATE_SHA256 {
                return candidate;
            }
        }
    }
    let download = out.with_file_name(&file_name);
    let url = format!("https://static.crates.io/crates/spl-stake-pool/{file_name}");
    let status = Command::new("curl")
        .args([
            "--fail",
            "--silent",
            "--show-error",
            "--location",
            "--retry",
            "3",
        ])
        .arg("--output")
        .arg(&download)
        .arg(&url)
        .status()
        .unwrap_or_else(|e| fail(&format!("cannot run curl to download {url}: {e}")));
    if !status.success() {
        fail(&format!("downloading {url} failed ({status})"));
    }
    let digest = sha256_hex(&fs::read(&download).unwrap());
    if digest != CRATE_SHA256 {
        fail(&format!(
            "{url} has sha256 {digest}, expected {CRATE_SHA256}"
        ));
    }
    download
}

fn extract(krate: &Path, out: &Path) -> Vec<u8> {
    let member = format!("{PACKAGE}/{SO_PATH_IN_CRATE}");
    let output = Command::new("tar")
        .arg("-xzOf")
        .arg(krate)
        .arg(&member)
        .output()
        .unwrap_or_else(|e| fail(&format!("cannot run tar: {e}")));
    if !output.status.success() {
        fail(&format!(
            "extracting {member} from {} into {} failed: {}",
            krate.display(),
            out.display(),
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    output.stdout
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn fail(message: &str) -> ! {
    panic!(
        "microdrop-sdk (sandbox): cannot obtain the Token Metadata program binary: {message}. \
         Set {OVERRIDE_ENV} to the path of mpl_token_metadata.so (sha256 {SO_SHA256}) to \
         provide it by hand."
    )
}
