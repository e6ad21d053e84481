//! drop.toml: parsing and offline validation.
//!
//! Unknown keys are errors, never silently ignored. The drop's own fields are checked with
//! the program's own validation functions, so `validate` and the chain cannot disagree.

use std::{fmt, path::Path, str::FromStr};

use microdrop_sdk::{
    microdrop::{
        constants::OPEN_SUPPLY, errors::MicrodropError, instructions as program_ix,
        state::ItemStandard,
    },
    Pubkey,
};
use serde::{Deserialize, Serialize};

/// The whole file.
#[derive(Deserialize, Serialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct DropConfig {
    pub drop: DropSection,
    /// `[[tier]]` tables, in id order.
    #[serde(default, rename = "tier")]
    pub tiers: Vec<TierSection>,
    /// `[[split]]` tables: who receives the income (default: the creator, 100%).
    #[serde(default, rename = "split")]
    pub splits: Vec<SplitSection>,
    /// `[[benefit]]` tables: perks holders redeem by burning items.
    #[serde(default, rename = "benefit")]
    pub benefits: Vec<BenefitSection>,
}

/// A `[[split]]` table.
#[derive(Deserialize, Serialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct SplitSection {
    pub address: String,
    pub share_bps: u16,
}

/// A `[[benefit]]` table.
#[derive(Deserialize, Serialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct BenefitSection {
    pub label: String,
    /// Items burned per redemption.
    pub burn: u8,
    /// Redemptions available.
    pub supply: u64,
    /// RFC 3339; redemptions from then on.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start: Option<String>,
    /// RFC 3339; redemptions until then.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end: Option<String>,
    /// Labels of the tiers whose items qualify (default: every tier).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tiers: Option<Vec<String>>,
}

/// A `[[tier]]` table.
#[derive(Deserialize, Serialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct TierSection {
    /// Optional explicit id; tiers are numbered 0, 1, ... in file order otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<u8>,
    pub label: String,
    /// RFC 3339 time the tier opens.
    pub start: String,
    /// RFC 3339 time the tier closes.
    pub end: String,
    /// Price per item in currency units, as a decimal string ("0.25").
    pub price: String,
    /// Most items the tier sells; left out, the tier is an open edition (open drops only),
    /// bounded by its window and `per_wallet`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supply: Option<u64>,
    pub per_wallet: u32,
    /// CSV of `wallet[,allowance]`, relative to the config file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allowlist: Option<String>,
    /// Collection mint whose verified items a buyer must hold.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub holder_of: Option<String>,
    /// Most items minted per held gate item, whoever holds it (needs `holder_of`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub holder_limit: Option<u32>,
    /// Key whose signed vouchers every mint from this tier needs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub voucher_signer: Option<String>,
    /// Two-letter region codes vouchers may carry (needs `voucher_signer`; none: any).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub regions: Option<Vec<String>>,
}

/// Decimals of SOL prices (lamports).
pub const SOL_DECIMALS: u32 = 9;

/// Allowance given to CSV rows without one.
pub const DEFAULT_ALLOWANCE: u32 = 1;

/// A tier ready to send, with its allow-list entries.
#[derive(Debug, Clone)]
pub struct ResolvedTier {
    pub id: u8,
    pub label: String,
    pub start: i64,
    pub end: i64,
    /// Price in the currency's smallest units.
    pub price: u64,
    /// The tier's supply; `OPEN_SUPPLY` for an open edition.
    pub supply: u64,
    pub per_wallet: u32,
    pub allowlist: Option<Vec<(Pubkey, u32)>>,
    pub holder_of: Option<Pubkey>,
    /// Mints per held gate item (0: no limit).
    pub holder_limit: u32,
    pub voucher_signer: Option<Pubkey>,
    pub regions: Vec<[u8; 2]>,
}

