use std::{
    fmt,
    io::IsTerminal,
    path::{Path, PathBuf},
};

use anyhow::{bail, Context, Result};
use clap::Args;
use microdrop_sdk::{
    address_lookup_table::state::LOOKUP_TABLE_META_SIZE,
    allowlist::AllowList,
    client::{drop_lookup_addresses, lacking_from},
    instructions,
    items::standard_name,
    microdrop::{
        instructions::CreateDropArgs,
        state::{
            Benefit, BenefitConfig, Currency, Drop, DropStatus, SplitConfig, Tier, TierConfig,
        },
    },
    pda, Pubkey, SIGNATURE_FEE_LAMPORTS, TOKEN_PROGRAM_ID,
};
use serde::Serialize;

use crate::{
    args::GlobalArgs,
    cluster::Session,
    commands::status::{currency_decimals, DropView},
    config::{self, CurrencyConfig, DropConfig, InvalidConfig},
    output::{progress, sol},
};

#[derive(Args, Debug)]
pub struct LaunchArgs {
    /// The drop config.
    pub config: PathBuf,
}

/// An allow-list file `launch` wrote for a tier.
#[derive(Serialize, Debug)]
pub struct WrittenAllowList {
    pub tier: u8,
    pub label: String,
    pub file: String,
    pub root: String,
    pub wallets: usize,
}

#[derive(Serialize)]
pub struct Launched {
    pub cluster: String,
    pub drop: String,
    pub collection_mint: String,
    /// Whether this run created the drop (false: it already existed).
    pub created: bool,
    /// Whether this run moved the drop from draft to active.
    pub activated: bool,
    pub status: &'static str,
    /// Ids of the tiers this run added and updated.
    pub tiers_added: Vec<u8>,
    pub tiers_updated: Vec<u8>,
    /// Whether an active drop was paused to change its tiers (and resumed after).
    pub paused_for_update: bool,
    /// Whether this run replaced the split (only possible before the first sale).
    pub splits_updated: bool,
    /// Ids of the benefits this run added.
    pub benefits_added: Vec<u8>,
    pub allowlists: Vec<WrittenAllowList>,
    pub signatures: Vec<String>,
    /// The drop as `status` shows it.
    pub details: DropView,
}

impl fmt::Display for Launched {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match (self.created, self.activated, self.signatures.is_empty()) {
            (true, _, _) => "created and activated".to_string(),
            (false, true, _) => "already existed; activated".to_string(),
            (false, false, true) => "already launched; nothing to do".to_string(),
            (false, false, false) => format!(
                "tiers brought in line with the config (added {:?}, updated {:?})",
                self.tiers_added, self.tiers_updated
            ),
        };
        writeln!(f, "{} on {}: {what}", self.drop, self.cluster)?;
        for signature in &self.signatures {
            writeln!(f, "  signature {signature}")?;
        }
        for list in &self.allowlists {
            writeln!(
                f,
                "  allow list for tier {} ({}): {} wallets -> {}",
                list.tier, list.label, list.wallets, list.file
            )?;
        }
        write!(f, "\n{}", self.details)
    }
}

fn create_args(config: &DropConfig, authority: &Pubkey) -> CreateDropArgs {
    let d = &config.drop;
    CreateDropArgs {
        splits: config.split_configs(authority),
        id: d.id.clone(),
        name: d.name.clone(),
        symbol: d.symbol.clone(),
        uri: d.uri.clone(),
        item_uri: d.item_uri.clone(),
        supply: d.supply.get(),
        seller_fee_bps: d.seller_fee_bps,
        voucher_salt: microdrop_sdk::instructions::voucher_salt(),
        standard: d.item_standard(),
        transferable: d.is_transferable(),
        minimum: d.threshold().0,
        deadline: d.threshold().1,
    }
}

