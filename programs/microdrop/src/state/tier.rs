use anchor_lang::prelude::*;

use crate::{
    constants::{MAX_LABEL_LEN, TIER_SEED},
    errors::MicrodropError,
};

/// One way into a drop: a window, a price, a cap, a per-wallet limit, and optionally an
/// allow list and a holder gate. Tiers may overlap or be staggered.
///
/// PDA `["tier", drop, [id]]`; ids run 0, 1, ... in the order the authority adds them.
#[account]
#[derive(InitSpace, Debug)]
pub struct Tier {
    /// The drop this tier sells.
    pub drop: Pubkey,
    /// Position among the drop's tiers (0-7).
    pub id: u8,
    /// Name shown to buyers, unique within the drop by convention.
    #[max_len(MAX_LABEL_LEN)]
    pub label: String,
    /// First second the tier is open (unix time, inclusive).
    pub start: i64,
    /// First second the tier is closed again (unix time, exclusive).
    pub end: i64,
    /// Price per item in the drop's currency, smallest units.
    pub price: u64,
    /// Most items this tier can sell; [`OPEN_SUPPLY`](crate::constants::OPEN_SUPPLY) for an
    /// open edition (an open drop's tier), bounded only by its window and per-wallet limit.
    pub supply: u64,
    /// Items sold through this tier.
    pub minted: u64,
    /// Most items one wallet may mint here (an allow-list allowance replaces it).
    pub per_wallet: u32,
    /// Merkle root of the allow list, if the tier has one.
    pub allowlist_root: Option<[u8; 32]>,
    /// Collection mint whose verified items a buyer must hold, if gated.
    pub holder_of: Option<Pubkey>,
    /// Canonical bump of this PDA.
    pub bump: u8,
    /// Key whose signed voucher every mint needs, if the tier is voucher-gated.
    pub voucher_signer: Option<Pubkey>,
    /// Region codes a voucher may carry (none: any region).
    #[max_len(MAX_REGIONS)]
    pub regions: Vec<[u8; 2]>,
    /// For a holder-gated tier: most items minted per held gate item over the tier's
    /// life, whoever holds it (0: no limit; the gate then only checks holding).
    pub holder_limit: u32,
    /// Space for fields added by later versions; zero until used.
    pub reserved: [u8; 71],
}

/// Most region codes a tier may allow.
pub const MAX_REGIONS: usize = 8;

/// What the authority sets on a tier.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug, PartialEq, Eq)]
pub struct TierConfig {
    pub label: String,
    pub start: i64,
    pub end: i64,
    pub price: u64,
    pub supply: u64,
    pub per_wallet: u32,
    pub allowlist_root: Option<[u8; 32]>,
    pub holder_of: Option<Pubkey>,
    /// Key whose signed vouchers the tier requires, if any.
    pub voucher_signer: Option<Pubkey>,
    /// Two-letter uppercase region codes vouchers may carry (none: any).
    pub regions: Vec<[u8; 2]>,
    /// Most items minted per held gate item (holder-gated tiers only; 0: no limit).
    pub holder_limit: u32,
}

impl TierConfig {
    /// Checks that do not depend on the drop.
    pub fn validate(&self) -> Result<()> {
        require!(
            !self.label.is_empty() && self.label.len() <= MAX_LABEL_LEN,
            MicrodropError::TierLabelInvalid
        );
        require!(self.start < self.end, MicrodropError::TierWindowInvalid);
        require!(self.supply >= 1, MicrodropError::TierSupplyZero);
        require!(self.per_wallet >= 1, MicrodropError::TierPerWalletZero);
        require!(
            self.regions.len() <= MAX_REGIONS
                && (self.regions.is_empty() || self.voucher_signer.is_some())
                && self.regions.iter().flatten().all(u8::is_ascii_uppercase),
            MicrodropError::TierRegionsInvalid
        );
        require!(
            self.holder_limit == 0 || self.holder_of.is_some(),
            MicrodropError::TierHolderLimitInvalid
        );
        Ok(())
    }
}

impl Tier {
    /// Signer-free seeds check helper: the tier id as a seed.
    pub fn id_seed(id: &u8) -> &[u8] {
        std::slice::from_ref(id)
    }

    /// Seeds without the bump.
    pub fn seeds<'a>(drop: &'a Pubkey, id: &'a u8) -> [&'a [u8]; 3] {
        [TIER_SEED, drop.as_ref(), Self::id_seed(id)]
    }

    /// Applies a configuration (counters stay).
    pub fn apply(&mut self, config: TierConfig) {
        self.label = config.label;
        self.start = config.start;
        self.end = config.end;
        self.price = config.price;
        self.supply = config.supply;
        self.per_wallet = config.per_wallet;
        self.allowlist_root = config.allowlist_root;
        self.holder_of = config.holder_of;
        self.voucher_signer = config.voucher_signer;
        self.regions = config.regions;
        self.holder_limit = config.holder_limit;
    }

    /// The configuration part of this tier.
    pub fn config(&self) -> TierConfig {
        TierConfig {
            label: self.label.clone(),
            start: self.start,
            end: self.end,
            price: self.price,
            supply: self.supply,
            per_wallet: self.per_wallet,
            allowlist_root: self.allowlist_root,
            holder_of: self.holder_of,
            voucher_signer: self.voucher_signer,
            regions: self.regions.clone(),
            holder_limit: self.holder_limit,
        }
    }

    /// What `supply` adds to the drop's sum of tier supplies: an open tier adds nothing
    /// (only an open drop has open tiers, and its sum bounds nothing).
    pub fn counted_supply(supply: u64) -> u64 {
        if supply == crate::constants::OPEN_SUPPLY {
            0
        } else {
            supply
        }
    }

    /// Whether `now` falls in the window `[start, end)`.
    pub fn check_open(&self, now: i64) -> Result<()> {
        require!(now >= self.start, MicrodropError::TierNotStarted);
        require!(now < self.end, MicrodropError::TierEnded);
        Ok(())
    }

    /// Properties every mutating handler must leave true.
    pub fn invariant(&self) -> Result<()> {
        require_gte!(
            self.supply,
            self.minted,
            MicrodropError::TierInvariantViolated
        );
        require!(self.start < self.end, MicrodropError::TierInvariantViolated);
        Ok(())
    }
}