impl DropConfig {
    /// The split as the program takes it; without `[[split]]` tables the creator gets all.
    pub fn split_configs(&self, authority: &Pubkey) -> Vec<microdrop_sdk::microdrop::SplitConfig> {
        use microdrop_sdk::microdrop::SplitConfig;
        if self.splits.is_empty() {
            return vec![SplitConfig {
                address: *authority,
                share_bps: microdrop_sdk::microdrop::MAX_BPS,
            }];
        }
        self.splits
            .iter()
            .filter_map(|s| {
                Some(SplitConfig {
                    address: s.address.parse().ok()?,
                    share_bps: s.share_bps,
                })
            })
            .collect()
    }

    /// The benefits as the program takes them (only for a valid config).
    pub fn benefit_configs(&self) -> Vec<microdrop_sdk::microdrop::BenefitConfig> {
        self.benefits
            .iter()
            .map(|b| microdrop_sdk::microdrop::BenefitConfig {
                label: b.label.clone(),
                burn: b.burn,
                supply: b.supply,
                start: b.start.as_deref().and_then(|t| parse_time(t).ok()),
                end: b.end.as_deref().and_then(|t| parse_time(t).ok()),
                tier_mask: b
                    .tiers
                    .iter()
                    .flatten()
                    .filter_map(|label| self.find_tier(label))
                    .fold(0u8, |mask, (id, _)| mask | (1 << id)),
            })
            .collect()
    }

    /// The creator named by `authority`, if any (only for a valid config).
    pub fn authority(&self) -> Option<Pubkey> {
        self.drop.authority.as_ref().and_then(|a| a.parse().ok())
    }

    /// The tiers in id order, with times, prices and allow lists resolved. `config_dir`
    /// anchors relative CSV paths; `decimals` are the currency's. Only for a valid config.
    pub fn resolve_tiers(
        &self,
        config_dir: &Path,
        decimals: u32,
    ) -> Result<Vec<ResolvedTier>, Vec<Problem>> {
        let mut problems = Vec::new();
        let mut tiers = Vec::new();
        for (position, tier) in self.ordered_tiers() {
            let field = |key: &str| format!("tier[{position}].{key}");
            let mut problem = |key: &str, message: String| {
                problems.push(Problem {
                    field: field(key),
                    message,
                })
            };
            let start = parse_time(&tier.start)
                .map_err(|e| problem("start", e))
                .ok();
            let end = parse_time(&tier.end).map_err(|e| problem("end", e)).ok();
            let price = crate::output::parse_units(&tier.price, decimals)
                .map_err(|e| problem("price", e))
                .ok();
            let holder_of = match &tier.holder_of {
                Some(text) => text
                    .parse::<Pubkey>()
                    .map(Some)
                    .map_err(|_| problem("holder_of", format!("{text:?} is not a mint address")))
                    .ok()
                    .flatten(),
                None => None,
            };
            let holder_limit = match (tier.holder_limit, &tier.holder_of) {
                (Some(0), _) => {
                    problem(
                        "holder_limit",
                        "must be at least 1 (leave it out for no limit)".into(),
                    );
                    0
                }
                (Some(_), None) => {
                    problem(
                        "holder_limit",
                        "limits mints per held item: set holder_of too".into(),
                    );
                    0
                }
                (limit, _) => limit.unwrap_or(0),
            };
            let voucher_signer = match &tier.voucher_signer {
                Some(text) => text
                    .parse::<Pubkey>()
                    .map(Some)
                    .map_err(|_| problem("voucher_signer", format!("{text:?} is not a public key")))
                    .ok()
                    .flatten(),
                None => None,
            };
            let mut regions = Vec::new();
            for code in tier.regions.iter().flatten() {
                match <[u8; 2]>::try_from(code.as_bytes()) {
                    Ok(bytes) if bytes.iter().all(u8::is_ascii_uppercase) => regions.push(bytes),
                    _ => problem(
                        "regions",
                        format!("{code:?} is not a two-letter uppercase region code"),
                    ),
                }
            }
            if regions.len() > 8 {
                problem(
                    "regions",
                    format!("at most 8 regions, got {}", regions.len()),
                );
            }
            if !regions.is_empty() && tier.voucher_signer.is_none() {
                problem(
                    "regions",
                    "regions are checked from vouchers: set voucher_signer too".into(),
                );
            }
            let allowlist_path = tier.allowlist.as_ref().map(|p| config_dir.join(p));
            let allowlist = match &allowlist_path {
                Some(path) => match std::fs::read_to_string(path) {
                    Ok(text) => match microdrop_sdk::allowlist::parse_csv(&text, DEFAULT_ALLOWANCE)
                    {
                        Ok(entries) if entries.is_empty() => {
                            problem("allowlist", format!("{} lists no wallet", path.display()));
                            None
                        }
                        Ok(entries) => Some(entries),
                        Err(rows) => {
                            for row in rows {
                                problem("allowlist", format!("{}: {row}", path.display()));
                            }
                            None
                        }
                    },
                    Err(e) => {
                        problem("allowlist", format!("cannot read {}: {e}", path.display()));
                        None
                    }
                },
                None => None,
            };
            if let (Some(start), Some(end), Some(price)) = (start, end, price) {
                tiers.push(ResolvedTier {
                    id: u8::try_from(position).unwrap_or(u8::MAX),
                    label: tier.label.clone(),
                    start,
                    end,
                    price,
                    supply: tier.supply.unwrap_or(OPEN_SUPPLY),
                    per_wallet: tier.per_wallet,
                    allowlist,
                    holder_of,
                    holder_limit,
                    voucher_signer,
                    regions,
                });
            }
        }
        if problems.is_empty() {
            Ok(tiers)
        } else {
            Err(problems)
        }
    }