/// Fields of an existing drop that differ from the config, as `field: on-chain vs config`.
fn differences(drop: &Drop, args: &CreateDropArgs, currency: &Currency) -> Vec<String> {
    let mut out = Vec::new();
    let mut cmp = |field: &str, chain: String, config: String| {
        if chain != config {
            out.push(format!(
                "drop.{field}: on-chain {chain:?}, config {config:?}"
            ));
        }
    };
    cmp("name", drop.name.clone(), args.name.clone());
    cmp("symbol", drop.symbol.clone(), args.symbol.clone());
    cmp("uri", drop.uri.clone(), args.uri.clone());
    cmp("item_uri", drop.item_uri.clone(), args.item_uri.clone());
    cmp(
        "supply",
        crate::commands::status::supply_name(drop.supply),
        crate::commands::status::supply_name(args.supply),
    );
    cmp(
        "minimum",
        drop.minimum.to_string(),
        args.minimum.to_string(),
    );
    cmp(
        "deadline",
        crate::commands::sandbox::format_time(drop.deadline),
        crate::commands::sandbox::format_time(args.deadline),
    );
    cmp(
        "currency",
        crate::commands::status::currency_name(&drop.currency),
        crate::commands::status::currency_name(currency),
    );
    cmp(
        "seller_fee_bps",
        drop.seller_fee_bps.to_string(),
        args.seller_fee_bps.to_string(),
    );
    cmp(
        "standard",
        standard_name(drop.standard).to_string(),
        standard_name(args.standard).to_string(),
    );
    cmp(
        "transferable",
        (!drop.soulbound).to_string(),
        args.transferable.to_string(),
    );
    out
}

/// Where `launch` writes tier `label`'s allow-list file: beside the config.
/// Marks a drop that `launch` paused and has not resumed yet.
fn pause_marker(config_dir: &Path, drop_id: &str) -> PathBuf {
    config_dir.join(format!(".{drop_id}.launch-paused"))
}

pub fn allowlist_file(config_dir: &Path, drop_id: &str, label: &str) -> PathBuf {
    let slug: String = label
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    config_dir.join(format!("{drop_id}.{slug}.allowlist.json"))
}

pub async fn run(global: &GlobalArgs, args: &LaunchArgs) -> Result<()> {
    // Nothing is sent unless the whole config is valid.
    let config = config::load(&args.config)?;
    let session = Session::connect(global, true).await?;
    let result = launch(global, &session, &config, &config::config_dir(&args.config)).await;
    session.finish().await?;
    let launched = result?;
    crate::output::emit(global, &launched)?;
    Ok(())
}

/// What a launch will do, decided before anything is sent.
struct Plan {
    create: bool,
    /// The drop's item standard.
    standard: microdrop_sdk::items::ItemStandard,
    add: Vec<(u8, TierConfig)>,
    update: Vec<(u8, TierConfig)>,
    splits: Option<Vec<SplitConfig>>,
    benefits: Vec<(u8, BenefitConfig)>,
    /// Addresses to put in the drop's lookup table (creating it when it has none).
    lookup_table: Option<usize>,
    cost: u64,
}

impl Plan {
    fn changes(&self) -> bool {
        self.create
            || !self.add.is_empty()
            || !self.update.is_empty()
            || self.splits.is_some()
            || !self.benefits.is_empty()
            || self.lookup_table.is_some()
    }
}

