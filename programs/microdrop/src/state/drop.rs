use anchor_lang::prelude::*;

use crate::constants::{MAX_BPS, MAX_ID_LEN, MAX_NAME_LEN, MAX_SYMBOL_LEN, MAX_URI_LEN};

/// What a drop is sold for.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq, InitSpace)]
pub enum Currency {
    /// Lamports.
    Sol,
    /// Smallest units of one SPL Token mint.
    Spl { mint: Pubkey },
}

/// One recipient of a drop's income and what it has been paid so far.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq, InitSpace)]
pub struct Split {
    pub address: Pubkey,
    /// Share of all income, in basis points; the split's shares add up to 10 000.
    pub share_bps: u16,
    /// Lamports paid to this recipient over the drop's life.
    pub paid_lamports: u64,
    /// Currency tokens paid to this recipient over the drop's life (SPL drops).
    pub paid_tokens: u64,
}

/// A recipient and its share, as the authority sets them.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub struct SplitConfig {
    pub address: Pubkey,
    pub share_bps: u16,
}

impl From<&SplitConfig> for Split {
    /// A new recipient, paid nothing yet.
    fn from(config: &SplitConfig) -> Self {
        Split {
            address: config.address,
            share_bps: config.share_bps,
            paid_lamports: 0,
            paid_tokens: 0,
        }
    }
}

/// Checks a split: 1-8 unique recipients (not the drop or its vault), shares above 0
/// adding up to exactly 10 000.
pub fn validate_splits(splits: &[SplitConfig], drop: &Pubkey, vault: &Pubkey) -> Result<()> {
    use crate::errors::MicrodropError as E;
    require!(
        (1..=crate::constants::MAX_SPLITS).contains(&splits.len()),
        E::SplitCountInvalid
    );
    let mut total: u32 = 0;
    for (i, split) in splits.iter().enumerate() {
        require!(split.share_bps > 0, E::SplitShareZero);
        require!(
            split.address != Pubkey::default() && split.address != *drop && split.address != *vault,
            E::SplitRecipientInvalid
        );
        require!(
            splits[..i]
                .iter()
                .all(|other| other.address != split.address),
            E::SplitDuplicateRecipient
        );
        total += u32::from(split.share_bps);
    }
    require!(total == u32::from(MAX_BPS), E::SplitSharesNotTotal);
    Ok(())
}

/// What a drop's items are. The standard is chosen at creation and never changes; each
/// has its own module in `items`.
#[derive(
    AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, Default, PartialEq, Eq, InitSpace,
)]
pub enum ItemStandard {
    /// A Metaplex Token Metadata NFT per item (an SPL Token mint, metadata and master
    /// edition) verified into a sized collection NFT. Drops created before standards
    /// existed hold zero here, which reads as this.
    #[default]
    TokenMetadata,
    /// A Token-2022 mint per item carrying its own metadata and group membership, with the
    /// collection a Token-2022 group mint.
    Token2022,
}

/// Where a drop is in its life. Transitions: draft → active, active ↔ paused, any → closed.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq, InitSpace)]
pub enum DropStatus {
    /// Being configured; nothing can be minted.
    Draft,
    /// Open for minting under its tiers' rules.
    Active,
    /// Temporarily stopped by the authority; configuration may change.
    Paused,
    /// Finished for good; records may be closed and their rent recovered.
    Closed,
}

impl DropStatus {
    /// Whether the authority may move a drop from `self` to `to`.
    pub fn can_become(self, to: DropStatus) -> bool {
        use DropStatus::*;
        matches!(
            (self, to),
            (Draft, Active)
                | (Active, Paused)
                | (Paused, Active)
                | (Draft | Active | Paused, Closed)
        )
    }
}

