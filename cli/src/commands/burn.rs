use std::fmt;

use anyhow::{bail, Context, Result};
use clap::Args;
use microdrop_sdk::{Client, Pubkey};
use serde::Serialize;

use crate::{args::GlobalArgs, cluster::Session, commands::status::resolve_drop};

#[derive(Args, Debug)]
pub struct BurnArgs {
    /// The drop: its address, or its drop.toml.
    pub drop: String,
    /// The benefit's label or id.
    #[arg(long)]
    pub benefit: String,
    /// The items to burn (default: the first of your items the benefit accepts).
    #[arg(long, num_args = 1..)]
    pub items: Vec<Pubkey>,
}

#[derive(Serialize)]
pub struct Burned {
    pub drop: String,
    pub benefit: u8,
    /// The redemption receipt's address.
    pub redemption: String,
    /// The burned items' mints.
    pub burned: Vec<String>,
    pub signature: String,
    /// Lamports that came back to the holder from the burned items' accounts.
    pub returned: u64,
}

impl fmt::Display for Burned {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "burned {} item(s) for benefit {}; receipt {}",
            self.burned.len(),
            self.benefit,
            self.redemption
        )?;
        for mint in &self.burned {
            write!(f, "\n  {mint}")?;
        }
        write!(
            f,
            "\n{} SOL of the items' rent came back to you",
            crate::output::format_units(self.returned, 9)
        )
    }
}

pub async fn run(global: &GlobalArgs, args: &BurnArgs) -> Result<()> {
    let session = Session::connect(global, true).await?;
    let result = burn(&session, args).await;
    session.finish().await?;
    crate::output::emit(global, &result?)?;
    Ok(())
}

async fn burn(session: &Session, args: &BurnArgs) -> Result<Burned> {
    let client = &session.client;
    let address = resolve_drop(&args.drop, &client.payer())?;
    let drop = client.drop(&address).await?;
    let benefits = client.benefits(&address, &drop).await?;
    let benefit = Client::find_benefit(&benefits, &args.benefit)?;
    let indexes = if args.items.is_empty() {
        None
    } else {
        let mut indexes = Vec::with_capacity(args.items.len());
        for mint in &args.items {
            let (drop, index) = client
                .item_origin(mint)
                .await?
                .with_context(|| format!("{mint} is not an unburned microdrop item"))?;
            if drop != address {
                bail!("{mint} is an item of drop {drop}, not of drop {address}");
            }
            indexes.push(index);
        }
        Some(indexes)
    };
    let outcome = client.redeem(&address, benefit.id, indexes).await?;
    Ok(Burned {
        drop: address.to_string(),
        benefit: benefit.id,
        redemption: outcome.redemption.to_string(),
        burned: outcome.burned.iter().map(ToString::to_string).collect(),
        signature: outcome.signature.to_string(),
        returned: outcome.returned,
    })
}
