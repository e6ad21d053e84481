//! drop.toml: parsing and offline validation.
//!
//! Unknown keys are errors, never silently ignored. The drop's own fields are checked with
//! the program's own validation functions, so `validate` and the chain cannot disagree.

use std::{fmt, path::Path, str::FromStr};

use microdrop_sdk::{
    microdrop::{errors::MicrodropError, instructions as program_ix},
    Pubkey,
};
use serde::{Deserialize, Serialize};

/// The whole file.
#[derive(Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct DropConfig {
    pub drop: DropSection,
}

/// The `[drop]` table.
#[derive(Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct DropSection {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub symbol: String,
    pub uri: String,
    pub item_uri: String,
    pub supply: u64,
    #[serde(default = "default_currency")]
    pub currency: String,
    #[serde(default)]
    pub seller_fee_bps: u16,
}

fn default_currency() -> String {
    "SOL".to_string()
}

/// What a drop is priced in, parsed from `currency`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CurrencyConfig {
    Sol,
    Spl(Pubkey),
}

impl FromStr for CurrencyConfig {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        if s.eq_ignore_ascii_case("SOL") {
            return Ok(Self::Sol);
        }
        s.parse()
            .map(Self::Spl)
            .map_err(|_| format!("must be \"SOL\" or an SPL mint address, got {s:?}"))
    }
}

/// One thing wrong with a config, and where.
#[derive(Serialize, Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Dotted path of the key, e.g. `drop.symbol`, or the file for parse errors.
    pub field: String,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

/// A config that could not be used, with every problem found.
#[derive(Debug)]
pub struct InvalidConfig {
    pub path: String,
    pub problems: Vec<Problem>,
}

impl fmt::Display for InvalidConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.problems.len();
        write!(
            f,
            "{} is invalid ({n} problem{}): {}",
            self.path,
            if n == 1 { "" } else { "s" },
            self.problems
                .iter()
                .map(Problem::to_string)
                .collect::<Vec<_>>()
                .join("; ")
        )
    }
}

impl std::error::Error for InvalidConfig {}

/// Reads and parses `path`; syntax errors and unknown keys become problems.
pub fn parse(path: &Path) -> Result<DropConfig, InvalidConfig> {
    let invalid = |message: String| InvalidConfig {
        path: path.display().to_string(),
        problems: vec![Problem {
            field: path.display().to_string(),
            message,
        }],
    };
    let text = std::fs::read_to_string(path).map_err(|e| invalid(format!("cannot read: {e}")))?;
    toml::from_str(&text).map_err(|e| {
        let problem = syntax_problem(&text, &e);
        InvalidConfig {
            path: path.display().to_string(),
            problems: vec![Problem {
                field: problem.field.unwrap_or_else(|| path.display().to_string()),
                message: problem.message,
            }],
        }
    })
}

struct SyntaxProblem {
    field: Option<String>,
    message: String,
}

/// Names the key a TOML error is about (`drop.suply`) from the line it points at and the
/// table header above it, and says where it is.
fn syntax_problem(text: &str, error: &toml::de::Error) -> SyntaxProblem {
    let message = one_line(error.message());
    let Some(span) = error.span() else {
        return SyntaxProblem {
            field: None,
            message,
        };
    };
    let before = &text[..span.start.min(text.len())];
    let line_no = before.matches('\n').count() + 1;
    let column = before.len() - before.rfind('\n').map_or(0, |i| i + 1) + 1;
    let line = text.lines().nth(line_no - 1).unwrap_or("");
    let table = text
        .lines()
        .take(line_no - 1)
        .filter_map(|l| {
            let l = l.trim();
            l.strip_prefix('[').map(|h| {
                h.trim_start_matches('[')
                    .trim_end_matches(']')
                    .trim()
                    .to_string()
            })
        })
        .last();
    let key = line
        .split_once('=')
        .map(|(k, _)| k.trim().to_string())
        .filter(|k| !k.is_empty() && !k.starts_with('['));
    let field = match (table, key) {
        (Some(table), Some(key)) => Some(format!("{table}.{key}")),
        (None, Some(key)) => Some(key),
        _ => None,
    };
    SyntaxProblem {
        field,
        message: format!("{message} (line {line_no}, column {column})"),
    }
}

/// Parses and validates `path`, returning the config only when it has no problem.
pub fn load(path: &Path) -> Result<DropConfig, InvalidConfig> {
    let config = parse(path)?;
    let problems = validate(&config);
    if problems.is_empty() {
        Ok(config)
    } else {
        Err(InvalidConfig {
            path: path.display().to_string(),
            problems,
        })
    }
}

