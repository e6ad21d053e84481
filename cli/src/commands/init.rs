use std::{fmt, path::PathBuf};

use anyhow::{bail, Context, Result};
use clap::Args;
use serde::Serialize;

use crate::args::GlobalArgs;

/// The commented example config; `examples/drop.toml` is this very file.
pub const EXAMPLE: &str = include_str!("../../../examples/drop.toml");
/// The allow list the example's pre-sale tier reads.
pub const EXAMPLE_ALLOWLIST: &str = include_str!("../../../examples/presale.csv");

#[derive(Args, Debug)]
pub struct InitArgs {
    /// Directory to write drop.toml (and the presale.csv it reads) into; created if missing.
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// Overwrite an existing drop.toml and presale.csv.
    #[arg(long)]
    pub force: bool,
}

#[derive(Serialize)]
pub struct Initialized {
    pub path: String,
    pub allowlist: String,
}

impl fmt::Display for Initialized {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "wrote {} and {}\nnext: edit them, then `microdrop validate {0}` and `microdrop launch {0}`",
            self.path, self.allowlist
        )
    }
}

pub fn run(global: &GlobalArgs, args: &InitArgs) -> Result<()> {
    std::fs::create_dir_all(&args.dir)
        .with_context(|| format!("creating {}", args.dir.display()))?;
    let path = args.dir.join("drop.toml");
    let csv = args.dir.join("presale.csv");
    for file in [&path, &csv] {
        if file.exists() && !args.force {
            bail!(
                "{} already exists (pass --force to overwrite)",
                file.display()
            );
        }
    }
    std::fs::write(&path, EXAMPLE).with_context(|| format!("writing {}", path.display()))?;
    std::fs::write(&csv, EXAMPLE_ALLOWLIST)
        .with_context(|| format!("writing {}", csv.display()))?;
    crate::output::emit(
        global,
        &Initialized {
            path: path.display().to_string(),
            allowlist: csv.display().to_string(),
        },
    )?;
    Ok(())
}
