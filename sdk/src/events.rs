//! Decoding of the program's events.
//!
//! The program emits with `emit_cpi!`: each event is the data of a self-invocation signed by
//! the event authority PDA, so it shows up among the transaction's inner instructions (and
//! survives log truncation, and native execution where log lines never reach the logs).
//! Only inner instructions of a *successful* transaction count: a failed transaction's
//! inner instructions describe effects that were rolled back.

use anchor_lang::{prelude::Pubkey, AnchorDeserialize, Discriminator};
use microdrop::{
    events::{
        AuthorityTransferOffered, AuthorityTransferred, BenefitAdded, Distributed, DropCreated,
        DropStatusChanged, Fulfilled, ItemUriUpdated, ItemsAirdropped, ItemsMinted, LookupTableSet,
        Redeemed, Refunded, SplitsUpdated, TierAdded, TierUpdated, TokenDistributed,
    },
    state::{Currency, DropStatus, SplitConfig, TierConfig},
};
use serde_json::{json, Value};

use crate::Error;

/// Every event the program emits.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    DropCreated(DropCreated),
    DropStatusChanged(DropStatusChanged),
    TierAdded(TierAdded),
    TierUpdated(TierUpdated),
    ItemsMinted(ItemsMinted),
    SplitsUpdated(SplitsUpdated),
    Distributed(Distributed),
    BenefitAdded(BenefitAdded),
    Redeemed(Redeemed),
    Fulfilled(Fulfilled),
    LookupTableSet(LookupTableSet),
    AuthorityTransferOffered(AuthorityTransferOffered),
    AuthorityTransferred(AuthorityTransferred),
    ItemUriUpdated(ItemUriUpdated),
    TokenDistributed(TokenDistributed),
    ItemsAirdropped(ItemsAirdropped),
    Refunded(Refunded),
}

impl Event {
    /// The event's short type name, as `watch` reports it.
    pub fn kind(&self) -> &'static str {
        match self {
            Event::DropCreated(_) | Event::DropStatusChanged(_) => "status",
            Event::TierAdded(_) | Event::TierUpdated(_) => "config",
            Event::ItemsMinted(_) => "mint",
            Event::SplitsUpdated(_) | Event::BenefitAdded(_) => "config",
            Event::Distributed(_) | Event::TokenDistributed(_) => "distribute",
            Event::Redeemed(_) => "redeem",
            Event::Fulfilled(_) => "fulfill",
            Event::LookupTableSet(_) => "config",
            Event::AuthorityTransferOffered(_) | Event::AuthorityTransferred(_) => "config",
            Event::ItemUriUpdated(_) => "config",
            Event::ItemsAirdropped(_) => "airdrop",
            Event::Refunded(_) => "refund",
        }
    }
}

