use std::fmt;

use anyhow::{Context, Result};
use clap::Args;
use microdrop_sdk::{accounts, pda, Pubkey};
use serde::Serialize;

use crate::{args::GlobalArgs, cluster::Session};

#[derive(Args, Debug)]
pub struct ItemArgs {
    /// The item's mint address.
    pub mint: Pubkey,
}

#[derive(Serialize)]
pub struct CollectionView {
    pub mint: String,
    pub verified: bool,
}

#[derive(Serialize)]
pub struct CreatorView {
    pub address: String,
    pub verified: bool,
    pub share: u8,
}

/// An item as wallets see it.
#[derive(Serialize)]
pub struct Item {
    pub mint: String,
    /// The microdrop drop it belongs to (its verified creator), if any.
    pub drop: Option<String>,
    /// Its number within the drop (from 1).
    pub index: Option<u64>,
    pub name: String,
    pub uri: String,
    /// Current holder, if anyone holds it.
    pub owner: Option<String>,
    pub collection: Option<CollectionView>,
    pub seller_fee_bps: u16,
    pub creators: Vec<CreatorView>,
}

impl fmt::Display for Item {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "item        {}", self.mint)?;
        writeln!(f, "name        {}", self.name)?;
        writeln!(f, "uri         {}", self.uri)?;
        writeln!(
            f,
            "owner       {}",
            self.owner.as_deref().unwrap_or("(nobody)")
        )?;
        if let (Some(drop), Some(index)) = (&self.drop, self.index) {
            writeln!(f, "drop        {drop} (item #{index})")?;
        }
        if let Some(collection) = &self.collection {
            writeln!(
                f,
                "collection  {} ({})",
                collection.mint,
                if collection.verified {
                    "verified"
                } else {
                    "NOT verified"
                }
            )?;
        }
        write!(f, "royalty     {} bps", self.seller_fee_bps)?;
        for creator in &self.creators {
            write!(
                f,
                "\ncreator     {} {}% {}",
                creator.address,
                creator.share,
                if creator.verified { "verified" } else { "" }
            )?;
        }
        Ok(())
    }
}

pub async fn run(global: &GlobalArgs, args: &ItemArgs) -> Result<()> {
    let session = Session::connect(global, false).await?;
    let result = item(&session, &args.mint).await;
    session.finish().await?;
    crate::output::emit(global, &result?)?;
    Ok(())
}

async fn item(session: &Session, mint: &Pubkey) -> Result<Item> {
    let client = &session.client;
    let metadata_address = pda::metadata(mint).0;
    let account = client
        .account(&metadata_address)
        .await?
        .with_context(|| format!("{mint} has no Token Metadata on {}", session.url))?;
    let metadata = accounts::decode_metadata(&account.data)?;
    let creators = metadata.creators.clone().unwrap_or_default();
    // A microdrop item's first creator is its drop PDA, verified; its number is in its name
    // and its mint is the drop's item PDA for that number.
    let mut drop = None;
    let mut index = None;
    if let Some(first) = creators.first().filter(|c| c.verified) {
        if client
            .find_drop(&first.address)
            .await
            .ok()
            .flatten()
            .is_some()
        {
            let number = metadata
                .name
                .rsplit_once(" #")
                .and_then(|(_, n)| n.parse::<u64>().ok());
            if let Some(n) = number.filter(|n| pda::item_mint(&first.address, *n).0 == *mint) {
                drop = Some(first.address.to_string());
                index = Some(n);
            }
        }
    }
    let owner = client
        .holder_of(mint)
        .await?
        .map(|(owner, _)| owner.to_string());
    Ok(Item {
        mint: mint.to_string(),
        drop,
        index,
        name: metadata.name.clone(),
        uri: metadata.uri.clone(),
        owner,
        collection: metadata.collection.as_ref().map(|c| CollectionView {
            mint: c.key.to_string(),
            verified: c.verified,
        }),
        seller_fee_bps: metadata.seller_fee_basis_points,
        creators: creators
            .iter()
            .map(|c| CreatorView {
                address: c.address.to_string(),
                verified: c.verified,
                share: c.share,
            })
            .collect(),
    })
}