pub async fn launch(
    global: &GlobalArgs,
    session: &Session,
    config: &DropConfig,
    config_dir: &Path,
) -> Result<Launched> {
    let client = &session.client;
    let authority = client.payer();
    if let Some(named) = config.authority() {
        if named != authority {
            bail!(
                "drop.authority is {named}, but the keypair is {authority}: launch with the \
                 creator's keypair (-k)"
            );
        }
    }
    let args = create_args(config, &authority);
    let drop_address = pda::drop(&authority, &args.id).0;
    let currency_config: CurrencyConfig = config
        .drop
        .currency
        .parse()
        .map_err(|e: String| anyhow::anyhow!("drop.currency: {e}"))?;
    let currency = match currency_config {
        CurrencyConfig::Sol => Currency::Sol,
        CurrencyConfig::Spl(mint) => {
            check_mint(session, &mint).await?;
            Currency::Spl { mint }
        }
    };
    let decimals = currency_decimals(client, &currency).await?;
    let resolved = config
        .resolve_tiers(config_dir, decimals)
        .map_err(|problems| InvalidConfig {
            path: config_dir.display().to_string(),
            problems,
        })?;

    let existing = client.find_drop(&drop_address).await?;
    if let Some(drop) = &existing {
        let diff = differences(drop, &args, &currency);
        if !diff.is_empty() {
            bail!(
                "drop {drop_address} already exists with other settings, which cannot change \
                 after creation (use a new id): {}",
                diff.join("; ")
            );
        }
        if drop.status == DropStatus::Closed {
            bail!("drop {drop_address} is closed; a closed drop cannot be launched again");
        }
    }

    // Allow lists are bound to the drop's address; build them and write their files before
    // any root goes on-chain, so every root has its file.
    let mut wanted = Vec::with_capacity(resolved.len());
    let mut allowlists = Vec::new();
    for tier in &resolved {
        let root = match &tier.allowlist {
            Some(entries) => {
                let list = AllowList::new(drop_address, tier.id, entries.clone())?;
                let file = allowlist_file(config_dir, &args.id, &tier.label);
                list.save(&file)?;
                allowlists.push(WrittenAllowList {
                    tier: tier.id,
                    label: tier.label.clone(),
                    file: file.display().to_string(),
                    root: microdrop_sdk::allowlist::hex(&list.root()),
                    wallets: list.len(),
                });
                Some(list.root())
            }
            None => None,
        };
        wanted.push(TierConfig {
            label: tier.label.clone(),
            start: tier.start,
            end: tier.end,
            price: tier.price,
            supply: tier.supply,
            per_wallet: tier.per_wallet,
            allowlist_root: root,
            holder_of: tier.holder_of,
            voucher_signer: tier.voucher_signer,
            regions: tier.regions.clone(),
            holder_limit: tier.holder_limit,
        });
    }
    let on_chain: Vec<Tier> = match &existing {
        Some(drop) => client.tiers(&drop_address, drop).await?,
        None => vec![],
    };
    if on_chain.len() > wanted.len() {
        bail!(
            "drop {drop_address} has {} tiers on-chain but the config lists {}: tiers cannot be \
             removed (end a tier early by moving its end time instead)",
            on_chain.len(),
            wanted.len()
        );
    }
    let mut plan = Plan {
        create: existing.is_none(),
        standard: config.drop.item_standard(),
        add: vec![],
        update: vec![],
        splits: None,
        benefits: vec![],
        lookup_table: None,
        cost: 0,
    };
    if let Some(drop) = &existing {
        let wanted = config.split_configs(&authority);
        if drop.split_config() != wanted {
            if drop.minted > 0 || drop.distributed_lamports > 0 || drop.distributed_tokens > 0 {
                bail!(
                    "split: the drop's split is frozen (items sold or income distributed); the \
                     config's [[split]] tables differ from it"
                );
            }
            plan.splits = Some(wanted);
        }
    }
    let on_chain_benefits: Vec<Benefit> = match &existing {
        Some(drop) => client.benefits(&drop_address, drop).await?,
        None => vec![],
    };
    let wanted_benefits = config.benefit_configs();
    if on_chain_benefits.len() > wanted_benefits.len() {
        bail!(
            "drop {drop_address} has {} benefits on-chain but the config lists {}: benefits \
             cannot be removed",
            on_chain_benefits.len(),
            wanted_benefits.len()
        );
    }
    for (id, wanted) in wanted_benefits.iter().enumerate() {
        let id = u8::try_from(id)?;
        match on_chain_benefits.get(usize::from(id)) {
            Some(benefit) if benefit.config() == *wanted => {}
            Some(benefit) => bail!(
                "benefit[{id}]: {:?} on-chain differs from the config; benefits cannot change \
                 once added (add a new one instead)",
                benefit.label
            ),
            None => plan.benefits.push((id, wanted.clone())),
        }
    }
    for (id, config) in wanted.iter().enumerate() {
        let id = u8::try_from(id)?;
        match on_chain.get(usize::from(id)) {
            Some(tier) if tier.config() == *config => {}
            Some(tier) if config.supply < tier.minted => bail!(
                "tier[{id}].supply: tier {:?} already sold {}, more than the new supply {}",
                tier.label,
                tier.minted,
                config.supply
            ),
            Some(_) => plan.update.push((id, config.clone())),
            None => plan.add.push((id, config.clone())),
        }
    }
    // The lookup table holds the drop's static accounts for every tier the config has, so
    // that mints (deep allow-list proofs above all) fit one v0 transaction.
    let table_addresses = drop_lookup_addresses(
        &drop_address,
        args.standard,
        args.minimum > 0,
        0..wanted_tier_count(&plan, &on_chain),
    );
    let missing = match &existing {
        Some(drop) => match client.lookup_table(drop).await? {
            Some(table) => lacking_from(&table, table_addresses).len(),
            None => table_addresses.len(),
        },
        None => table_addresses.len(),
    };
    plan.lookup_table = (missing > 0).then_some(missing);
    plan.cost = plan_cost(session, &plan, matches!(currency, Currency::Spl { .. })).await?;
    if plan.changes() {
        let balance = client.balance(&authority).await?;
        if balance < plan.cost {
            bail!(
                "insufficient funds: {authority} has {} SOL, launching needs about {} SOL",
                sol(balance),
                sol(plan.cost)
            );
        }
        if session.is_real_cluster() {
            confirm(
                global,
                &describe_plan(&plan, &args.id, &drop_address, session, &authority),
            )?;
        }
    }

    let mut signatures = Vec::new();
    if plan.create {
        progress(global, format!("creating drop {drop_address}"));
        let currency_mint = match currency {
            Currency::Spl { mint } => Some(mint),
            Currency::Sol => None,
        };
        let (_, signature) = client
            .create_drop(args.clone(), currency_mint.as_ref())
            .await?;
        signatures.push(signature.to_string());
    }
    let mut drop = client.drop(&drop_address).await?;
    // A launch that pauses a live drop to change its tiers leaves a marker until it has
    // resumed it, so that a launch interrupted in between (killed, RPC gone) resumes the
    // drop when run again instead of leaving it paused.
    let marker = pause_marker(config_dir, &args.id);
    let mut paused_for_update = marker.exists() && drop.status == DropStatus::Paused;
    let mut changes = Vec::new();
    if (!plan.add.is_empty() || !plan.update.is_empty()) && drop.status == DropStatus::Active {
        progress(global, "pausing the drop to change its tiers");
        std::fs::write(&marker, drop_address.to_string())
            .with_context(|| format!("writing {}", marker.display()))?;
        changes.push(instructions::set_drop_status(
            &authority,
            &drop_address,
            DropStatus::Paused,
        ));
        paused_for_update = true;
    }
    // Pausing, tier changes, the split and benefits, then resuming or activating: packed
    // into as few transactions as fit, in this order (each instruction sees the ones
    // before it); when they fit in one, the change is atomic.
    for (id, config) in &plan.update {
        progress(global, format!("updating tier {id} ({})", config.label));
        changes.push(instructions::update_tier(
            &authority,
            &drop_address,
            *id,
            config.clone(),
        ));
    }
    for (id, config) in &plan.add {
        progress(global, format!("adding tier {id} ({})", config.label));
        changes.push(instructions::add_tier(
            &authority,
            &drop_address,
            *id,
            config.clone(),
        ));
    }
    if let Some(splits) = &plan.splits {
        progress(global, "replacing the split");
        changes.push(instructions::set_splits(
            &authority,
            &drop_address,
            splits.clone(),
        ));
    }
    for (id, config) in &plan.benefits {
        progress(global, format!("adding benefit {id} ({})", config.label));
        changes.push(instructions::add_benefit(
            &authority,
            &drop_address,
            *id,
            config.clone(),
        ));
    }
    let mut activated = false;
    if paused_for_update {
        progress(global, "resuming the drop");
        changes.push(instructions::set_drop_status(
            &authority,
            &drop_address,
            DropStatus::Active,
        ));
    } else if drop.status == DropStatus::Draft {
        // Only now is every tier in place.
        progress(global, "activating");
        changes.push(instructions::set_drop_status(
            &authority,
            &drop_address,
            DropStatus::Active,
        ));
        activated = true;
    }
    let sent = client.send_packed(changes).await;
    // A refused change that never paused the drop leaves no pause to finish: drop the
    // marker, or a later launch would resume a pause the creator made themselves.
    if sent.is_err() && marker.exists() {
        let status = client.drop(&drop_address).await.map(|d| d.status);
        if status.is_ok_and(|s| s != DropStatus::Paused) {
            let _ = std::fs::remove_file(&marker);
        }
    }
    for signature in sent? {
        signatures.push(signature.to_string());
    }
    if plan.lookup_table.is_some() {
        progress(global, "filling the drop's lookup table");
        let table = client.ensure_lookup_table(&drop_address).await?;
        signatures.extend(table.signatures.iter().map(ToString::to_string));
    }
    drop = client.drop(&drop_address).await?;
    if marker.exists() && drop.status != DropStatus::Paused {
        std::fs::remove_file(&marker).with_context(|| format!("removing {}", marker.display()))?;
    }
    let details = DropView::fetch(client, &drop_address)
        .await?
        .ok_or_else(|| anyhow::anyhow!("drop {drop_address} vanished"))?;

    Ok(Launched {
        cluster: session.url.clone(),
        drop: drop_address.to_string(),
        collection_mint: drop.collection_mint.to_string(),
        created: plan.create,
        activated,
        status: crate::commands::status::status_name(drop.status),
        tiers_added: plan.add.iter().map(|(id, _)| *id).collect(),
        tiers_updated: plan.update.iter().map(|(id, _)| *id).collect(),
        paused_for_update,
        splits_updated: plan.splits.is_some(),
        benefits_added: plan.benefits.iter().map(|(id, _)| *id).collect(),
        allowlists,
        signatures,
        details,
    })
}