/// One drop: its collection, its supply and its sale settings.
///
/// PDA `["drop", authority, id]`: the same creator and id always give the same address, so
/// launching a config twice finds the drop it already made.
#[account]
#[derive(InitSpace, Debug)]
pub struct Drop {
    /// The creator; signs every configuration change.
    pub authority: Pubkey,
    /// Short slug from drop.toml, unique per authority; part of the PDA seeds.
    #[max_len(MAX_ID_LEN)]
    pub id: String,
    /// The collection NFT's mint (PDA `["collection", drop]`); items are verified into it.
    pub collection_mint: Pubkey,
    /// Collection name; items are named `<name> #<index>`.
    #[max_len(MAX_NAME_LEN)]
    pub name: String,
    /// Token Metadata symbol for the collection and its items.
    #[max_len(MAX_SYMBOL_LEN)]
    pub symbol: String,
    /// Collection metadata URI.
    #[max_len(MAX_URI_LEN)]
    pub uri: String,
    /// Item metadata URI template, with `{index}` replaced by each item's index.
    #[max_len(MAX_URI_LEN)]
    pub item_uri: String,
    /// Most items that can ever be minted; [`OPEN_SUPPLY`](crate::constants::OPEN_SUPPLY)
    /// for an open edition, whose tiers' windows bound it instead.
    pub supply: u64,
    /// Items minted so far.
    pub minted: u64,
    /// Items burned so far (for benefits).
    pub burned: u64,
    /// Where the drop is in its life.
    pub status: DropStatus,
    /// What buyers pay in.
    pub currency: Currency,
    /// Secondary-sale royalty recorded in every item's metadata.
    pub seller_fee_bps: u16,
    /// Canonical bump of this PDA.
    pub bump: u8,
    /// Canonical bump of the collection mint PDA.
    pub collection_mint_bump: u8,
    /// Canonical bump of the vault PDA (`["vault", drop]`).
    pub vault_bump: u8,
    /// Tiers added so far; the next tier's id.
    pub tier_count: u8,
    /// Sum of the tiers' supplies, at most `supply`.
    pub tier_supply_total: u64,
    /// Who receives the drop's income (primary sales and royalties), in stored order.
    #[max_len(crate::constants::MAX_SPLITS)]
    pub splits: Vec<Split>,
    /// Lamports paid out of the vault over the drop's life.
    pub distributed_lamports: u64,
    /// Currency tokens paid out of the vault over the drop's life.
    pub distributed_tokens: u64,
    /// Benefits added so far; the next benefit's id.
    pub benefit_count: u8,
    /// Canonical bump of the item-tier table PDA.
    pub item_tiers_bump: u8,
    /// The address lookup table holding the drop's static accounts, which clients send
    /// mints through as v0 transactions; the default address until one is set.
    pub lookup_table: Pubkey,
    /// The wallet that created the drop and is part of its address. Zero on drops created
    /// before authority transfers existed, whose creator is `authority`.
    pub creator: Pubkey,
    /// The wallet `authority` offered the drop to, which must accept; zero when none.
    pub pending_authority: Pubkey,
    /// Random bytes chosen at creation that every voucher must carry, so vouchers for a
    /// drop of the same authority and id on another cluster never work here. Zero on drops
    /// created before salts existed.
    pub voucher_salt: [u8; 32],
    /// What the drop's items are (zero, Token Metadata, on drops created before standards).
    pub standard: ItemStandard,
    /// Whether items are soulbound: Token-2022 items that can never be transferred. Zero
    /// (transferable) on drops created before this existed.
    pub soulbound: bool,
    /// Items that must sell by `deadline` for the sale to stand (a preorder); 0 when the
    /// sale is unconditional. Until they sell, the proceeds stay in the vault.
    pub minimum: u64,
    /// Last second (unix time, inclusive) at which sales count toward `minimum`; 0 without
    /// a minimum. Below the minimum after it, the drop has failed and refunds its buyers.
    pub deadline: i64,
    /// Items the authority airdropped: they take supply but are not sales.
    pub airdropped: u64,
    /// What the vault holds for refunds, in the currency's smallest units: the recorded
    /// prices of items sold while the threshold was pending, less what was refunded.
    pub escrowed: u64,
    /// What refunds paid back over the drop's life, in the currency's smallest units.
    pub refunded: u64,
    /// Canonical bump of the item-price table PDA (preorders only).
    pub item_prices_bump: u8,
    /// Space for fields added by later versions; zero until used.
    pub reserved: [u8; 85],
}

/// Where a preorder stands (see [`Drop::threshold`]).
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ThresholdState {
    /// No minimum: every sale stands.
    Unconditional,
    /// Below the minimum, before (or at) the deadline.
    Pending,
    /// The minimum sold: the drop works as any other.
    Met,
    /// The deadline passed below the minimum: minting stopped, buyers get refunds.
    Failed,
}

