use anchor_lang::prelude::*;

use crate::{
    constants::{MAX_BURN_PER_REDEMPTION, MAX_LABEL_LEN},
    errors::MicrodropError,
};

/// A perk holders redeem by burning items: a backstage pass, a print, a seat.
///
/// PDA `["benefit", drop, [id]]`; ids run 0, 1, ... in the order the authority adds them.
#[account]
#[derive(InitSpace, Debug)]
pub struct Benefit {
    pub drop: Pubkey,
    pub id: u8,
    #[max_len(MAX_LABEL_LEN)]
    pub label: String,
    /// Items burned per redemption.
    pub burn: u8,
    /// Redemptions available.
    pub supply: u64,
    /// Redemptions made.
    pub redeemed: u64,
    /// First second redemptions are accepted, if limited (inclusive).
    pub start: Option<i64>,
    /// First second they are not, if limited (exclusive).
    pub end: Option<i64>,
    /// Tiers whose items qualify, one bit per tier id; 0 means every tier.
    pub tier_mask: u8,
    pub bump: u8,
    /// Space for fields added by later versions; zero until used.
    pub reserved: [u8; 64],
}

/// What the authority sets on a benefit.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug, PartialEq, Eq)]
pub struct BenefitConfig {
    pub label: String,
    pub burn: u8,
    pub supply: u64,
    pub start: Option<i64>,
    pub end: Option<i64>,
    /// One bit per qualifying tier id; 0 for every tier.
    pub tier_mask: u8,
}

impl BenefitConfig {
    /// Checks against a drop with `tier_count` tiers.
    pub fn validate(&self, tier_count: u8) -> Result<()> {
        require!(
            !self.label.is_empty() && self.label.len() <= MAX_LABEL_LEN,
            MicrodropError::BenefitLabelInvalid
        );
        require!(
            (1..=MAX_BURN_PER_REDEMPTION).contains(&self.burn),
            MicrodropError::BenefitBurnInvalid
        );
        require!(self.supply >= 1, MicrodropError::BenefitSupplyZero);
        if let (Some(start), Some(end)) = (self.start, self.end) {
            require!(start < end, MicrodropError::BenefitWindowInvalid);
        }
        let known: u16 = (1u16 << tier_count) - 1;
        require!(
            u16::from(self.tier_mask) & !known == 0,
            MicrodropError::BenefitTierUnknown
        );
        Ok(())
    }
}

impl Benefit {
    /// Whether `now` falls in the window.
    pub fn check_open(&self, now: i64) -> Result<()> {
        require!(
            self.start.is_none_or(|start| now >= start) && self.end.is_none_or(|end| now < end),
            MicrodropError::BenefitNotOpen
        );
        Ok(())
    }

    /// Whether items of tier `tier_id` qualify.
    pub fn accepts_tier(&self, tier_id: u8) -> bool {
        self.tier_mask == 0 || (tier_id < 8 && self.tier_mask & (1 << tier_id) != 0)
    }

    pub fn config(&self) -> BenefitConfig {
        BenefitConfig {
            label: self.label.clone(),
            burn: self.burn,
            supply: self.supply,
            start: self.start,
            end: self.end,
            tier_mask: self.tier_mask,
        }
    }

    pub fn invariant(&self) -> Result<()> {
        require_gte!(
            self.supply,
            self.redeemed,
            MicrodropError::DropInvariantViolated
        );
        Ok(())
    }
}

/// Where a redemption stands.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq, InitSpace)]
pub enum RedemptionStatus {
    /// Items burned; the creator has yet to deliver.
    Pending,
    /// The creator delivered, with a reference.
    Fulfilled,
}

/// The receipt of one redemption: who burned what for which benefit, when, and whether
/// the creator delivered. PDA `["redemption", benefit, index]`, paid by the holder.
#[account]
#[derive(InitSpace, Debug)]
pub struct Redemption {
    pub drop: Pubkey,
    pub benefit: Pubkey,
    pub benefit_id: u8,
    pub holder: Pubkey,
    /// Position among the benefit's redemptions (from 0).
    pub index: u64,
    /// The burned items' mints.
    #[max_len(MAX_BURN_PER_REDEMPTION)]
    pub burned: Vec<Pubkey>,
    pub redeemed_at: i64,
    pub status: RedemptionStatus,
    /// The creator's 32-byte reference, e.g. a hash of a shipping record (zero until set).
    pub reference: [u8; 32],
    pub fulfilled_at: i64,
    pub bump: u8,
}