    /// Tiers sorted by explicit id (file order otherwise), with their position.
    fn ordered_tiers(&self) -> Vec<(usize, &TierSection)> {
        let mut tiers: Vec<&TierSection> = self.tiers.iter().collect();
        if tiers.iter().all(|t| t.id.is_some()) {
            tiers.sort_by_key(|t| t.id);
        }
        tiers.into_iter().enumerate().collect()
    }

    /// The tier whose label or id is `selector`, with its id.
    pub fn find_tier(&self, selector: &str) -> Option<(u8, &TierSection)> {
        self.ordered_tiers()
            .into_iter()
            .find(|(position, tier)| {
                tier.label == selector || selector.parse::<usize>().ok() == Some(*position)
            })
            .map(|(position, tier)| (u8::try_from(position).unwrap_or(u8::MAX), tier))
    }
}

/// Parses an RFC 3339 time to unix seconds.
pub fn parse_time(text: &str) -> Result<i64, String> {
    time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339)
        .map(|t| t.unix_timestamp())
        .map_err(|_| format!("{text:?} is not an RFC 3339 time (e.g. 2026-12-01T16:00:00Z)"))
}

/// The `[drop]` table.
#[derive(Deserialize, Serialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct DropSection {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub symbol: String,
    pub uri: String,
    pub item_uri: String,
    /// Most items ever, or `"open"` for an open edition bounded by its tiers' windows.
    pub supply: Supply,
    #[serde(default = "default_currency")]
    pub currency: String,
    #[serde(default)]
    pub seller_fee_bps: u16,
    /// The creator's wallet. Optional: it lets anyone name the drop by this file (the drop's
    /// address is derived from it and the id); `launch` then insists on that keypair.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authority: Option<String>,
    /// What the items are: `"token-2022"` or `"token-metadata"` (the default, so files
    /// written before standards existed keep their meaning).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub standard: Option<String>,
    /// `false` makes every item soulbound (Token-2022 only); items are transferable by
    /// default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transferable: Option<bool>,
    /// A preorder: items that must sell by `deadline`, or every buyer can get a refund.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minimum: Option<u64>,
    /// RFC 3339; the preorder's deadline (needs `minimum`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline: Option<String>,
}

/// `[drop] supply`: a count, or `"open"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Supply(pub u64);

impl Supply {
    /// The supply as the program takes it (`OPEN_SUPPLY` for an open edition).
    pub fn get(self) -> u64 {
        self.0
    }

    /// Whether the drop is an open edition.
    pub fn is_open(self) -> bool {
        self.0 == OPEN_SUPPLY
    }
}