impl Drop {
    /// The id's bytes as a PDA seed: at most its first 32 bytes.
    ///
    /// Valid ids are at most 32 bytes, so this is the whole id. Capping it lets a longer id
    /// still derive an address, so that `create_drop` reaches its checks and refuses it with
    /// `DropIdInvalid` instead of aborting inside the address derivation.
    pub fn id_seed(id: &str) -> &[u8] {
        &id.as_bytes()[..id.len().min(MAX_ID_LEN)]
    }

    /// The wallet whose key is part of the drop's address.
    pub fn creator(&self) -> &Pubkey {
        if self.creator == Pubkey::default() {
            &self.authority
        } else {
            &self.creator
        }
    }

    /// Signer seeds of this drop, for CPIs where the drop PDA signs.
    pub fn signer_seeds(&self) -> [&[u8]; 4] {
        [
            crate::constants::DROP_SEED,
            self.creator().as_ref(),
            Self::id_seed(&self.id),
            std::slice::from_ref(&self.bump),
        ]
    }

    /// The split as configured (without payment counters).
    pub fn split_config(&self) -> Vec<SplitConfig> {
        self.splits
            .iter()
            .map(|s| SplitConfig {
                address: s.address,
                share_bps: s.share_bps,
            })
            .collect()
    }

    /// Whether the drop has no supply cap.
    pub fn is_open(&self) -> bool {
        self.supply == crate::constants::OPEN_SUPPLY
    }

    /// The most items this drop can ever have: its supply, or for an open edition the
    /// highest index an item can have.
    pub fn cap(&self) -> u64 {
        self.supply.min(crate::constants::MAX_SUPPLY)
    }

    /// Items sold: minted by buyers, not airdropped.
    pub fn sold(&self) -> u64 {
        self.minted.saturating_sub(self.airdropped)
    }

    /// Where the preorder stands at `now`. A minimum, once sold, stays met: sales only
    /// grow, and refunds happen only after a failure.
    pub fn threshold(&self, now: i64) -> ThresholdState {
        if self.minimum == 0 {
            ThresholdState::Unconditional
        } else if self.sold() >= self.minimum {
            ThresholdState::Met
        } else if now > self.deadline {
            ThresholdState::Failed
        } else {
            ThresholdState::Pending
        }
    }

    /// Whether the authority may add or change tiers now.
    pub fn is_editable(&self) -> bool {
        matches!(self.status, DropStatus::Draft | DropStatus::Paused)
    }

    /// Properties every mutating handler must leave true.
    pub fn invariant(&self) -> Result<()> {
        require_gte!(
            self.supply,
            self.minted,
            crate::errors::MicrodropError::ArithmeticOverflow
        );
        require_gte!(
            self.minted,
            self.burned,
            crate::errors::MicrodropError::ArithmeticOverflow
        );
        require_gte!(
            self.supply,
            self.tier_supply_total,
            crate::errors::MicrodropError::DropInvariantViolated
        );
        require!(
            self.tier_count <= crate::constants::MAX_TIERS,
            crate::errors::MicrodropError::DropInvariantViolated
        );
        require!(
            self.seller_fee_bps <= MAX_BPS,
            crate::errors::MicrodropError::DropSellerFeeTooHigh
        );
        let paid_lamports = self
            .splits
            .iter()
            .try_fold(0u64, |a, s| a.checked_add(s.paid_lamports));
        let paid_tokens = self
            .splits
            .iter()
            .try_fold(0u64, |a, s| a.checked_add(s.paid_tokens));
        require!(
            paid_lamports == Some(self.distributed_lamports)
                && paid_tokens == Some(self.distributed_tokens),
            crate::errors::MicrodropError::DropInvariantViolated
        );
        require!(
            self.benefit_count <= crate::constants::MAX_BENEFITS,
            crate::errors::MicrodropError::DropInvariantViolated
        );
        require!(
            self.airdropped <= self.minted
                && self.minted <= crate::constants::MAX_SUPPLY
                && (self.minimum == 0) == (self.deadline == 0)
                && (self.minimum > 0 || self.escrowed == 0 && self.refunded == 0),
            crate::errors::MicrodropError::DropInvariantViolated
        );
        Ok(())
    }
}
