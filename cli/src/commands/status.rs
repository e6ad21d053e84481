use std::{fmt, path::PathBuf};

use anyhow::{Context, Result};
use clap::Args;
use microdrop_sdk::{
    eligibility::{tier_state, TierState},
    microdrop::state::{Benefit, Currency, Drop, DropStatus, ThresholdState, Tier},
    pda, Client, Pubkey, TOKEN_PROGRAM_ID,
};
use serde::Serialize;

use crate::{args::GlobalArgs, cluster::Session, config};

#[derive(Args, Debug)]
pub struct StatusArgs {
    /// The drop's address, or a drop.toml (the drop is then the keypair's drop of that id).
    pub drop: String,
}

/// A drop as `status` shows it; `launch` shows the same.
#[derive(Serialize, Debug)]
pub struct DropView {
    pub drop: String,
    pub authority: String,
    /// The wallet the authority offered the drop to, until it accepts; null when none.
    pub pending_authority: Option<String>,
    pub id: String,
    pub name: String,
    pub symbol: String,
    pub uri: String,
    pub item_uri: String,
    pub status: &'static str,
    pub collection_mint: String,
    /// The drop's address lookup table, which mints go through as v0 transactions.
    pub lookup_table: Option<String>,
    pub supply: SupplyView,
    /// A preorder's threshold; null for an unconditional sale.
    pub threshold: Option<ThresholdView>,
    pub currency: String,
    pub seller_fee_bps: u16,
    /// `"token-metadata"` or `"token-2022"`.
    pub standard: &'static str,
    /// Whether items can be transferred (soulbound Token-2022 items cannot).
    pub transferable: bool,
    pub tiers: Vec<TierView>,
    pub vault: VaultView,
    /// Who receives the income, in stored order.
    pub splits: Vec<SplitView>,
    pub benefits: Vec<BenefitView>,
    /// Decimals of the currency (9 for SOL), for reading prices.
    pub currency_decimals: u32,
    /// How amounts in the currency read: `SOL`, the token's symbol, or its address
    /// shortened (`EPjF…Dt1v`) when it has none.
    pub currency_symbol: String,
    /// The cluster time the tier states are for.
    pub time: String,
    /// How the text shows amounts in the currency.
    #[serde(skip)]
    pub unit: crate::output::Unit,
}

/// One tier as `status` shows it. Prices are in the currency's smallest units.
#[derive(Serialize, Debug)]
pub struct TierView {
    pub id: u8,
    pub label: String,
    pub start: String,
    pub end: String,
    pub price: u64,
    /// Null for an open edition.
    pub supply: Option<u64>,
    pub minted: u64,
    pub per_wallet: u32,
    pub allowlist: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub holder_of: Option<String>,
    /// Mints per held gate item (gated tiers with a limit only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub holder_limit: Option<u32>,
    pub state: TierState,
}

/// The vault: what it holds to distribute, and what it has paid out, in the drop's
/// currency's smallest units.
#[derive(Serialize, Debug)]
pub struct VaultView {
    pub address: String,
    /// Distributable now (for SOL: lamports above the vault's rent-exempt minimum).
    pub balance: u64,
    /// Paid out over the drop's life.
    pub distributed: u64,
    /// For a drop priced in an SPL token: the SOL royalties, in lamports.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub royalties: Option<RoyaltyView>,
}

#[derive(Serialize, Debug)]
pub struct RoyaltyView {
    pub balance: u64,
    pub distributed: u64,
}

#[derive(Serialize, Debug)]
pub struct SplitView {
    pub address: String,
    pub share_bps: u16,
}

#[derive(Serialize, Debug)]
pub struct BenefitView {
    pub id: u8,
    pub label: String,
    pub burn: u8,
    pub supply: u64,
    pub redeemed: u64,
    /// `upcoming`, `open`, `ended` or `exhausted`.
    pub state: &'static str,
}

/// A benefit's state at `now`.
pub fn benefit_state(benefit: &Benefit, now: i64) -> &'static str {
    if benefit.redeemed >= benefit.supply {
        "exhausted"
    } else if benefit.start.is_some_and(|s| now < s) {
        "upcoming"
    } else if benefit.end.is_some_and(|e| now >= e) {
        "ended"
    } else {
        "open"
    }
}

/// What `status` reads besides the drop itself.
pub struct Extras<'a> {
    pub tiers: &'a [Tier],
    pub benefits: &'a [Benefit],
    pub vault: VaultView,
    pub now: i64,
    pub unit: crate::output::Unit,
}

