use std::{fmt, path::PathBuf};

use anyhow::Result;
use clap::Args;
use serde::Serialize;

use crate::{
    args::GlobalArgs,
    config::{self, Problem},
    Reported,
};

#[derive(Args, Debug)]
pub struct ValidateArgs {
    /// The drop config to check.
    pub config: PathBuf,
}

#[derive(Serialize)]
pub struct Validation {
    pub config: String,
    pub valid: bool,
    /// The drop id, when the file could be parsed.
    pub id: Option<String>,
    pub problems: Vec<Problem>,
}

impl fmt::Display for Validation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.valid {
            return write!(f, "{} is valid", self.config);
        }
        let n = self.problems.len();
        write!(
            f,
            "{} has {n} problem{}:",
            self.config,
            if n == 1 { "" } else { "s" }
        )?;
        for problem in &self.problems {
            write!(f, "\n  {problem}")?;
        }
        Ok(())
    }
}

/// Exit 0 when valid, 1 when not (after printing every problem).
pub fn run(global: &GlobalArgs, args: &ValidateArgs) -> Result<()> {
    let (id, problems) = match config::parse(&args.config) {
        Ok(parsed) => (
            Some(parsed.drop.id.clone()),
            config::validate(&parsed, &config::config_dir(&args.config)),
        ),
        Err(invalid) => (None, invalid.problems),
    };
    let report = Validation {
        config: args.config.display().to_string(),
        valid: problems.is_empty(),
        id,
        problems,
    };
    crate::output::emit(global, &report)?;
    if report.valid {
        Ok(())
    } else {
        Err(Reported.into())
    }
}