/// toml's messages span several lines with a source excerpt; keep them on one.
fn one_line(message: &str) -> String {
    message
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.chars().all(|c| c == '|' || c == '^' || c == ' '))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Every problem in a parsed config.
pub fn validate(config: &DropConfig) -> Vec<Problem> {
    let d = &config.drop;
    let mut problems = Vec::new();
    let mut check = |field: &str, result: anchor_result::Result| {
        if let Err(message) = result {
            problems.push(Problem {
                field: format!("drop.{field}"),
                message,
            });
        }
    };
    check(
        "id",
        anchor_result::of(program_ix::create_drop::validate_id(&d.id)),
    );
    check(
        "name",
        anchor_result::of(program_ix::create_drop::validate_name(
            &d.name,
            d.supply.max(1),
        )),
    );
    check(
        "symbol",
        if d.symbol.len() > microdrop_sdk::microdrop::MAX_SYMBOL_LEN {
            Err(MicrodropError::DropSymbolTooLong.to_string())
        } else {
            Ok(())
        },
    );
    check(
        "uri",
        if d.uri.is_empty() || d.uri.len() > microdrop_sdk::microdrop::MAX_URI_LEN {
            Err(MicrodropError::DropUriInvalid.to_string())
        } else {
            Ok(())
        },
    );
    check(
        "item_uri",
        anchor_result::of(program_ix::create_drop::validate_item_uri(
            &d.item_uri,
            d.supply.max(1),
        )),
    );
    check(
        "supply",
        if d.supply == 0 {
            Err(MicrodropError::DropSupplyZero.to_string())
        } else {
            Ok(())
        },
    );
    check("currency", d.currency.parse::<CurrencyConfig>().map(|_| ()));
    check(
        "seller_fee_bps",
        if d.seller_fee_bps > microdrop_sdk::microdrop::MAX_BPS {
            Err(format!(
                "{} (got {})",
                MicrodropError::DropSellerFeeTooHigh,
                d.seller_fee_bps
            ))
        } else {
            Ok(())
        },
    );
    problems
}

/// Turns the program's anchor results into messages.
mod anchor_result {
    pub type Result = std::result::Result<(), String>;

    use microdrop_sdk::anchor_lang::error::Error;

    pub fn of(result: microdrop_sdk::anchor_lang::Result<()>) -> Result {
        result.map_err(|e| match e {
            Error::AnchorError(e) => e.error_msg.clone(),
            other => other.to_string(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(text: &str) -> Result<DropConfig, String> {
        toml::from_str(text).map_err(|e| {
            let p = syntax_problem(text, &e);
            format!("{}: {}", p.field.unwrap_or_default(), p.message)
        })
    }

    const VALID: &str = r#"
        [drop]
        id = "spring-zine"
        name = "Spring Zine"
        symbol = "ZINE"
        uri = "https://example.com/c.json"
        item_uri = "https://example.com/{index}.json"
        supply = 100
        currency = "SOL"
        seller_fee_bps = 500
    "#;

    #[test]
    fn a_valid_config_has_no_problems() {
        assert_eq!(validate(&parse_str(VALID).unwrap()), vec![]);
    }

    #[test]
    fn every_problem_is_listed_with_its_field() {
        let text = VALID
            .replace("\"ZINE\"", "\"ZINEZINEZINE\"")
            .replace("= 500", "= 10001")
            .replace("= 100\n", "= 0\n")
            .replace("\"SOL\"", "\"DOGE\"");
        let fields: Vec<String> = validate(&parse_str(&text).unwrap())
            .into_iter()
            .map(|p| p.field)
            .collect();
        assert_eq!(
            fields,
            [
                "drop.symbol",
                "drop.supply",
                "drop.currency",
                "drop.seller_fee_bps"
            ]
        );
    }

    #[test]
    fn unknown_keys_are_errors() {
        let err =
            parse_str(&VALID.replace("supply = 100", "supply = 100\ncolour = 1")).unwrap_err();
        assert!(
            err.starts_with("drop.colour: unknown field `colour`"),
            "{err}"
        );
        assert!(err.contains("(line 9, "), "{err}");
        let err = parse_str(&format!("{VALID}\n[extra]\nx = 1")).unwrap_err();
        assert!(err.contains("unknown field `extra`"), "{err}");
    }

    #[test]
    fn a_value_of_the_wrong_type_names_its_key() {
        let err = parse_str(&VALID.replace("= 500", "= 70000")).unwrap_err();
        assert!(err.starts_with("drop.seller_fee_bps: "), "{err}");
    }

    #[test]
    fn parse_errors_stay_on_one_line() {
        let err = parse_str("[drop\nid = 1").unwrap_err();
        assert!(!err.contains('\n'), "{err}");
        assert!(err.contains("line 1"), "{err}");
    }
}