#[derive(Serialize, Debug)]
pub struct SupplyView {
    /// Null for an open edition.
    pub cap: Option<u64>,
    pub minted: u64,
    pub burned: u64,
    /// Of `minted`, the items the authority airdropped.
    pub airdropped: u64,
}

/// A preorder's threshold, in items; amounts in the currency's smallest units.
#[derive(Serialize, Debug)]
pub struct ThresholdView {
    pub minimum: u64,
    /// RFC 3339.
    pub deadline: String,
    /// Items sold (minted by buyers, not airdropped).
    pub sold: u64,
    /// `pending`, `met` or `failed`.
    pub state: &'static str,
    /// What the vault holds for refunds.
    pub escrowed: u64,
    /// What refunds paid back.
    pub refunded: u64,
}

/// A supply as people read it: a number, or `open`.
pub fn supply_name(supply: u64) -> String {
    open_or(supply).map_or_else(|| "open".to_string(), |n| n.to_string())
}

/// `None` for an open edition's supply.
pub fn open_or(supply: u64) -> Option<u64> {
    (supply != microdrop_sdk::microdrop::constants::OPEN_SUPPLY).then_some(supply)
}

/// A preorder's threshold at `now`, or `None` for an unconditional sale.
pub fn threshold_view(drop: &Drop, now: i64) -> Option<ThresholdView> {
    let state = match drop.threshold(now) {
        ThresholdState::Unconditional => return None,
        ThresholdState::Pending => "pending",
        ThresholdState::Met => "met",
        ThresholdState::Failed => "failed",
    };
    Some(ThresholdView {
        minimum: drop.minimum,
        deadline: crate::commands::sandbox::format_time(drop.deadline),
        sold: drop.sold(),
        state,
        // Once the minimum sold, nothing is held for refunds any more.
        escrowed: if state == "met" { 0 } else { drop.escrowed },
        refunded: drop.refunded,
    })
}

pub fn status_name(status: DropStatus) -> &'static str {
    match status {
        DropStatus::Draft => "draft",
        DropStatus::Active => "active",
        DropStatus::Paused => "paused",
        DropStatus::Closed => "closed",
    }
}

pub fn currency_name(currency: &Currency) -> String {
    match currency {
        Currency::Sol => "SOL".to_string(),
        Currency::Spl { mint } => mint.to_string(),
    }
}

impl DropView {
    /// Reads the drop, its tiers, the clock and the currency's decimals.
    pub async fn fetch(client: &Client, address: &Pubkey) -> anyhow::Result<Option<Self>> {
        let Some(drop) = client.find_drop(address).await? else {
            return Ok(None);
        };
        let tiers = client.tiers(address, &drop).await?;
        let benefits = client.benefits(address, &drop).await?;
        let now = client.cluster_time().await?;
        let unit = crate::output::currency_unit(client, &drop.currency).await?;
        let vault = vault_view(client, address, &drop).await?;
        Ok(Some(Self::new(
            address,
            &drop,
            Extras {
                tiers: &tiers,
                benefits: &benefits,
                vault,
                now,
                unit,
            },
        )))
    }

    pub fn new(address: &Pubkey, drop: &Drop, extras: Extras<'_>) -> Self {
        let Extras {
            tiers,
            benefits,
            vault,
            now,
            unit,
        } = extras;
        Self {
            drop: address.to_string(),
            authority: drop.authority.to_string(),
            pending_authority: (drop.pending_authority != Pubkey::default())
                .then(|| drop.pending_authority.to_string()),
            id: drop.id.clone(),
            name: drop.name.clone(),
            symbol: drop.symbol.clone(),
            uri: drop.uri.clone(),
            item_uri: drop.item_uri.clone(),
            status: status_name(drop.status),
            collection_mint: drop.collection_mint.to_string(),
            lookup_table: (drop.lookup_table != Pubkey::default())
                .then(|| drop.lookup_table.to_string()),
            supply: SupplyView {
                cap: open_or(drop.supply),
                minted: drop.minted,
                burned: drop.burned,
                airdropped: drop.airdropped,
            },
            threshold: threshold_view(drop, now),
            currency: currency_name(&drop.currency),
            seller_fee_bps: drop.seller_fee_bps,
            standard: microdrop_sdk::items::standard_name(drop.standard),
            transferable: !drop.soulbound,
            tiers: tiers
                .iter()
                .map(|tier| TierView {
                    id: tier.id,
                    label: tier.label.clone(),
                    start: crate::commands::sandbox::format_time(tier.start),
                    end: crate::commands::sandbox::format_time(tier.end),
                    price: tier.price,
                    supply: open_or(tier.supply),
                    minted: tier.minted,
                    per_wallet: tier.per_wallet,
                    allowlist: tier.allowlist_root.is_some(),
                    holder_of: tier.holder_of.map(|m| m.to_string()),
                    holder_limit: (tier.holder_limit > 0).then_some(tier.holder_limit),
                    state: tier_state(drop, tier, now),
                })
                .collect(),
            vault,
            splits: drop
                .splits
                .iter()
                .map(|s| SplitView {
                    address: s.address.to_string(),
                    share_bps: s.share_bps,
                })
                .collect(),
            benefits: benefits
                .iter()
                .map(|b| BenefitView {
                    id: b.id,
                    label: b.label.clone(),
                    burn: b.burn,
                    supply: b.supply,
                    redeemed: b.redeemed,
                    state: benefit_state(b, now),
                })
                .collect(),
            currency_decimals: unit.decimals,
            currency_symbol: unit.label.clone(),
            time: crate::commands::sandbox::format_time(now),
            unit,
        }
    }
}