impl Event {
    /// The event's name in the program (`ItemsMinted`, ...).
    pub fn name(&self) -> &'static str {
        match self {
            Event::DropCreated(_) => "DropCreated",
            Event::DropStatusChanged(_) => "DropStatusChanged",
            Event::TierAdded(_) => "TierAdded",
            Event::TierUpdated(_) => "TierUpdated",
            Event::ItemsMinted(_) => "ItemsMinted",
            Event::SplitsUpdated(_) => "SplitsUpdated",
            Event::Distributed(_) => "Distributed",
            Event::BenefitAdded(_) => "BenefitAdded",
            Event::Redeemed(_) => "Redeemed",
            Event::Fulfilled(_) => "Fulfilled",
            Event::LookupTableSet(_) => "LookupTableSet",
            Event::AuthorityTransferOffered(_) => "AuthorityTransferOffered",
            Event::AuthorityTransferred(_) => "AuthorityTransferred",
            Event::ItemUriUpdated(_) => "ItemUriUpdated",
            Event::TokenDistributed(_) => "TokenDistributed",
            Event::ItemsAirdropped(_) => "ItemsAirdropped",
            Event::Refunded(_) => "Refunded",
        }
    }

    /// The drop the event belongs to.
    pub fn drop(&self) -> Pubkey {
        match self {
            Event::DropCreated(e) => e.drop,
            Event::DropStatusChanged(e) => e.drop,
            Event::TierAdded(e) => e.drop,
            Event::TierUpdated(e) => e.drop,
            Event::ItemsMinted(e) => e.drop,
            Event::SplitsUpdated(e) => e.drop,
            Event::Distributed(e) => e.drop,
            Event::BenefitAdded(e) => e.drop,
            Event::Redeemed(e) => e.drop,
            Event::Fulfilled(e) => e.drop,
            Event::LookupTableSet(e) => e.drop,
            Event::AuthorityTransferOffered(e) => e.drop,
            Event::AuthorityTransferred(e) => e.drop,
            Event::ItemUriUpdated(e) => e.drop,
            Event::TokenDistributed(e) => e.drop,
            Event::ItemsAirdropped(e) => e.drop,
            Event::Refunded(e) => e.drop,
        }
    }

    /// The event's fields as JSON: addresses in base58, hashes in hex, amounts as
    /// integers in the smallest unit, times as unix seconds.
    pub fn fields(&self) -> Value {
        match self {
            Event::DropCreated(e) => json!({
                "drop": e.drop.to_string(),
                "authority": e.authority.to_string(),
                "id": e.id,
                "collection_mint": e.collection_mint.to_string(),
                "supply": supply(e.supply),
                "currency": currency(&e.currency),
                "seller_fee_bps": e.seller_fee_bps,
                "minimum": e.minimum,
                "deadline": e.deadline,
                "timestamp": e.timestamp,
            }),
            Event::DropStatusChanged(e) => json!({
                "drop": e.drop.to_string(),
                "old_status": status(e.old_status),
                "new_status": status(e.new_status),
                "timestamp": e.timestamp,
            }),
            Event::TierAdded(e) => json!({
                "drop": e.drop.to_string(),
                "tier": e.tier.to_string(),
                "id": e.id,
                "config": tier(&e.config),
                "timestamp": e.timestamp,
            }),
            Event::TierUpdated(e) => json!({
                "drop": e.drop.to_string(),
                "tier": e.tier.to_string(),
                "id": e.id,
                "old": tier(&e.old),
                "new": tier(&e.new),
                "timestamp": e.timestamp,
            }),
            Event::ItemsMinted(e) => json!({
                "drop": e.drop.to_string(),
                "tier": e.tier.to_string(),
                "tier_id": e.tier_id,
                "buyer": e.buyer.to_string(),
                "mints": addresses(&e.mints),
                "first_index": e.first_index,
                "paid": e.paid,
                "timestamp": e.timestamp,
            }),
            Event::SplitsUpdated(e) => json!({
                "drop": e.drop.to_string(),
                "old": splits(&e.old),
                "new": splits(&e.new),
                "timestamp": e.timestamp,
            }),
            Event::Distributed(e) => json!({
                "drop": e.drop.to_string(),
                "tokens": e.tokens,
                "payouts": payouts(&e.payouts),
                "undistributed": e.undistributed,
                "timestamp": e.timestamp,
            }),
            Event::BenefitAdded(e) => json!({
                "drop": e.drop.to_string(),
                "benefit": e.benefit.to_string(),
                "id": e.id,
                "config": {
                    "label": e.config.label,
                    "burn": e.config.burn,
                    "supply": e.config.supply,
                    "start": e.config.start,
                    "end": e.config.end,
                    "tier_mask": e.config.tier_mask,
                },
                "timestamp": e.timestamp,
            }),
            Event::Redeemed(e) => json!({
                "drop": e.drop.to_string(),
                "benefit": e.benefit.to_string(),
                "benefit_id": e.benefit_id,
                "redemption": e.redemption.to_string(),
                "holder": e.holder.to_string(),
                "burned": addresses(&e.burned),
                "timestamp": e.timestamp,
            }),
            Event::LookupTableSet(e) => json!({
                "drop": e.drop.to_string(),
                "old": e.old.to_string(),
                "new": e.new.to_string(),
                "timestamp": e.timestamp,
            }),
            Event::Fulfilled(e) => json!({
                "drop": e.drop.to_string(),
                "redemption": e.redemption.to_string(),
                "reference": crate::allowlist::hex(&e.reference),
                "timestamp": e.timestamp,
            }),
            Event::AuthorityTransferOffered(e) => json!({
                "drop": e.drop.to_string(),
                "authority": e.authority.to_string(),
                "old_pending": e.old_pending.to_string(),
                "new_pending": e.new_pending.to_string(),
                "timestamp": e.timestamp,
            }),
            Event::AuthorityTransferred(e) => json!({
                "drop": e.drop.to_string(),
                "old_authority": e.old_authority.to_string(),
                "new_authority": e.new_authority.to_string(),
                "timestamp": e.timestamp,
            }),
            Event::TokenDistributed(e) => json!({
                "drop": e.drop.to_string(),
                "mint": e.mint.to_string(),
                "payouts": payouts(&e.payouts),
                "undistributed": e.undistributed,
                "timestamp": e.timestamp,
            }),
            Event::ItemUriUpdated(e) => json!({
                "drop": e.drop.to_string(),
                "mint": e.mint.to_string(),
                "index": e.index,
                "uri": e.uri,
                "timestamp": e.timestamp,
            }),
            Event::ItemsAirdropped(e) => json!({
                "drop": e.drop.to_string(),
                "tier_id": e.tier_id,
                "recipient": e.recipient.to_string(),
                "list": crate::allowlist::hex(&e.list),
                "mints": addresses(&e.mints),
                "first_index": e.first_index,
                "sent": e.sent,
                "total": e.total,
                "timestamp": e.timestamp,
            }),
            Event::Refunded(e) => json!({
                "drop": e.drop.to_string(),
                "holder": e.holder.to_string(),
                "burned": addresses(&e.burned),
                "amount": e.amount,
                "escrowed": e.escrowed,
                "timestamp": e.timestamp,
            }),
        }
    }
}