/// Tiers the drop will have once the plan is carried out.
fn wanted_tier_count(plan: &Plan, on_chain: &[Tier]) -> u8 {
    u8::try_from(on_chain.len() + plan.add.len()).unwrap_or(u8::MAX)
}

/// Rent and fees of everything the plan creates and sends.
async fn plan_cost(session: &Session, plan: &Plan, spl_currency: bool) -> Result<u64> {
    use microdrop_sdk::anchor_lang::Space;
    let client = &session.client;
    let mut cost = 0;
    if plan.create {
        cost += client.launch_cost(spl_currency).await?;
    }
    if !plan.add.is_empty() {
        let tier_rent = client
            .rpc()
            .get_minimum_balance_for_rent_exemption(8 + Tier::INIT_SPACE)
            .await?;
        cost += tier_rent * plan.add.len() as u64;
    }
    if !plan.benefits.is_empty() {
        let benefit_rent = client
            .rpc()
            .get_minimum_balance_for_rent_exemption(8 + Benefit::INIT_SPACE)
            .await?;
        cost += benefit_rent * plan.benefits.len() as u64;
    }
    if let Some(addresses) = plan.lookup_table {
        cost += client
            .rpc()
            .get_minimum_balance_for_rent_exemption(LOOKUP_TABLE_META_SIZE + 32 * addresses)
            .await?;
    }
    // One transaction per change, plus a pause, a resume and the lookup table at most.
    let transactions = plan.add.len() + plan.update.len() + plan.benefits.len() + 5;
    cost += transactions as u64 * SIGNATURE_FEE_LAMPORTS;
    Ok(cost)
}

