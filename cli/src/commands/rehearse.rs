//! `microdrop rehearse`: the whole drop in a throwaway sandbox, before anything is spent.
//!
//! The config is copied into a temporary directory with its allow lists regenerated as
//! synthetic wallets (same sizes and allowances) and its voucher signer replaced by a
//! rehearsal key, then launched through the real `launch` code. Synthetic collectors mint
//! through each tier's window in schedule order, some asking for more than their limit or
//! coming after the window on purpose; holders burn for each benefit; the vault is
//! distributed and the drop closed. The report gives per-tier sales and refusals by reason,
//! per-instruction compute units and sizes, rent, payouts, and the problems found.
//!
//! Limits: a drop priced in an SPL token is rehearsed in SOL at the same nominal prices
//! (the throwaway chain has no such token), and nobody in it holds another collection, so
//! a holder-gated tier's attempts are counted as `NotHolder` refusals.

use std::{collections::BTreeMap, fmt, path::PathBuf};

use anyhow::{Context, Result};
use clap::Args;
use microdrop_sdk::{
    allowlist::AllowList,
    client::{
        drop_lookup_addresses, legacy_transaction_size, v0_transaction_size, PACKET_DATA_SIZE,
    },
    instructions::{self, MintRequest},
    microdrop::{constants::OPEN_SUPPLY, state::DropStatus},
    sandbox::Sandbox,
    voucher::{SignedVoucher, VoucherMessage},
    Client, CommitmentConfig, Keypair, Pubkey, Signer, LAMPORTS_PER_SOL,
};
use serde::Serialize;

use crate::{
    args::GlobalArgs,
    cluster::Session,
    config::{self, DropConfig},
    Reported,
};

#[derive(Args, Debug)]
pub struct RehearseArgs {
    /// The drop config to rehearse.
    pub config: PathBuf,
    /// Synthetic public collectors (allow-listed wallets are generated per list).
    #[arg(long, default_value_t = 20)]
    pub collectors: usize,
    /// Seed for the collectors' choices, for repeatable rehearsals.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
}

#[derive(Serialize, Debug)]
pub struct TierReport {
    pub label: String,
    /// Null for an open edition.
    pub supply: Option<u64>,
    pub sold: u64,
    /// Percent of supply sold; null for an open edition, which has no count to sell out.
    pub sell_through: Option<f64>,
    /// In the currency's smallest units.
    pub revenue: u64,
    /// Refused mint attempts, by reason.
    pub refusals: BTreeMap<String, u64>,
}

#[derive(Serialize, Debug)]
pub struct InstructionReport {
    pub name: String,
    pub cpi_cu: u64,
    pub tx_bytes: usize,
    pub accounts: usize,
    pub fits_legacy: bool,
    pub fits_v0: bool,
}

#[derive(Serialize, Debug)]
pub struct RentReport {
    /// Lamports the launch cost the creator (rent, Token Metadata's fee, transaction fees).
    pub creator: u64,
    /// Lamports a collector's first item costs beyond its price and fees, outside Token
    /// Metadata's accounts: its mint and token account (as an item's are on the chain),
    /// and the wallet record.
    pub collector_per_item: u64,
    /// Everything a collector's first item costs beyond its price and transaction fees,
    /// read from the chain: the lamports in every account its mint created (the mint and
    /// token account; for Token Metadata also its metadata with the 0.01 SOL fee and its
    /// master edition), the wallet record, and the item's share of the item-tier table (and,
    /// for a preorder, of the item-price table).
    pub collector_cost_per_item: u64,
    /// Of that, what the collector gets back (the wallet record, once the drop closes).
    pub recoverable_per_item: u64,
    /// What burning one item for a benefit returns to its holder: every account of a
    /// Token-2022 item; a Token Metadata item's token account, metadata and edition, less
    /// Token Metadata's create fee, which it keeps.
    pub returned_on_burn_per_item: u64,
}

#[derive(Serialize, Debug)]
pub struct PayoutReport {
    pub recipient: String,
    /// Smallest units of `currency`.
    pub amount: u64,
    /// "SOL" or the token's mint.
    pub currency: String,
    #[serde(skip)]
    pub unit: crate::output::Unit,
}

