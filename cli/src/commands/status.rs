use std::{fmt, path::PathBuf};

use anyhow::{Context, Result};
use clap::Args;
use microdrop_sdk::{
    microdrop::state::{Currency, Drop, DropStatus},
    pda, Pubkey,
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
    pub id: String,
    pub name: String,
    pub symbol: String,
    pub uri: String,
    pub item_uri: String,
    pub status: &'static str,
    pub collection_mint: String,
    pub supply: SupplyView,
    pub currency: String,
    pub seller_fee_bps: u16,
}

#[derive(Serialize, Debug)]
pub struct SupplyView {
    pub cap: u64,
    pub minted: u64,
    pub burned: u64,
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
    pub fn new(address: &Pubkey, drop: &Drop) -> Self {
        Self {
            drop: address.to_string(),
            authority: drop.authority.to_string(),
            id: drop.id.clone(),
            name: drop.name.clone(),
            symbol: drop.symbol.clone(),
            uri: drop.uri.clone(),
            item_uri: drop.item_uri.clone(),
            status: status_name(drop.status),
            collection_mint: drop.collection_mint.to_string(),
            supply: SupplyView {
                cap: drop.supply,
                minted: drop.minted,
                burned: drop.burned,
            },
            currency: currency_name(&drop.currency),
            seller_fee_bps: drop.seller_fee_bps,
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
        writeln!(f, "collection  {}", self.collection_mint)?;
        writeln!(
            f,
            "supply      {} minted, {} burned, cap {}",
            self.supply.minted, self.supply.burned, self.supply.cap
        )?;
        writeln!(f, "currency    {}", self.currency)?;
        writeln!(
            f,
            "royalty     {} bps ({}%)",
            self.seller_fee_bps,
            crate::output::format_units(u64::from(self.seller_fee_bps), 2)
        )?;
        writeln!(f, "uri         {}", self.uri)?;
        write!(f, "item uri    {}", self.item_uri)
    }
}

/// Resolves a DROP argument: an address, or a drop.toml whose id is derived with `authority`.
pub fn resolve_drop(arg: &str, authority: &Pubkey) -> Result<Pubkey> {
    if let Ok(address) = arg.parse::<Pubkey>() {
        return Ok(address);
    }
    let path = PathBuf::from(arg);
    if !path.exists() {
        anyhow::bail!("{arg:?} is neither a drop address nor an existing drop.toml");
    }
    let parsed = config::parse(&path)?;
    Ok(pda::drop(authority, &parsed.drop.id).0)
}

pub async fn run(global: &GlobalArgs, args: &StatusArgs) -> Result<()> {
    let session = Session::connect(global, false).await?;
    let result = async {
        let address = resolve_drop(&args.drop, &session.client.payer())?;
        let drop = session
            .client
            .find_drop(&address)
            .await?
            .with_context(|| format!("no drop at {address} on {}", session.url))?;
        crate::output::emit(global, &DropView::new(&address, &drop))?;
        Ok(())
    }
    .await;
    session.finish().await?;
    result
}