impl Serialize for Supply {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.is_open() {
            serializer.serialize_str("open")
        } else {
            serializer.serialize_u64(self.0)
        }
    }
}

impl<'de> Deserialize<'de> for Supply {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Supply;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a number of items or \"open\"")
            }
            fn visit_u64<E: serde::de::Error>(self, n: u64) -> Result<Supply, E> {
                if n == OPEN_SUPPLY {
                    return Err(E::custom("write an open edition as \"open\""));
                }
                Ok(Supply(n))
            }
            fn visit_i64<E: serde::de::Error>(self, n: i64) -> Result<Supply, E> {
                u64::try_from(n)
                    .map(Supply)
                    .map_err(|_| E::custom(format!("a supply cannot be negative, got {n}")))
            }
            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<Supply, E> {
                if text == "open" {
                    Ok(Supply(OPEN_SUPPLY))
                } else {
                    Err(E::custom(format!(
                        "expected a number of items or \"open\", got {text:?}"
                    )))
                }
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

impl DropSection {
    /// The item standard (token-metadata when unset; `validate` refuses unknown names).
    pub fn item_standard(&self) -> ItemStandard {
        self.standard
            .as_deref()
            .and_then(microdrop_sdk::items::parse_standard)
            .unwrap_or_default()
    }

    /// Whether items can be transferred.
    pub fn is_transferable(&self) -> bool {
        self.transferable.unwrap_or(true)
    }

    /// The preorder's minimum and deadline (unix time), `(0, 0)` for an unconditional
    /// sale. Only for a valid config.
    pub fn threshold(&self) -> (u64, i64) {
        match (self.minimum, self.deadline.as_deref().map(parse_time)) {
            (Some(minimum), Some(Ok(deadline))) => (minimum, deadline),
            _ => (0, 0),
        }
    }
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
    let problems = validate(&config, &config_dir(path));
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

/// The directory relative paths in a config are taken from.
pub fn config_dir(path: &Path) -> std::path::PathBuf {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map_or_else(|| std::path::PathBuf::from("."), Path::to_path_buf)
}

/// Every problem in a parsed config. `config_dir` anchors allow-list paths.
pub fn validate(config: &DropConfig, config_dir: &Path) -> Vec<Problem> {
    let mut problems = validate_drop(config);
    problems.extend(validate_threshold(config));
    problems.extend(validate_tiers(config, config_dir));
    problems.extend(validate_splits(config));
    problems.extend(validate_benefits(config));
    problems
}

/// A preorder: `minimum` and `deadline` together, the minimum within a capped supply, and
/// the deadline within the sale (from the first tier's opening to the last one's end).
fn validate_threshold(config: &DropConfig) -> Vec<Problem> {
    let d = &config.drop;
    let mut problems = Vec::new();
    let mut problem = |field: &str, message: String| {
        problems.push(Problem {
            field: format!("drop.{field}"),
            message,
        })
    };
    match (d.minimum, &d.deadline) {
        (None, None) => return problems,
        (Some(_), None) => problem(
            "deadline",
            "a preorder's minimum needs a deadline: set deadline too".into(),
        ),
        (None, Some(_)) => problem(
            "minimum",
            "a deadline makes the sale a preorder: set the minimum that must sell by it".into(),
        ),
        (Some(_), Some(_)) => {}
    }
    if let Some(minimum) = d.minimum {
        let max = microdrop_sdk::microdrop::MAX_PREORDER_MINIMUM;
        if minimum == 0 {
            problem("minimum", "must be at least 1".into());
        } else if !d.supply.is_open() && minimum > d.supply.get() {
            problem(
                "minimum",
                format!(
                    "{minimum} is above the drop's supply of {}: it could never sell",
                    d.supply.get()
                ),
            );
        } else if minimum > max {
            problem("minimum", format!("at most {max}, got {minimum}"));
        }
    }
    let Some(text) = &d.deadline else {
        return problems;
    };
    let deadline = match parse_time(text) {
        Ok(deadline) => deadline,
        Err(e) => {
            problem("deadline", e);
            return problems;
        }
    };
    let starts = config
        .tiers
        .iter()
        .filter_map(|t| parse_time(&t.start).ok());
    let ends = config.tiers.iter().filter_map(|t| parse_time(&t.end).ok());
    if let Some(first) = starts.min() {
        if deadline < first {
            problem(
                "deadline",
                format!("{text} is before the first tier opens: nothing could sell by it"),
            );
        }
    }
    if let Some(last) = ends.max() {
        if deadline > last {
            problem(
                "deadline",
                format!("{text} is after the last tier ends: the sale is over before it"),
            );
        }
    }
    problems
}

fn validate_splits(config: &DropConfig) -> Vec<Problem> {
    let mut problems = Vec::new();
    let max = microdrop_sdk::microdrop::MAX_SPLITS;
    if config.splits.len() > max {
        problems.push(Problem {
            field: "split".into(),
            message: format!("at most {max} recipients, got {}", config.splits.len()),
        });
    }
    let mut seen = std::collections::HashMap::new();
    let mut total: u32 = 0;
    for (i, split) in config.splits.iter().enumerate() {
        let mut problem = |key: &str, message: String| {
            problems.push(Problem {
                field: format!("split[{i}].{key}"),
                message,
            })
        };
        match split.address.parse::<Pubkey>() {
            Ok(address) if address == Pubkey::default() => {
                problem("address", MicrodropError::SplitRecipientInvalid.to_string())
            }
            Ok(address) => {
                if let Some(first) = seen.insert(address, i) {
                    problem("address", format!("{address} is already split[{first}]"));
                }
            }
            Err(_) => problem(
                "address",
                format!("{:?} is not a wallet address", split.address),
            ),
        }
        if split.share_bps == 0 {
            problem("share_bps", MicrodropError::SplitShareZero.to_string());
        }
        total += u32::from(split.share_bps);
    }
    if !config.splits.is_empty() && total != u32::from(microdrop_sdk::microdrop::MAX_BPS) {
        problems.push(Problem {
            field: "split".into(),
            message: format!("shares add up to {total}, not 10000"),
        });
    }
    problems
}

fn validate_benefits(config: &DropConfig) -> Vec<Problem> {
    let mut problems = Vec::new();
    let max = usize::from(microdrop_sdk::microdrop::MAX_BENEFITS);
    if config.benefits.len() > max {
        problems.push(Problem {
            field: "benefit".into(),
            message: format!(
                "at most {max} benefits per drop, got {}",
                config.benefits.len()
            ),
        });
    }
    let mut labels = std::collections::HashMap::new();
    for (i, benefit) in config.benefits.iter().enumerate() {
        let mut problem = |key: &str, message: String| {
            problems.push(Problem {
                field: format!("benefit[{i}].{key}"),
                message,
            })
        };
        if benefit.label.is_empty() || benefit.label.len() > microdrop_sdk::microdrop::MAX_LABEL_LEN
        {
            problem("label", MicrodropError::BenefitLabelInvalid.to_string());
        } else if let Some(first) = labels.insert(benefit.label.clone(), i) {
            problem(
                "label",
                format!(
                    "{:?} is already the label of benefit[{first}]",
                    benefit.label
                ),
            );
        }
        if !(1..=microdrop_sdk::microdrop::MAX_BURN_PER_REDEMPTION).contains(&benefit.burn) {
            problem("burn", MicrodropError::BenefitBurnInvalid.to_string());
        }
        if benefit.supply == 0 {
            problem("supply", MicrodropError::BenefitSupplyZero.to_string());
        }
        let start = benefit.start.as_deref().map(parse_time).transpose();
        let end = benefit.end.as_deref().map(parse_time).transpose();
        if let Err(e) = &start {
            problem("start", e.clone());
        }
        if let Err(e) = &end {
            problem("end", e.clone());
        }
        if let (Ok(Some(start)), Ok(Some(end))) = (start, end) {
            if end <= start {
                problem("end", MicrodropError::BenefitWindowInvalid.to_string());
            }
        }
        for label in benefit.tiers.iter().flatten() {
            if config.find_tier(label).is_none() {
                problem("tiers", format!("no tier is labelled {label:?}"));
            }
        }
    }
    problems
}

fn validate_tiers(config: &DropConfig, config_dir: &Path) -> Vec<Problem> {
    let mut problems = Vec::new();
    let max = usize::from(microdrop_sdk::microdrop::MAX_TIERS);
    if config.tiers.len() > max {
        problems.push(Problem {
            field: "tier".into(),
            message: format!("at most {max} tiers per drop, got {}", config.tiers.len()),
        });
    }
    // Explicit ids: all or none, unique, and 0..N-1 (ids are positions on-chain).
    let explicit: Vec<Option<u8>> = config.tiers.iter().map(|t| t.id).collect();
    if explicit.iter().any(Option::is_some) {
        let mut seen = std::collections::HashMap::new();
        for (i, id) in explicit.iter().enumerate() {
            let field = format!("tier[{i}].id");
            match id {
                None => problems.push(Problem {
                    field,
                    message: "give every tier an id, or none".into(),
                }),
                Some(id) => {
                    if let Some(first) = seen.insert(*id, i) {
                        problems.push(Problem {
                            field,
                            message: format!("id {id} is already used by tier[{first}]"),
                        });
                    } else if usize::from(*id) >= config.tiers.len() {
                        problems.push(Problem {
                            field,
                            message: format!(
                                "ids run from 0 to {} (one per tier, no gaps)",
                                config.tiers.len() - 1
                            ),
                        });
                    }
                }
            }
        }
    }
    let mut labels = std::collections::HashMap::new();
    let mut total: u64 = 0;
    let currency = config.drop.currency.parse::<CurrencyConfig>();
    for (i, tier) in config.tiers.iter().enumerate() {
        let mut problem = |key: &str, message: String| {
            problems.push(Problem {
                field: format!("tier[{i}].{key}"),
                message,
            })
        };
        if tier.label.is_empty() || tier.label.len() > microdrop_sdk::microdrop::MAX_LABEL_LEN {
            problem("label", MicrodropError::TierLabelInvalid.to_string());
        } else if let Some(first) = labels.insert(tier.label.clone(), i) {
            problem(
                "label",
                format!("{:?} is already the label of tier[{first}]", tier.label),
            );
        }
        if let (Ok(start), Ok(end)) = (parse_time(&tier.start), parse_time(&tier.end)) {
            if end <= start {
                problem(
                    "end",
                    format!(
                        "{} ({} is not after {})",
                        MicrodropError::TierWindowInvalid,
                        tier.end,
                        tier.start
                    ),
                );
            }
        }
        match tier.supply {
            Some(0) => problem("supply", MicrodropError::TierSupplyZero.to_string()),
            None if !config.drop.supply.is_open() => problem(
                "supply",
                format!(
                    "{}: give this tier a supply, or make the drop open (supply = \"open\")",
                    MicrodropError::TierSupplyOpenInCappedDrop
                ),
            ),
            _ => {}
        }
        if tier.per_wallet == 0 {
            problem("per_wallet", MicrodropError::TierPerWalletZero.to_string());
        }
        if matches!(currency, Ok(CurrencyConfig::Spl(_)))
            && tier.price.split('.').nth(1).is_some_and(|f| f.len() > 9)
        {
            problem(
                "price",
                format!("{:?} has more than 9 decimal places", tier.price),
            );
        }
        total = total.saturating_add(tier.supply.unwrap_or(0));
    }
    if !config.drop.supply.is_open() && total > config.drop.supply.get() {
        problems.push(Problem {
            field: "tier".into(),
            message: format!(
                "{} (tiers total {total}, drop supply {})",
                MicrodropError::TierSupplyExceedsDrop,
                config.drop.supply.get()
            ),
        });
    }
    // Times, prices, CSV rows and mint addresses, with each problem's place.
    let decimals = match currency {
        // The mint's real decimals are checked at launch; offline, allow the most a
        // price can carry.
        Ok(CurrencyConfig::Spl(_)) => 9,
        _ => SOL_DECIMALS,
    };
    if let Err(found) = config.resolve_tiers(config_dir, decimals) {
        problems.extend(found);
    }
    problems
}

fn validate_drop(config: &DropConfig) -> Vec<Problem> {
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
            d.supply.get().max(1),
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
            d.supply.get().max(1),
        )),
    );
    check(
        "supply",
        anchor_result::of(program_ix::create_drop::validate_supply(d.supply.get())),
    );
    check("currency", d.currency.parse::<CurrencyConfig>().map(|_| ()));
    check(
        "authority",
        match &d.authority {
            Some(text) if text.parse::<Pubkey>().is_err() => {
                Err(format!("{text:?} is not a wallet address"))
            }
            _ => Ok(()),
        },
    );
    check(
        "standard",
        match d.standard.as_deref() {
            Some(name) if microdrop_sdk::items::parse_standard(name).is_none() => Err(format!(
                "must be \"token-2022\" or \"token-metadata\", got {name:?}"
            )),
            _ => Ok(()),
        },
    );
    check(
        "transferable",
        if !d.is_transferable() && d.item_standard() != ItemStandard::Token2022 {
            Err(format!(
                "{}: set standard = \"token-2022\" for soulbound items",
                MicrodropError::DropSoulboundNeedsToken2022
            ))
        } else {
            Ok(())
        },
    );
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

    fn validate_str(text: &str) -> Vec<Problem> {
        validate(&parse_str(text).unwrap(), Path::new("."))
    }

    #[test]
    fn a_valid_config_has_no_problems() {
        assert_eq!(validate_str(VALID), vec![]);
    }

    const TIER: &str = r#"
        [[tier]]
        label = "public"
        start = "2030-01-01T00:00:00Z"
        end = "2030-01-02T00:00:00Z"
        price = "0.25"
        supply = 50
        per_wallet = 2
    "#;

    #[test]
    fn tiers_are_checked_field_by_field() {
        assert_eq!(validate_str(&format!("{VALID}{TIER}")), vec![]);
        let fields = |text: String| -> Vec<String> {
            validate_str(&text).into_iter().map(|p| p.field).collect()
        };
        assert_eq!(
            fields(format!(
                "{VALID}{}",
                TIER.replace("2030-01-02", "2029-12-31")
            )),
            ["tier[0].end"]
        );
        assert_eq!(
            fields(format!(
                "{VALID}{}",
                TIER.replace("\"0.25\"", "\"0.0000000001\"")
            )),
            ["tier[0].price"]
        );
        assert_eq!(
            fields(format!(
                "{VALID}{}",
                TIER.replace("supply = 50", "supply = 101")
            )),
            ["tier"]
        );
        assert_eq!(fields(format!("{VALID}{TIER}{TIER}")), ["tier[1].label"]);
        assert_eq!(
            fields(format!(
                "{VALID}{}",
                TIER.replace("2030-01-01T00:00:00Z", "next week")
            )),
            ["tier[0].start"]
        );
        let nine: String = (0..9)
            .map(|i| {
                TIER.replace("\"public\"", &format!("\"t{i}\""))
                    .replace("supply = 50", "supply = 1")
            })
            .collect();
        assert_eq!(fields(format!("{VALID}{nine}")), ["tier"]);
        let ids = format!(
            "{VALID}{}{}",
            TIER.replace("[[tier]]", "[[tier]]\nid = 0"),
            TIER.replace("[[tier]]", "[[tier]]\nid = 0")
                .replace("\"public\"", "\"b\"")
        );
        assert_eq!(fields(ids), ["tier[1].id"]);
    }

    #[test]
    fn every_problem_is_listed_with_its_field() {
        let text = VALID
            .replace("\"ZINE\"", "\"ZINEZINEZINE\"")
            .replace("= 500", "= 10001")
            .replace("= 100\n", "= 0\n")
            .replace("\"SOL\"", "\"DOGE\"");
        let fields: Vec<String> = validate_str(&text).into_iter().map(|p| p.field).collect();
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
    fn splits_and_benefits_are_checked() {
        let a = "9xQeWvG816bUx9EPjHmaT23yvVM2ZWbrrpZb9PusVFin";
        let b = "8rB4oVfU4pS2v3ZJ6d1Gq3iQ9c8fFz1QkTtA1nXwW1aa";
        let split = |address: &str, share: u32| {
            format!("[[split]]\naddress = \"{address}\"\nshare_bps = {share}\n")
        };
        let fields = |text: String| -> Vec<String> {
            validate_str(&text).into_iter().map(|p| p.field).collect()
        };
        assert!(fields(format!("{VALID}{}{}", split(a, 6000), split(b, 4000))).is_empty());
        assert_eq!(
            fields(format!("{VALID}{}{}", split(a, 6000), split(b, 3999))),
            ["split"]
        );
        assert_eq!(
            fields(format!("{VALID}{}{}", split(a, 5000), split(a, 5000))),
            ["split[1].address"]
        );
        assert_eq!(
            fields(format!("{VALID}{}", split("nobody", 10000))),
            ["split[0].address"]
        );
        let nine: String = (0..9).map(|_| split(a, 1)).collect();
        assert!(fields(format!("{VALID}{nine}")).contains(&"split".to_string()));
        let benefit =
            "[[benefit]]\nlabel = \"print\"\nburn = 2\nsupply = 10\ntiers = [\"public\"]\n";
        assert!(fields(format!("{VALID}{TIER}{benefit}")).is_empty());
        assert_eq!(
            fields(format!("{VALID}{TIER}{}", benefit.replace("public", "vip"))),
            ["benefit[0].tiers"]
        );
        assert_eq!(
            fields(format!(
                "{VALID}{TIER}{}",
                benefit.replace("burn = 2", "burn = 0")
            )),
            ["benefit[0].burn"]
        );
    }

    #[test]
    fn voucher_keys_are_checked() {
        let signer = "9xQeWvG816bUx9EPjHmaT23yvVM2ZWbrrpZb9PusVFin";
        let fields = |extra: &str| -> Vec<String> {
            let text = format!(
                "{VALID}{}",
                TIER.replace("per_wallet = 2", &format!("per_wallet = 2\n{extra}"))
            );
            validate_str(&text).into_iter().map(|p| p.field).collect()
        };
        assert!(fields(&format!(
            "voucher_signer = \"{signer}\"\nregions = [\"NL\", \"BE\"]"
        ))
        .is_empty());
        assert_eq!(
            fields("regions = [\"NL\"]"),
            ["tier[0].regions"],
            "regions need a signer"
        );
        assert_eq!(
            fields(&format!(
                "voucher_signer = \"{signer}\"\nregions = [\"nl\"]"
            )),
            ["tier[0].regions"]
        );
        assert_eq!(
            fields("voucher_signer = \"nobody\""),
            ["tier[0].voucher_signer"]
        );
    }

    #[test]
    fn the_item_standard_and_soulbound_items_are_checked() {
        let fields = |drop_keys: &str| -> Vec<String> {
            let text = VALID.replacen("[drop]\n", &format!("[drop]\n{drop_keys}\n"), 1);
            validate_str(&text).into_iter().map(|p| p.field).collect()
        };
        assert!(fields("standard = \"token-2022\"").is_empty());
        assert!(fields("standard = \"token-2022\"\ntransferable = false").is_empty());
        assert!(fields("standard = \"token-metadata\"").is_empty());
        assert_eq!(fields("standard = \"core\""), ["drop.standard"]);
        // Soulbound items need Token-2022, whether the standard is named or left out.
        assert_eq!(
            fields("standard = \"token-metadata\"\ntransferable = false"),
            ["drop.transferable"]
        );
        assert_eq!(fields("transferable = false"), ["drop.transferable"]);
        let config = parse_str(VALID).unwrap();
        assert_eq!(config.drop.item_standard(), ItemStandard::TokenMetadata);
        assert!(config.drop.is_transferable());
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