/// The vault's distributable balances and what it has paid.
async fn vault_view(client: &Client, address: &Pubkey, drop: &Drop) -> anyhow::Result<VaultView> {
    let vault = pda::vault(address).0;
    let lamports = client.balance(&vault).await?;
    let reserve = client
        .rpc()
        .get_minimum_balance_for_rent_exemption(0)
        .await?;
    let lamport_balance = lamports.saturating_sub(reserve);
    Ok(match drop.currency {
        Currency::Sol => VaultView {
            address: vault.to_string(),
            balance: lamport_balance,
            distributed: drop.distributed_lamports,
            royalties: None,
        },
        Currency::Spl { mint } => {
            let token_account = pda::associated_token(&vault, &mint).0;
            let tokens = client.token_balance(&token_account).await?;
            VaultView {
                address: vault.to_string(),
                balance: tokens,
                distributed: drop.distributed_tokens,
                royalties: Some(RoyaltyView {
                    balance: lamport_balance,
                    distributed: drop.distributed_lamports,
                }),
            }
        }
    })
}

/// Decimals of the drop's currency: 9 for SOL, the mint's for an SPL token.
pub async fn currency_decimals(client: &Client, currency: &Currency) -> anyhow::Result<u32> {
    match currency {
        Currency::Sol => Ok(crate::config::SOL_DECIMALS),
        Currency::Spl { mint } => {
            let account = client
                .account(mint)
                .await?
                .ok_or_else(|| anyhow::anyhow!("no mint {mint}"))?;
            anyhow::ensure!(
                account.owner == TOKEN_PROGRAM_ID && account.data.len() == 82,
                "{mint} is not an SPL Token mint"
            );
            Ok(u32::from(account.data[44]))
        }
    }
}

