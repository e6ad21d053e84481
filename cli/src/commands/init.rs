use std::{fmt, path::PathBuf};

use anyhow::{bail, Context, Result};
use clap::Args;
use serde::Serialize;

use crate::args::GlobalArgs;

/// The commented example config; `examples/drop.toml` is this very file.
pub const EXAMPLE: &str = include_str!("../../../examples/drop.toml");

#[derive(Args, Debug)]
pub struct InitArgs {
    /// Directory to write drop.toml into (created if missing).
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// Overwrite an existing drop.toml.
    #[arg(long)]
    pub force: bool,
}

#[derive(Serialize)]
pub struct Initialized {
    pub path: String,
}

impl fmt::Display for Initialized {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "wrote {}\nnext: edit it, then `microdrop validate {0}` and `microdrop launch {0}`",
            self.path
        )
    }
}

pub fn run(global: &GlobalArgs, args: &InitArgs) -> Result<()> {
    std::fs::create_dir_all(&args.dir)
        .with_context(|| format!("creating {}", args.dir.display()))?;
    let path = args.dir.join("drop.toml");
    if path.exists() && !args.force {
        bail!(
            "{} already exists (pass --force to overwrite)",
            path.display()
        );
    }
    std::fs::write(&path, EXAMPLE).with_context(|| format!("writing {}", path.display()))?;
    crate::output::emit(
        global,
        &Initialized {
            path: path.display().to_string(),
        },
    )?;
    Ok(())
}
