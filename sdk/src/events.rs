//! Decoding of the program's events.
//!
//! The program emits with `emit_cpi!`: each event is the data of a self-invocation signed by
//! the event authority PDA, so it shows up among the transaction's inner instructions (and
//! survives log truncation, and native execution where log lines never reach the logs).
//! Only inner instructions of a *successful* transaction count: a failed transaction's
//! inner instructions describe effects that were rolled back.

use anchor_lang::{AnchorDeserialize, Discriminator};
use microdrop::events::{
    BenefitAdded, Distributed, DropCreated, DropStatusChanged, Fulfilled, ItemsMinted, Redeemed,
    SplitsUpdated, TierAdded, TierUpdated,
};

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
}

impl Event {
    /// The event's short type name, as `watch` reports it.
    pub fn kind(&self) -> &'static str {
        match self {
            Event::DropCreated(_) | Event::DropStatusChanged(_) => "status",
            Event::TierAdded(_) | Event::TierUpdated(_) => "config",
            Event::ItemsMinted(_) => "mint",
            Event::SplitsUpdated(_) | Event::BenefitAdded(_) => "config",
            Event::Distributed(_) => "distribute",
            Event::Redeemed(_) => "redeem",
            Event::Fulfilled(_) => "fulfill",
        }
    }
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
