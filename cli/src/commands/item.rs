use std::fmt;

use anyhow::{Context, Result};
use clap::{Args, Subcommand};
use microdrop_sdk::{
    accounts,
    items::{standard_name, token_2022, ItemStandard},
    pda, Pubkey, TOKEN_2022_PROGRAM_ID,
};
use serde::Serialize;

use crate::{args::GlobalArgs, cluster::Session};

/// `microdrop item <MINT>` shows an item; `microdrop item update-uri <MINT> <URI>` corrects
/// its metadata URI.
#[derive(Args, Debug)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct ItemArgs {
    /// The item's mint address.
    #[arg(required = true)]
    pub mint: Option<Pubkey>,
    #[command(subcommand)]
    pub command: Option<ItemCommand>,
}

#[derive(Subcommand, Debug)]
pub enum ItemCommand {
    /// Replace an item's metadata URI (the drop's authority, until the drop closes).
    UpdateUri {
        /// The item's mint address.
        mint: Pubkey,
        /// The new metadata URI, 1-200 bytes.
        uri: String,
    },
}

/// What `item update-uri` did.
#[derive(Serialize)]
pub struct UriUpdated {
    pub mint: String,
    pub drop: String,
    pub index: u64,
    pub uri: String,
    pub signature: String,
}

impl fmt::Display for UriUpdated {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "item #{} of {} now points at {} ({})",
            self.index, self.drop, self.uri, self.signature
        )
    }
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
    /// `"token-metadata"` or `"token-2022"`.
    pub standard: &'static str,
    /// Whether it can be transferred (soulbound Token-2022 items cannot).
    pub transferable: bool,
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
    match (&args.command, &args.mint) {
        (Some(ItemCommand::UpdateUri { mint, uri }), _) => update_uri(global, mint, uri).await,
        (None, Some(mint)) => {
            let session = Session::connect(global, false).await?;
            let result = item(&session, mint).await;
            session.finish().await?;
            crate::output::emit(global, &result?)?;
            Ok(())
        }
        (None, None) => anyhow::bail!("name an item's mint"),
    }
}

async fn update_uri(global: &GlobalArgs, mint: &Pubkey, uri: &str) -> Result<()> {
    let session = Session::connect(global, true).await?;
    let result = async {
        if session.is_real_cluster() {
            crate::commands::launch::confirm(
                global,
                &format!("Point item {mint} at {uri} on {}?", session.url),
            )?;
        }
        let (drop, index, signature) = session.client.update_item_uri(mint, uri).await?;
        anyhow::Ok(UriUpdated {
            mint: mint.to_string(),
            drop: drop.to_string(),
            index,
            uri: uri.to_string(),
            signature: signature.to_string(),
        })
    }
    .await;
    session.finish().await?;
    crate::output::emit(global, &result?)?;
    Ok(())
}

async fn item(session: &Session, mint: &Pubkey) -> Result<Item> {
    let client = &session.client;
    let mint_account = client
        .account(mint)
        .await?
        .with_context(|| format!("{mint} is no mint on {}", session.url))?;
    let origin = client.item_origin(mint).await?;
    let owner = client
        .holder_of(mint)
        .await?
        .map(|(owner, _)| owner.to_string());
    if mint_account.owner == TOKEN_2022_PROGRAM_ID {
        return token_2022_item(mint, &mint_account.data, origin, owner, &session.url);
    }
    let metadata_address = pda::metadata(mint).0;
    let account = client
        .account(&metadata_address)
        .await?
        .with_context(|| format!("{mint} has no Token Metadata on {}", session.url))?;
    let metadata = accounts::decode_metadata(&account.data)?;
    let creators = metadata.creators.clone().unwrap_or_default();
    Ok(Item {
        mint: mint.to_string(),
        drop: origin.map(|(drop, _)| drop.to_string()),
        index: origin.map(|(_, index)| index),
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
        standard: standard_name(ItemStandard::TokenMetadata),
        transferable: true,
    })
}

/// A Token-2022 item, from its mint: metadata in the mint, the collection it is a group
/// member of (membership is verified by construction: the group's authority signed), and
/// royalties in the additional fields (`royalty_basis_points`, creators as address keys
/// with their percentage).
fn token_2022_item(
    mint: &Pubkey,
    data: &[u8],
    origin: Option<(Pubkey, u64)>,
    owner: Option<String>,
    url: &str,
) -> Result<Item> {
    let metadata = token_2022::metadata(data)
        .with_context(|| format!("{mint} has no Token-2022 metadata on {url}"))?;
    let seller_fee_bps = token_2022::field(&metadata, token_2022::ROYALTY_BASIS_POINTS_KEY)
        .and_then(|bps| bps.parse().ok())
        .unwrap_or(0);
    let creators = metadata
        .additional_metadata
        .iter()
        .filter_map(|(key, value)| {
            Some(CreatorView {
                address: key.parse::<Pubkey>().ok()?.to_string(),
                verified: false,
                share: value.parse().ok()?,
            })
        })
        .collect();
    Ok(Item {
        mint: mint.to_string(),
        drop: origin.map(|(drop, _)| drop.to_string()),
        index: origin.map(|(_, index)| index),
        name: metadata.name.clone(),
        uri: metadata.uri.clone(),
        owner,
        collection: token_2022::group_of(data, mint).map(|group| CollectionView {
            mint: group.to_string(),
            verified: true,
        }),
        seller_fee_bps,
        creators,
        standard: standard_name(ItemStandard::Token2022),
        transferable: !token_2022::is_soulbound(data),
    })
}
