//! A drop's events in chain order, from transaction history: what `microdrop watch`
//! streams and webhooks deliver.
//!
//! History is read with `getSignaturesForAddress` on the drop's address (every
//! instruction of the program names the drop) and `getTransaction` for each successful
//! transaction, whose `emit_cpi!` inner instructions are the events. An event's id is its
//! transaction's signature and its position among that transaction's events for the drop,
//! so it is unique and stable; a [`Cursor`] names the last event handled, and reading
//! after it yields nothing twice and skips nothing.

use std::str::FromStr;

use anchor_lang::prelude::Pubkey;
use serde_json::{json, Value};
use solana_rpc_client::{
    nonblocking::rpc_client::RpcClient, rpc_client::GetConfirmedSignaturesForAddress2Config,
};
use solana_transaction::Signature;

use crate::{events::Event, Error};

/// One event of a drop, located in history.
#[derive(Debug, Clone, PartialEq)]
pub struct DropEvent {
    pub signature: Signature,
    /// Position among the transaction's events for this drop, from 0.
    pub position: usize,
    pub slot: u64,
    /// Block time, unix seconds, when the cluster knows it.
    pub time: Option<i64>,
    pub event: Event,
}

impl DropEvent {
    /// `<signature>:<position>`.
    pub fn id(&self) -> String {
        format!("{}:{}", self.signature, self.position)
    }

    pub fn cursor(&self) -> Cursor {
        Cursor {
            signature: self.signature,
            position: self.position,
        }
    }

    /// The JSON document `watch` prints and webhooks receive.
    pub fn to_json(&self) -> Value {
        json!({
            "id": self.id(),
            "type": self.event.kind(),
            "event": self.event.name(),
            "drop": self.event.drop().to_string(),
            "signature": self.signature.to_string(),
            "slot": self.slot,
            "time": self.time,
            "data": self.event.fields(),
        })
    }
}

/// The last event handled: an event id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cursor {
    pub signature: Signature,
    pub position: usize,
}

impl FromStr for Cursor {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        let text = text.trim();
        let (signature, position) = text
            .rsplit_once(':')
            .ok_or_else(|| format!("{text:?} is not an event id (<signature>:<position>)"))?;
        Ok(Cursor {
            signature: signature
                .parse()
                .map_err(|_| format!("{signature:?} is not a transaction signature"))?,
            position: position
                .parse()
                .map_err(|_| format!("{position:?} is not an event position"))?,
        })
    }
}

impl std::fmt::Display for Cursor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.signature, self.position)
    }
}

/// Where reading starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Start {
    /// The drop's first transaction.
    Beginning,
    /// This transaction's events and everything after.
    At(Signature),
    /// Everything after this event.
    After(Cursor),
}

/// Signatures (with slot and block time) of the drop's successful transactions from
/// `start` on, oldest first.
async fn signatures_from(
    rpc: &RpcClient,
    drop: &Pubkey,
    start: Start,
) -> Result<Vec<(Signature, u64, Option<i64>)>, Error> {
    let until = match start {
        Start::Beginning => None,
        Start::At(signature) => Some(signature),
        Start::After(cursor) => Some(cursor.signature),
    };
    let mut newest_first = Vec::new();
    let mut before = None;
    loop {
        let config = GetConfirmedSignaturesForAddress2Config {
            before,
            until,
            limit: Some(PAGE),
            commitment: Some(rpc.commitment()),
        };
        let page = rpc
            .get_signatures_for_address_with_config(drop, config)
            .await
            .map_err(|e| Error::Rpc(e.to_string()))?;
        let full = page.len() == PAGE;
        for entry in page {
            let signature: Signature = entry
                .signature
                .parse()
                .map_err(|_| Error::Decode(format!("signature {}", entry.signature)))?;
            before = Some(signature);
            if entry.err.is_none() {
                newest_first.push((signature, entry.slot, entry.block_time));
            }
        }
        if !full {
            break;
        }
    }
    // `until` is exclusive: the start transaction itself is read again, for the events of
    // it not yet handled.
    if let Some(signature) = until {
        newest_first.push((signature, 0, None));
    }
    newest_first.reverse();
    Ok(newest_first)
}

const PAGE: usize = 1_000;

/// The drop's events from `start` on, oldest first.
pub async fn drop_events(
    client: &crate::Client,
    drop: &Pubkey,
    start: Start,
) -> Result<Vec<DropEvent>, Error> {
    let mut events = Vec::new();
    for (signature, slot, time) in signatures_from(client.rpc(), drop, start).await? {
        let (slot, time) = if slot == 0 && time.is_none() {
            client.transaction_slot_and_time(&signature).await?
        } else {
            (slot, time)
        };
        let of_drop = client
            .transaction_events(&signature)
            .await?
            .into_iter()
            .filter(|event| event.drop() == *drop);
        let of_drop: Vec<Event> = of_drop.collect();
        if matches!(start, Start::At(at) if at == signature) && of_drop.is_empty() {
            return Err(Error::NotFound(format!(
                "transaction {signature} has no events of drop {drop}: start from one of its \
                 transactions, or from the beginning"
            )));
        }
        for (position, event) in of_drop.into_iter().enumerate() {
            if let Start::After(cursor) = start {
                if cursor.signature == signature && position <= cursor.position {
                    continue;
                }
            }
            events.push(DropEvent {
                signature,
                position,
                slot,
                time,
                event,
            });
        }
    }
    Ok(events)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_refuse_nonsense() {
        let cursor = Cursor {
            signature: Signature::from([7; 64]),
            position: 2,
        };
        assert_eq!(cursor.to_string().parse::<Cursor>().unwrap(), cursor);
        assert!("abc"
            .parse::<Cursor>()
            .unwrap_err()
            .contains("not an event id"));
        assert!("abc:1"
            .parse::<Cursor>()
            .unwrap_err()
            .contains("not a transaction signature"));
        let bad_position = format!("{}:x", cursor.signature);
        assert!(bad_position
            .parse::<Cursor>()
            .unwrap_err()
            .contains("not an event position"));
    }
}