#[derive(Serialize, Debug)]
pub struct Problem {
    pub kind: &'static str,
    pub message: String,
}

#[derive(Serialize, Debug)]
pub struct Rehearsal {
    pub tiers: Vec<TierReport>,
    pub instructions: Vec<InstructionReport>,
    pub rent: RentReport,
    pub payouts: Vec<PayoutReport>,
    pub problems: Vec<Problem>,
    pub redemptions: u64,
    pub collectors: usize,
    /// How the text shows amounts in the drop's currency.
    #[serde(skip)]
    pub unit: crate::output::Unit,
}

impl fmt::Display for Rehearsal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "rehearsal with {} collectors", self.collectors)?;
        for t in &self.tiers {
            writeln!(
                f,
                "  tier {:<12} sold {}/{} ({}), revenue {}, refusals {:?}",
                t.label,
                t.sold,
                crate::commands::status::supply_name(t.supply.unwrap_or(OPEN_SUPPLY)),
                t.sell_through
                    .map_or_else(|| "open edition".to_string(), |p| format!("{p:.0}%")),
                self.unit.show(t.revenue),
                t.refusals
            )?;
        }
        for i in &self.instructions {
            writeln!(
                f,
                "  {:<28} {:>8} CU  {:>5} bytes  {:>2} accounts  legacy {}  v0 {}",
                i.name,
                i.cpi_cu,
                i.tx_bytes,
                i.accounts,
                if i.fits_legacy { "fits" } else { "TOO BIG" },
                if i.fits_v0 { "fits" } else { "TOO BIG" }
            )?;
        }
        let sol = crate::output::Unit::sol();
        writeln!(
            f,
            "  launch cost the creator {}; each item costs its collector {} beyond price and \
             fees ({} of it the wallet record, back once the drop closes); burning an item \
             returns {}",
            sol.show(self.rent.creator),
            sol.show(self.rent.collector_cost_per_item),
            sol.show(self.rent.recoverable_per_item),
            sol.show(self.rent.returned_on_burn_per_item)
        )?;
        for p in &self.payouts {
            writeln!(f, "  payout {} {}", p.recipient, p.unit.show(p.amount))?;
        }
        writeln!(f, "  redemptions: {}", self.redemptions)?;
        if self.problems.is_empty() {
            write!(f, "no problems found")
        } else {
            write!(f, "{} problem(s):", self.problems.len())?;
            for p in &self.problems {
                write!(f, "\n  [{}] {}", p.kind, p.message)?;
            }
            Ok(())
        }
    }
}

/// A small deterministic generator, so `--seed` repeats a rehearsal.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n.max(1)
    }
}

pub async fn run(global: &GlobalArgs, args: &RehearseArgs) -> Result<()> {
    let original = config::load(&args.config)?;
    let work = tempfile::tempdir().context("creating the rehearsal directory")?;
    let rehearsal = rehearse(
        global,
        &original,
        &config::config_dir(&args.config),
        work.path(),
        args,
    )
    .await?;
    crate::output::emit(global, &rehearsal)?;
    if rehearsal.problems.is_empty() {
        Ok(())
    } else {
        Err(Reported.into())
    }
}