fn payouts(payouts: &[microdrop::events::Payout]) -> Vec<Value> {
    payouts
        .iter()
        .map(|p| json!({ "recipient": p.recipient.to_string(), "amount": p.amount }))
        .collect()
}

fn addresses(keys: &[Pubkey]) -> Vec<String> {
    keys.iter().map(ToString::to_string).collect()
}

/// A supply as JSON: `null` for an open edition.
pub fn supply(supply: u64) -> Value {
    if supply == microdrop::constants::OPEN_SUPPLY {
        Value::Null
    } else {
        json!(supply)
    }
}

fn currency(currency: &Currency) -> Value {
    match currency {
        Currency::Sol => json!("SOL"),
        Currency::Spl { mint } => json!(mint.to_string()),
    }
}

fn status(status: DropStatus) -> &'static str {
    match status {
        DropStatus::Draft => "draft",
        DropStatus::Active => "active",
        DropStatus::Paused => "paused",
        DropStatus::Closed => "closed",
    }
}

fn splits(splits: &[SplitConfig]) -> Vec<Value> {
    splits
        .iter()
        .map(|s| json!({ "address": s.address.to_string(), "share_bps": s.share_bps }))
        .collect()
}

fn tier(config: &TierConfig) -> Value {
    json!({
        "label": config.label,
        "start": config.start,
        "end": config.end,
        "price": config.price,
        "supply": supply(config.supply),
        "per_wallet": config.per_wallet,
        "allowlist_root": config.allowlist_root.as_ref().map(crate::allowlist::hex),
        "holder_of": config.holder_of.map(|k| k.to_string()),
        "voucher_signer": config.voucher_signer.map(|k| k.to_string()),
        "holder_limit": config.holder_limit,
        "regions": config
            .regions
            .iter()
            .map(|r| String::from_utf8_lossy(r).into_owned())
            .collect::<Vec<_>>(),
    })
}

