use std::{fmt, path::PathBuf};

use anyhow::Result;
use clap::Args;
use microdrop_sdk::{allowlist::AllowList, Client};
use serde::Serialize;

use crate::{args::GlobalArgs, cluster::Session, commands::status::DropRef};

#[derive(Args, Debug)]
pub struct MintArgs {
    /// The drop: its address, or its drop.toml.
    pub drop: String,
    /// The tier's label or id.
    #[arg(long)]
    pub tier: String,
    /// How many items (split into several transactions when needed).
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u64).range(1..))]
    pub quantity: u64,
    /// The tier's allow-list file (default, for a drop.toml: the file `launch` wrote).
    #[arg(long)]
    pub allowlist: Option<PathBuf>,
    /// A voucher for a voucher-gated tier: the string `voucher issue` printed, or a file
    /// holding it.
    #[arg(long)]
    pub voucher: Option<String>,
}

#[derive(Serialize)]
pub struct Minted {
    pub drop: String,
    pub tier: u8,
    pub buyer: String,
    /// The new items' mint addresses.
    pub mints: Vec<String>,
    pub signatures: Vec<String>,
    /// Total paid, in the currency's smallest units.
    pub paid: u64,
    /// `v0` through the drop's lookup table, or `legacy` when the drop has none.
    pub transaction_version: &'static str,
    /// The lookup table the transactions went through.
    pub lookup_table: Option<String>,
    /// How the text shows the amount paid.
    #[serde(skip)]
    pub unit: crate::output::Unit,
}

impl fmt::Display for Minted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "minted {} item(s) from tier {} of {} for {} (paid {})",
            self.mints.len(),
            self.tier,
            self.drop,
            self.buyer,
            self.unit.show(self.paid)
        )?;
        for mint in &self.mints {
            write!(f, "\n  {mint}")?;
        }
        Ok(())
    }
}

pub async fn run(global: &GlobalArgs, args: &MintArgs) -> Result<()> {
    let session = Session::connect(global, true).await?;
    let result = mint(global, &session, args).await;
    session.finish().await?;
    crate::output::emit(global, &result?)?;
    Ok(())
}

async fn mint(global: &GlobalArgs, session: &Session, args: &MintArgs) -> Result<Minted> {
    let client = &session.client;
    let drop_ref = DropRef::resolve(&args.drop, &client.payer())?;
    let address = drop_ref.address();
    let drop = client.drop(&address).await?;
    let tiers = client.tiers(&address, &drop).await?;
    let tier = Client::find_tier(&tiers, &args.tier)?;
    let list_path = args.allowlist.clone().or_else(|| {
        tier.allowlist_root
            .and_then(|_| drop_ref.launched_allowlist(&tier.label))
    });
    let list = list_path.as_deref().map(AllowList::load).transpose()?;
    let voucher = args
        .voucher
        .as_deref()
        .map(crate::commands::voucher::read_voucher)
        .transpose()?;
    crate::output::progress(
        global,
        format!("minting {} from tier {}", args.quantity, tier.label),
    );
    let outcome = client
        .mint_items(
            &address,
            tier.id,
            args.quantity,
            list.as_ref(),
            voucher.as_ref(),
        )
        .await?;
    Ok(Minted {
        drop: address.to_string(),
        tier: tier.id,
        buyer: client.payer().to_string(),
        mints: outcome.mints.iter().map(ToString::to_string).collect(),
        signatures: outcome.signatures.iter().map(ToString::to_string).collect(),
        paid: outcome.paid,
        transaction_version: if outcome.lookup_table.is_some() {
            "v0"
        } else {
            "legacy"
        },
        lookup_table: outcome.lookup_table.map(|t| t.to_string()),
        unit: crate::output::currency_unit(client, &drop.currency).await?,
    })
}