async fn rehearse(
    global: &GlobalArgs,
    original: &DropConfig,
    original_dir: &std::path::Path,
    work: &std::path::Path,
    args: &RehearseArgs,
) -> Result<Rehearsal> {
    let mut problems = Vec::new();
    let mut rng = Rng(args.seed);
    let decimals = 9; // SPL prices are rehearsed in a stand-in currency of 9 decimals.
    let tiers = original
        .resolve_tiers(original_dir, decimals)
        .map_err(|p| anyhow::anyhow!("{p:?}"))?;

    // The rehearsal's own config: synthetic allow lists and voucher key, SOL prices.
    let voucher_key = Keypair::new();
    let mut config = original.clone();
    config.drop.authority = None;
    config.drop.currency = "SOL".into();
    let mut listed: BTreeMap<u8, Vec<(Keypair, u32)>> = BTreeMap::new();
    for (i, tier) in tiers.iter().enumerate() {
        let section = config
            .tiers
            .iter_mut()
            .find(|s| s.label == tier.label)
            .context("a tier of the config")?;
        if let Some(entries) = &tier.allowlist {
            let wallets: Vec<(Keypair, u32)> =
                entries.iter().map(|(_, a)| (Keypair::new(), *a)).collect();
            let csv: String = wallets
                .iter()
                .map(|(k, a)| format!("{},{a}\n", k.pubkey()))
                .collect();
            let name = format!("tier{i}.csv");
            std::fs::write(work.join(&name), csv)?;
            section.allowlist = Some(name);
            listed.insert(tier.id, wallets);
        }
        if section.voucher_signer.is_some() {
            section.voucher_signer = Some(voucher_key.pubkey().to_string());
        }
    }
    let config_path = work.join("drop.toml");
    std::fs::write(&config_path, to_toml(&config)?)?;
    let config = config::load(&config_path)?;

    // A sandbox whose clock starts just before the first window.
    let first_start = tiers
        .iter()
        .map(|t| t.start)
        .min()
        .unwrap_or_else(microdrop_sdk::sandbox::wall_clock);
    let sandbox = Sandbox::create_at(work.join("sandbox"), first_start - 60).await?;
    let creator = sandbox.default_keypair()?;
    let client = Client::new(
        sandbox.rpc_client(CommitmentConfig::confirmed()),
        creator.insecure_clone(),
    );
    let creator_before = client.balance(&creator.pubkey()).await?;
    let session = Session {
        client,
        sandbox: Some(sandbox),
        url: "sandbox (rehearsal)".into(),
        served: false,
    };
    let launched = crate::commands::launch::launch(global, &session, &config, work).await?;
    let client = &session.client;
    let sandbox = session.sandbox.as_ref().expect("rehearsal sandbox");
    let creator_cost = creator_before - client.balance(&creator.pubkey()).await?;
    let drop: Pubkey = launched.drop.parse()?;
    let voucher_salt = client.drop(&drop).await?.voucher_salt;
    let lists: BTreeMap<u8, AllowList> = listed
        .iter()
        .map(|(id, wallets)| {
            AllowList::new(
                drop,
                *id,
                wallets.iter().map(|(k, a)| (k.pubkey(), *a)).collect(),
            )
            .map(|l| (*id, l))
        })
        .collect::<Result<_, _>>()?;

    // Collectors: the public ones, plus (per allow-listed tier) up to as many listed wallets.
    let public: Vec<Keypair> = (0..args.collectors).map(|_| Keypair::new()).collect();
    let funds = 50 * LAMPORTS_PER_SOL;
    let listed_buyers = listed
        .values()
        .flat_map(|w| w.iter().take(args.collectors.max(1)).map(|(k, _)| k));
    for wallet in public.iter().chain(listed_buyers) {
        sandbox.airdrop(&wallet.pubkey(), funds).await?;
    }

    let mut reports: Vec<TierReport> = tiers
        .iter()
        .map(|t| TierReport {
            label: t.label.clone(),
            supply: crate::commands::status::open_or(t.supply),
            sold: 0,
            sell_through: None,
            revenue: 0,
            refusals: BTreeMap::new(),
        })
        .collect();
    let mut signatures: BTreeMap<&'static str, microdrop_sdk::Signature> = BTreeMap::new();
    let mut order: Vec<usize> = (0..tiers.len()).collect();
    order.sort_by_key(|i| tiers[*i].start);
    // An open tier sells what its collectors' limits let them buy.
    let planned: u64 = tiers
        .iter()
        .map(|t| {
            let buyers = listed.get(&t.id).map_or(public.len(), |w| w.len());
            let reach = (buyers.min(args.collectors.max(1)) as u64) * u64::from(t.per_wallet);
            t.supply.min(reach.max(1))
        })
        .sum();
    let bar = crate::output::Progress::new(global, planned, "mints");
    let mut done: u64 = 0;
    let mut holders: Vec<Keypair> = Vec::new();
    for i in order {
        let tier = &tiers[i];
        let mint_name = if tier.allowlist.is_some() {
            "mint (allow-listed)"
        } else {
            "mint"
        };
        if sandbox.unix_time() < tier.start {
            sandbox.warp_to(tier.start).await?;
        }
        let buyers: Vec<(Keypair, u32)> = match listed.get(&tier.id) {
            Some(wallets) => wallets
                .iter()
                .take(args.collectors.max(1))
                .map(|(k, a)| (k.insecure_clone(), *a))
                .collect(),
            None => public
                .iter()
                .map(|k| (k.insecure_clone(), tier.per_wallet))
                .collect(),
        };
        // Up to three rounds as the clock moves through the window: collectors come back
        // until the tier sells out or their limits stop them.
        for round in 0..3i64 {
            let at = tier.start + (tier.end - tier.start) * round / 3;
            if sandbox.unix_time() < at {
                sandbox.warp_to(at).await?;
            }
            let mut sold_this_round = 0;
            for (buyer, limit) in &buyers {
                if reports[i].sold >= tier.supply || sandbox.unix_time() >= tier.end {
                    break;
                }
                // Mostly within the limit, sometimes one over on purpose.
                let quantity = 1 + rng.below(u64::from(*limit) + 1);
                let wallet = Client::new(
                    sandbox.rpc_client(CommitmentConfig::confirmed()),
                    buyer.insecure_clone(),
                );
                let voucher = tier.voucher_signer.map(|_| {
                    SignedVoucher::sign(
                        VoucherMessage {
                            program: microdrop_sdk::microdrop::ID,
                            drop,
                            tier_id: tier.id,
                            wallet: buyer.pubkey(),
                            max_quantity: u32::try_from(quantity).unwrap_or(u32::MAX),
                            expires: tier.end,
                            region: tier.regions.first().copied().unwrap_or(*b"--"),
                            nonce: rng.below(u64::MAX),
                            single_use: false,
                            salt: voucher_salt,
                        },
                        &voucher_key,
                    )
                });
                // What landed: items, what they cost, and a signature to measure.
                let mut landed: Vec<(u64, u64, Option<microdrop_sdk::Signature>)> = Vec::new();
                match wallet
                    .mint_items(
                        &drop,
                        tier.id,
                        quantity,
                        lists.get(&tier.id),
                        voucher.as_ref(),
                    )
                    .await
                {
                    Ok(outcome) => landed.push((
                        outcome.mints.len() as u64,
                        outcome.paid,
                        outcome.signatures.first().copied(),
                    )),
                    Err(error) => {
                        if let microdrop_sdk::Error::MintIncomplete { minted, .. } = &error {
                            let n = minted.len() as u64;
                            landed.push((n, tier.price * n, None));
                        }
                        let reason = refusal_reason(&error);
                        // Refused for asking too much, a collector asks for one instead.
                        let retry = quantity > 1
                            && matches!(
                                reason.as_str(),
                                "WalletLimitReached"
                                    | "TierSoldOut"
                                    | "DropSoldOut"
                                    | "VoucherQuantityExceeded"
                            );
                        *reports[i].refusals.entry(reason).or_default() += 1;
                        if retry {
                            if let Ok(outcome) = wallet
                                .mint_items(
                                    &drop,
                                    tier.id,
                                    1,
                                    lists.get(&tier.id),
                                    voucher.as_ref(),
                                )
                                .await
                            {
                                landed.push((1, outcome.paid, outcome.signatures.first().copied()));
                            }
                        }
                    }
                }
                for (n, paid, signature) in landed {
                    reports[i].sold += n;
                    reports[i].revenue += paid;
                    done += n;
                    sold_this_round += n;
                    if let Some(signature) = signature {
                        signatures.entry(mint_name).or_insert(signature);
                    }
                    holders.push(buyer.insecure_clone());
                }
                bar.set(done);
            }
            if sold_this_round == 0 {
                break;
            }
        }
        // One late attempt, after the window, on purpose.
        if sandbox.unix_time() < tier.end {
            sandbox.warp_to(tier.end).await?;
        }
        if let Some((late, _)) = buyers.first() {
            let wallet = Client::new(
                sandbox.rpc_client(CommitmentConfig::confirmed()),
                late.insecure_clone(),
            );
            if let Err(error) = wallet
                .mint_items(&drop, tier.id, 1, lists.get(&tier.id), None)
                .await
            {
                *reports[i]
                    .refusals
                    .entry(refusal_reason(&error))
                    .or_default() += 1;
            }
        }
    }
    // Cleared before the report is assembled and printed.
    std::mem::drop(bar);
    for (report, tier) in reports.iter_mut().zip(&tiers) {
        report.sell_through = crate::commands::status::open_or(tier.supply)
            .filter(|supply| *supply > 0)
            .map(|supply| 100.0 * report.sold as f64 / supply as f64);
    }

    // Burns for each benefit, by holders with enough qualifying items.
    let state = client.drop(&drop).await?;
    let benefits = client.benefits(&drop, &state).await?;
    let mut seen = std::collections::HashSet::new();
    holders.retain(|h| seen.insert(h.pubkey()));
    let mut redemptions = 0;
    for benefit in &benefits {
        if let Some(start) = benefit.start {
            if sandbox.unix_time() < start {
                sandbox.warp_to(start).await?;
            }
        }
        for holder in &holders {
            let wallet = Client::new(
                sandbox.rpc_client(CommitmentConfig::confirmed()),
                holder.insecure_clone(),
            );
            if let Ok(outcome) = wallet.redeem(&drop, benefit.id, None).await {
                redemptions += 1;
                signatures.entry("redeem").or_insert(outcome.signature);
            }
        }
    }

    // Income out, then the end.
    let outcomes = client.distribute(&drop).await?;
    if let Some(first) = outcomes.first() {
        signatures.insert("distribute", first.signature);
    }
    let mut payouts = Vec::new();
    for outcome in &outcomes {
        let unit = crate::output::unit_of(client, outcome.currency_mint.as_ref()).await?;
        for p in &outcome.payouts {
            payouts.push(PayoutReport {
                recipient: p.recipient.to_string(),
                amount: p.amount,
                currency: outcome
                    .currency_mint
                    .map_or_else(|| "SOL".to_string(), |m| m.to_string()),
                unit: unit.clone(),
            });
        }
    }
    let close = client.set_drop_status(&drop, DropStatus::Closed).await?;
    signatures.insert("set_drop_status", close);
    if let Some(first) = launched.signatures.first() {
        signatures.insert("create_drop", first.parse()?);
    }
    if let Some(second) = launched.signatures.get(1).filter(|_| !tiers.is_empty()) {
        signatures.insert("add_tier", second.parse()?);
    }

    // Per instruction: compute units and sizes of the transactions that ran.
    let mut instructions_report = Vec::new();
    for (name, signature) in &signatures {
        instructions_report.push(measure(client, name, signature).await?);
    }
    // The worst allow-listed mint: the deepest proof of each list.
    let lookup = drop_lookup_addresses(
        &drop,
        state.standard,
        state.minimum > 0,
        tiers.iter().map(|t| t.id),
    );
    for tier in tiers.iter().filter(|t| t.allowlist.is_some()) {
        let list = &lists[&tier.id];
        let depth = list.depth();
        // The rehearsal's drop is priced in SOL (its config says so), as this mint is.
        let request = MintRequest {
            first_index: 1,
            allowance: Some(1),
            proof: vec![[0; 32]; depth],
            ..MintRequest::new(drop, &state, tier.id, Pubkey::new_unique())
        };
        let ixs = vec![
            instructions::compute_unit_limit(1_400_000),
            instructions::mint(&request),
        ];
        let legacy = legacy_transaction_size(&ixs, &request.buyer);
        let v0 = v0_transaction_size(&ixs, &request.buyer, &lookup);
        instructions_report.push(InstructionReport {
            name: format!("mint (tier {}, proof depth {depth})", tier.label),
            cpi_cu: instructions_report
                .iter()
                .find(|r| r.name == "mint (allow-listed)")
                .map_or(0, |r| r.cpi_cu),
            tx_bytes: legacy,
            accounts: ixs[1].accounts.len() + 2,
            fits_legacy: legacy <= PACKET_DATA_SIZE,
            fits_v0: v0 <= PACKET_DATA_SIZE,
        });
        // Launch creates the drop's lookup table, so only a mint too large even through it
        // is a problem.
        if v0 > PACKET_DATA_SIZE {
            problems.push(Problem {
                kind: "proof_too_large",
                message: format!(
                    "tier {:?}: a proof for {} wallets has {depth} hashes; a mint is {legacy} bytes as a legacy transaction, {v0} through the drop's lookup table (limit {PACKET_DATA_SIZE})",
                    tier.label,
                    list.len()
                ),
            });
        }
    }

    // Structural problems of the schedule.
    let now = microdrop_sdk::sandbox::wall_clock();
    for tier in &tiers {
        if tier.end <= now {
            problems.push(Problem {
                kind: "window_over",
                message: format!(
                    "tier {:?} ends {} (already past)",
                    tier.label,
                    crate::commands::sandbox::format_time(tier.end)
                ),
            });
        }
        if let Some(entries) = &tier.allowlist {
            let total: u64 = entries.iter().map(|(_, a)| u64::from(*a)).sum();
            if tier.supply != OPEN_SUPPLY && total < tier.supply {
                problems.push(Problem {
                    kind: "tier_cannot_sell_out",
                    message: format!(
                        "tier {:?}: its allow list allows {total} items in all, fewer than its supply {}",
                        tier.label, tier.supply
                    ),
                });
            }
        }
    }
    for (b, benefit) in original.benefits.iter().enumerate() {
        let qualifying: Vec<&config::ResolvedTier> = tiers
            .iter()
            .filter(|t| {
                benefit
                    .tiers
                    .as_ref()
                    .is_none_or(|labels| labels.contains(&t.label))
            })
            .collect();
        let most_per_wallet: u64 = qualifying
            .iter()
            .map(|t| {
                t.allowlist.as_ref().map_or(u64::from(t.per_wallet), |e| {
                    e.iter().map(|(_, a)| u64::from(*a)).max().unwrap_or(0)
                })
            })
            .sum();
        if most_per_wallet < u64::from(benefit.burn) {
            problems.push(Problem {
                kind: "benefit_unreachable",
                message: format!(
                    "benefit[{b}] {:?} burns {} items, but one wallet can mint at most {most_per_wallet} from the tiers it accepts",
                    benefit.label, benefit.burn
                ),
            });
        }
        let end = benefit
            .end
            .as_deref()
            .and_then(|t| config::parse_time(t).ok());
        if let Some(end) = end {
            if qualifying.iter().all(|t| t.start >= end) {
                problems.push(Problem {
                    kind: "benefit_closes_before_sales",
                    message: format!(
                        "benefit[{b}] {:?} ends before any tier it accepts opens",
                        benefit.label
                    ),
                });
            }
        }
    }

    // What a collector's first item costs beyond price, fees and Token Metadata's
    // accounts (its mint and token account, and its wallet record), and what comes back.
    use microdrop_sdk::anchor_lang::Space;
    let rent = |size: usize| client.rpc().get_minimum_balance_for_rent_exemption(size);
    let record_rent = rent(8 + microdrop_sdk::microdrop::state::WalletRecord::INIT_SPACE).await?;
    // Before any item exists to read: an SPL Token mint's and token account's rent.
    let unread_item_rent = rent(82).await? + rent(165).await?;
    // The whole cost, from the accounts an unburned item's mint created, as they are.
    let table = microdrop_sdk::microdrop::state::item_tiers::size_for;
    let state_now = client.drop(&drop).await?;
    let minted = state_now.minted;
    let table_share = match minted {
        _ if !microdrop_sdk::items::tier_in_table(state_now.standard) => 0,
        0 => 0,
        n => {
            let grown = rent(table(n)?).await? - rent(table(0)?).await?;
            grown.div_ceil(n)
        }
    };
    // A preorder's buyers also pay their items' entries in the item-price table.
    let prices = microdrop_sdk::microdrop::state::item_prices::size_for;
    let table_share = match minted {
        n if state_now.minimum > 0 && n > 0 => {
            table_share + (rent(prices(n)?).await? - rent(prices(0)?).await?).div_ceil(n)
        }
        _ => table_share,
    };
    if state_now.minimum > 0 && state_now.sold() < state_now.minimum {
        problems.push(Problem {
            kind: "preorder_fails",
            message: format!(
                "the rehearsal sold {} item(s) by the deadline {}, below the minimum of {}: \
                 every buyer would be refunded",
                state_now.sold(),
                crate::commands::sandbox::format_time(state_now.deadline),
                state_now.minimum
            ),
        });
    }
    let item = item_accounts_lamports(client, &drop, &state_now, minted).await?;
    let (collector_cost_per_item, returned_on_burn_per_item) = match &item {
        Some(item) => (item.total + record_rent + table_share, item.returned),
        None => (0, 0),
    };
    let item_rent = item.map_or(unread_item_rent, |item| item.mint_and_token);

    Ok(Rehearsal {
        tiers: reports,
        instructions: instructions_report,
        rent: RentReport {
            creator: creator_cost,
            collector_per_item: item_rent + record_rent,
            collector_cost_per_item,
            recoverable_per_item: record_rent,
            returned_on_burn_per_item,
        },
        payouts,
        problems,
        redemptions,
        collectors: args.collectors,
        unit: crate::output::currency_unit(client, &client.drop(&drop).await?.currency).await?,
    })
}