impl fmt::Display for DropView {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "drop        {}", self.drop)?;
        writeln!(f, "id          {}", self.id)?;
        writeln!(f, "name        {} ({})", self.name, self.symbol)?;
        writeln!(f, "status      {}", self.status)?;
        writeln!(f, "authority   {}", self.authority)?;
        if let Some(pending) = &self.pending_authority {
            writeln!(f, "offered to  {pending} (until it accepts)")?;
        }
        writeln!(f, "collection  {}", self.collection_mint)?;
        writeln!(
            f,
            "items       {}{}",
            self.standard,
            if self.transferable { "" } else { ", soulbound" }
        )?;
        if let Some(table) = &self.lookup_table {
            writeln!(f, "lookup table {table}")?;
        }
        writeln!(
            f,
            "supply      {} minted ({} airdropped), {} burned, cap {}",
            self.supply.minted,
            self.supply.airdropped,
            self.supply.burned,
            self.supply
                .cap
                .map_or_else(|| "open".to_string(), |cap| cap.to_string())
        )?;
        if let Some(t) = &self.threshold {
            writeln!(
                f,
                "preorder    {}: {}/{} sold by {}; {} held for refunds, {} refunded",
                t.state,
                t.sold,
                t.minimum,
                t.deadline,
                self.unit.show(t.escrowed),
                self.unit.show(t.refunded)
            )?;
        }
        writeln!(f, "currency    {}", self.currency)?;
        writeln!(
            f,
            "royalty     {} bps ({}%)",
            self.seller_fee_bps,
            crate::output::format_units(u64::from(self.seller_fee_bps), 2)
        )?;
        writeln!(f, "uri         {}", self.uri)?;
        write!(f, "item uri    {}", self.item_uri)?;
        write!(
            f,
            "\nvault       {} ({} to distribute, {} distributed)",
            self.vault.address,
            self.unit.show(self.vault.balance),
            self.unit.show(self.vault.distributed)
        )?;
        if let Some(royalties) = &self.vault.royalties {
            let sol = crate::output::Unit::sol();
            write!(
                f,
                "\nroyalties   {} to distribute, {} distributed",
                sol.show(royalties.balance),
                sol.show(royalties.distributed)
            )?;
        }
        for split in &self.splits {
            write!(
                f,
                "\nsplit       {} {}%",
                split.address,
                crate::output::format_units(u64::from(split.share_bps), 2)
            )?;
        }
        for b in &self.benefits {
            write!(
                f,
                "\nbenefit {}   {:<12} {:<9} burn {} each, {}/{} redeemed",
                b.id, b.label, b.state, b.burn, b.redeemed, b.supply
            )?;
        }
        if !self.tiers.is_empty() {
            write!(f, "\ntiers (at {})", self.time)?;
        }
        for t in &self.tiers {
            let gates = match (t.allowlist, &t.holder_of) {
                (true, Some(_)) => ", allow list, holders only",
                (true, None) => ", allow list",
                (false, Some(_)) => ", holders only",
                (false, None) => "",
            };
            write!(
                f,
                "\n  {} {:<12} {:<9} {}/{} sold  {} each  max {} per wallet{gates}  {} .. {}",
                t.id,
                t.label,
                t.state.name(),
                t.minted,
                t.supply
                    .map_or_else(|| "open".to_string(), |supply| supply.to_string()),
                self.unit.show(t.price),
                t.per_wallet,
                t.start,
                t.end
            )?;
        }
        Ok(())
    }
}

/// A DROP argument: an address, or a drop.toml (the authority's drop of that id).
pub enum DropRef {
    Address(Pubkey),
    Config {
        address: Pubkey,
        path: PathBuf,
        config: Box<config::DropConfig>,
    },
}

impl DropRef {
    /// Parses a DROP argument; a drop.toml is resolved with its `authority` key, or with
    /// `authority` (the keypair's) when it names none.
    pub fn resolve(arg: &str, authority: &Pubkey) -> Result<Self> {
        if let Ok(address) = arg.parse::<Pubkey>() {
            return Ok(Self::Address(address));
        }
        let path = PathBuf::from(arg);
        if !path.exists() {
            anyhow::bail!("{arg:?} is neither a drop address nor an existing drop.toml");
        }
        let parsed = config::parse(&path)?;
        let authority = match &parsed.drop.authority {
            Some(text) => text
                .parse()
                .map_err(|_| anyhow::anyhow!("drop.authority: {text:?} is not a wallet address"))?,
            None => *authority,
        };
        Ok(Self::Config {
            address: pda::drop(&authority, &parsed.drop.id).0,
            path,
            config: Box::new(parsed),
        })
    }

    pub fn address(&self) -> Pubkey {
        match self {
            Self::Address(address) | Self::Config { address, .. } => *address,
        }
    }

    /// The allow-list file `launch` wrote for tier `label`, when named by drop.toml.
    pub fn launched_allowlist(&self, label: &str) -> Option<PathBuf> {
        let Self::Config { path, config, .. } = self else {
            return None;
        };
        let file = crate::commands::launch::allowlist_file(
            &config::config_dir(path),
            &config.drop.id,
            label,
        );
        file.exists().then_some(file)
    }
}

/// Resolves a DROP argument to its address.
pub fn resolve_drop(arg: &str, authority: &Pubkey) -> Result<Pubkey> {
    DropRef::resolve(arg, authority).map(|d| d.address())
}

pub async fn run(global: &GlobalArgs, args: &StatusArgs) -> Result<()> {
    let session = Session::connect(global, false).await?;
    let result = async {
        let address = resolve_drop(&args.drop, &session.client.payer())?;
        let view = DropView::fetch(&session.client, &address)
            .await?
            .with_context(|| format!("no drop at {address} on {}", session.url))?;
        crate::output::emit(global, &view)?;
        Ok(())
    }
    .await;
    session.finish().await?;
    result
}