/// Decodes the data of an inner instruction to the microdrop program. `Ok(None)` when it is
/// not an event (any other instruction of the program).
pub fn decode_event(data: &[u8]) -> Result<Option<Event>, Error> {
    let Some(body) = data.strip_prefix(anchor_lang::event::EVENT_IX_TAG_LE) else {
        return Ok(None);
    };
    let (discriminator, mut fields) = body.split_at(body.len().min(8));
    let event = if discriminator == DropCreated::DISCRIMINATOR {
        Event::DropCreated(decode(&mut fields)?)
    } else if discriminator == DropStatusChanged::DISCRIMINATOR {
        Event::DropStatusChanged(decode(&mut fields)?)
    } else if discriminator == TierAdded::DISCRIMINATOR {
        Event::TierAdded(decode(&mut fields)?)
    } else if discriminator == TierUpdated::DISCRIMINATOR {
        Event::TierUpdated(decode(&mut fields)?)
    } else if discriminator == ItemsMinted::DISCRIMINATOR {
        Event::ItemsMinted(decode(&mut fields)?)
    } else if discriminator == SplitsUpdated::DISCRIMINATOR {
        Event::SplitsUpdated(decode(&mut fields)?)
    } else if discriminator == Distributed::DISCRIMINATOR {
        Event::Distributed(decode(&mut fields)?)
    } else if discriminator == BenefitAdded::DISCRIMINATOR {
        Event::BenefitAdded(decode(&mut fields)?)
    } else if discriminator == Redeemed::DISCRIMINATOR {
        Event::Redeemed(decode(&mut fields)?)
    } else if discriminator == Fulfilled::DISCRIMINATOR {
        Event::Fulfilled(decode(&mut fields)?)
    } else if discriminator == LookupTableSet::DISCRIMINATOR {
        Event::LookupTableSet(decode(&mut fields)?)
    } else if discriminator == AuthorityTransferOffered::DISCRIMINATOR {
        Event::AuthorityTransferOffered(decode(&mut fields)?)
    } else if discriminator == AuthorityTransferred::DISCRIMINATOR {
        Event::AuthorityTransferred(decode(&mut fields)?)
    } else if discriminator == TokenDistributed::DISCRIMINATOR {
        Event::TokenDistributed(decode(&mut fields)?)
    } else if discriminator == ItemUriUpdated::DISCRIMINATOR {
        Event::ItemUriUpdated(decode(&mut fields)?)
    } else if discriminator == ItemsAirdropped::DISCRIMINATOR {
        Event::ItemsAirdropped(decode(&mut fields)?)
    } else if discriminator == Refunded::DISCRIMINATOR {
        Event::Refunded(decode(&mut fields)?)
    } else {
        return Err(Error::Decode(format!(
            "unknown event discriminator {discriminator:?}"
        )));
    };
    Ok(Some(event))
}

fn decode<T: AnchorDeserialize>(fields: &mut &[u8]) -> Result<T, Error> {
    T::deserialize(fields).map_err(|e| Error::Decode(format!("event: {e}")))
}

#[cfg(test)]
mod tests {
    use anchor_lang::{prelude::Pubkey, Event as _};
    use microdrop::state::DropStatus;

    use super::*;

    #[test]
    fn round_trips_an_event() {
        let event = DropStatusChanged {
            drop: Pubkey::new_unique(),
            old_status: DropStatus::Draft,
            new_status: DropStatus::Active,
            timestamp: 1_700_000_000,
        };
        let mut data = anchor_lang::event::EVENT_IX_TAG_LE.to_vec();
        data.extend(event.data());
        assert_eq!(
            decode_event(&data).unwrap(),
            Some(Event::DropStatusChanged(event))
        );
        assert_eq!(decode_event(&[1, 2, 3]).unwrap(), None);
        let mut unknown = anchor_lang::event::EVENT_IX_TAG_LE.to_vec();
        unknown.extend([9u8; 8]);
        assert!(decode_event(&unknown).is_err());
    }
}