fn describe_plan(
    plan: &Plan,
    id: &str,
    drop: &Pubkey,
    session: &Session,
    authority: &Pubkey,
) -> String {
    let mut lines = vec![format!("Launch drop {id:?} at {drop} on {}?", session.url)];
    if plan.create {
        lines.push(match plan.standard {
            microdrop_sdk::items::ItemStandard::TokenMetadata => "  create: drop account, \
                collection mint, metadata, master edition, token account, vault"
                .into(),
            microdrop_sdk::items::ItemStandard::Token2022 => "  create: drop account, \
                Token-2022 collection mint (group and metadata), token account, vault"
                .into(),
        });
    }
    for (tier_id, config) in &plan.add {
        lines.push(format!("  add tier {tier_id} ({})", config.label));
    }
    for (tier_id, config) in &plan.update {
        lines.push(format!("  update tier {tier_id} ({})", config.label));
    }
    if plan.splits.is_some() {
        lines.push("  replace the split".into());
    }
    for (id, config) in &plan.benefits {
        lines.push(format!("  add benefit {id} ({})", config.label));
    }
    if let Some(addresses) = plan.lookup_table {
        lines.push(format!(
            "  put {addresses} address(es) in the drop's lookup table (created if missing)"
        ));
    }
    lines.push(format!(
        "  cost: about {} SOL (rent and fees) from {authority}",
        sol(plan.cost)
    ));
    lines.join("\n")
}

async fn check_mint(session: &Session, mint: &Pubkey) -> Result<()> {
    let account = session.client.account(mint).await?;
    match account {
        Some(a) if a.owner == TOKEN_PROGRAM_ID && a.data.len() == 82 => Ok(()),
        Some(_) => bail!(
            "drop.currency: {mint} is not an SPL Token mint on {}",
            session.url
        ),
        None => bail!("drop.currency: no mint {mint} on {}", session.url),
    }
}

/// Asks on the terminal; without one, only `--yes` proceeds.
pub fn confirm(global: &GlobalArgs, summary: &str) -> Result<()> {
    if global.yes {
        return Ok(());
    }
    if !std::io::stdin().is_terminal() || !std::io::stderr().is_terminal() {
        bail!("{summary}\nrefusing to send without confirmation: pass --yes (no terminal to ask)");
    }
    eprint!("{summary}\nProceed? [y/N] ");
    let mut answer = String::new();
    std::io::stdin().read_line(&mut answer)?;
    if matches!(answer.trim(), "y" | "Y" | "yes") {
        Ok(())
    } else {
        bail!("cancelled; nothing was sent")
    }
}
