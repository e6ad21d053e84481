//! "What can this wallet mint now": per tier, whether, how many, at what price, and if not,
//! why. The rules mirror the mint instruction's checks, in the same order, so the reason
//! given is the error a mint would fail with.

use microdrop::state::{Drop, DropStatus, ThresholdState, Tier};
use serde::Serialize;

/// Why a wallet cannot mint from a tier now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// The drop is in draft, paused or closed.
    DropNotActive,
    /// The drop's preorder failed: its deadline passed below its minimum.
    PreorderFailed,
    /// The tier opens later (see `start`).
    Upcoming,
    /// The tier's window is over.
    Ended,
    /// The whole drop is sold out.
    DropSoldOut,
    /// The tier is sold out.
    SoldOut,
    /// The tier has an allow list and the wallet is not on it.
    NotListed,
    /// The tier has an allow list, and none was given to look the wallet up in.
    AllowListNeeded,
    /// The tier requires holding an item of a collection the wallet does not hold.
    NotHolder,
    /// The wallet already minted its limit (or allowance) here.
    LimitReached,
}

impl Reason {
    /// A sentence for people.
    pub fn describe(&self) -> &'static str {
        match self {
            Reason::DropNotActive => "the drop is not active",
            Reason::PreorderFailed => {
                "the preorder fell short of its minimum by its deadline; holders are refunded"
            }
            Reason::Upcoming => "the tier has not opened yet",
            Reason::Ended => "the tier has ended",
            Reason::DropSoldOut => "the drop is sold out",
            Reason::SoldOut => "the tier is sold out",
            Reason::NotListed => "the wallet is not on the tier's allow list",
            Reason::AllowListNeeded => "the tier has an allow list; pass its file to check",
            Reason::NotHolder => "the tier requires holding an item of another collection",
            Reason::LimitReached => "the wallet reached its limit for the tier",
        }
    }
}

/// What is known about a wallet and one tier's allow list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Allowance {
    /// The tier has no allow list.
    NotRequired,
    /// On the list with this allowance.
    Listed(u32),
    /// The list was checked and the wallet is not on it.
    NotListed,
    /// The tier has a list, but it was not available.
    Unknown,
}

/// What the wallet brings to one tier.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WalletFacts {
    /// Items the wallet already minted through the tier.
    pub minted: u32,
    pub allowance: Allowance,
    /// For a holder-gated tier: whether the wallet holds a verified item of the collection.
    pub holds: bool,
}

/// One tier's answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TierEligibility {
    pub id: u8,
    pub label: String,
    pub eligible: bool,
    /// How many the wallet may mint now (0 when not eligible).
    pub quantity: u64,
    /// Price per item in the drop's currency, smallest units.
    pub price: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<Reason>,
    pub start: i64,
    pub end: i64,
}

/// Evaluates one tier for one wallet at `now` (unix time).
pub fn evaluate(drop: &Drop, tier: &Tier, facts: &WalletFacts, now: i64) -> TierEligibility {
    let refuse = |reason| TierEligibility {
        id: tier.id,
        label: tier.label.clone(),
        eligible: false,
        quantity: 0,
        price: tier.price,
        reason: Some(reason),
        start: tier.start,
        end: tier.end,
    };
    if drop.status != DropStatus::Active {
        return refuse(Reason::DropNotActive);
    }
    if drop.threshold(now) == ThresholdState::Failed {
        return refuse(Reason::PreorderFailed);
    }
    if now < tier.start {
        return refuse(Reason::Upcoming);
    }
    if now >= tier.end {
        return refuse(Reason::Ended);
    }
    let drop_left = drop.cap().saturating_sub(drop.minted);
    if drop_left == 0 {
        return refuse(Reason::DropSoldOut);
    }
    let tier_left = tier.supply.saturating_sub(tier.minted);
    if tier_left == 0 {
        return refuse(Reason::SoldOut);
    }
    let limit = match (tier.allowlist_root.is_some(), facts.allowance) {
        (false, _) => tier.per_wallet,
        (true, Allowance::Listed(allowance)) => allowance,
        (true, Allowance::NotListed) => return refuse(Reason::NotListed),
        (true, _) => return refuse(Reason::AllowListNeeded),
    };
    if tier.holder_of.is_some() && !facts.holds {
        return refuse(Reason::NotHolder);
    }
    let wallet_left = u64::from(limit.saturating_sub(facts.minted));
    if wallet_left == 0 {
        return refuse(Reason::LimitReached);
    }
    TierEligibility {
        id: tier.id,
        label: tier.label.clone(),
        eligible: true,
        quantity: drop_left.min(tier_left).min(wallet_left),
        price: tier.price,
        reason: None,
        start: tier.start,
        end: tier.end,
    }
}

/// Where a tier stands for everyone (not one wallet), as `status` shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TierState {
    Upcoming,
    Open,
    Ended,
    SoldOut,
}

impl TierState {
    /// The name `status` prints.
    pub fn name(&self) -> &'static str {
        match self {
            TierState::Upcoming => "upcoming",
            TierState::Open => "open",
            TierState::Ended => "ended",
            TierState::SoldOut => "sold_out",
        }
    }
}

/// The tier's state at `now`.
pub fn tier_state(drop: &Drop, tier: &Tier, now: i64) -> TierState {
    if tier.minted >= tier.supply || drop.minted >= drop.cap() {
        TierState::SoldOut
    } else if now < tier.start {
        TierState::Upcoming
    } else if now >= tier.end {
        TierState::Ended
    } else {
        TierState::Open
    }
}