/// Lamports in the accounts the newest unburned item of `drop` (of `minted`) was created
/// with (its mint, its holder's token account, and for Token Metadata its metadata, with
/// the fee, and master edition), and how many of them a burn returns (all of a Token-2022
/// item's; a Token Metadata item's but its mint and the fee). `None` when no item is left.
async fn item_accounts_lamports(
    client: &Client,
    drop: &Pubkey,
    state: &microdrop_sdk::microdrop::state::Drop,
    minted: u64,
) -> Result<Option<ItemLamports>> {
    for index in (1..=minted).rev() {
        let mint = microdrop_sdk::pda::item_mint(drop, index).0;
        let Some((holder, token_account)) = client.holder_of(&mint).await? else {
            continue; // burned
        };
        let mut accounts =
            microdrop_sdk::items::item_accounts(state.standard, drop, &holder, index);
        accounts[1] = token_account;
        let lamports: Vec<u64> = client
            .accounts(&accounts)
            .await?
            .into_iter()
            .map(|a| a.map_or(0, |a| a.lamports))
            .collect();
        let total: u64 = lamports.iter().sum();
        let returned = match state.standard {
            // Token Metadata's burn keeps its create fee (held in the metadata) and leaves
            // the mint; the rest comes back.
            microdrop_sdk::items::ItemStandard::TokenMetadata => total
                .saturating_sub(lamports[0])
                .saturating_sub(microdrop_sdk::TOKEN_METADATA_CREATE_FEE),
            microdrop_sdk::items::ItemStandard::Token2022 => total,
        };
        return Ok(Some(ItemLamports {
            total,
            returned,
            mint_and_token: lamports[0] + lamports[1],
        }));
    }
    Ok(None)
}

/// What an item's accounts hold, from the chain.
struct ItemLamports {
    /// All of them.
    total: u64,
    /// What burning it returns.
    returned: u64,
    /// Its mint and its holder's token account.
    mint_and_token: u64,
}

/// The name a refusal is counted under: the program error's, else the SDK's kind.
fn refusal_reason(error: &microdrop_sdk::Error) -> String {
    if let Some(name) = error.program_error_name() {
        return name.to_string();
    }
    match error {
        microdrop_sdk::Error::AllowList(_) => "NotListed".into(),
        microdrop_sdk::Error::Voucher(_) => "VoucherNeeded".into(),
        microdrop_sdk::Error::NotFound(m) if m.contains("requires holding") => "NotHolder".into(),
        microdrop_sdk::Error::Transaction { error, .. } => format!("{error:?}"),
        other => other.to_string().chars().take(40).collect(),
    }
}

/// Compute units, bytes and accounts of a transaction that ran in the rehearsal.
async fn measure(
    client: &Client,
    name: &str,
    signature: &microdrop_sdk::Signature,
) -> Result<InstructionReport> {
    let cost = client.transaction_cost(signature).await?;
    Ok(InstructionReport {
        name: name.to_string(),
        cpi_cu: cost.units,
        tx_bytes: cost.bytes,
        accounts: cost.accounts,
        fits_legacy: cost.bytes <= PACKET_DATA_SIZE,
        fits_v0: cost.bytes <= PACKET_DATA_SIZE,
    })
}

/// The config back as TOML (the rehearsal's copy).
fn to_toml(config: &DropConfig) -> Result<String> {
    toml::to_string(config).context("writing the rehearsal's config")
}
