//! microdrop: on-chain rules for small, repeated NFT drops.
//!
//! `lib.rs` only dispatches; each instruction lives in `instructions/<name>.rs` with its
//! arguments, accounts and handler. Items are Metaplex Token Metadata NFTs verified into a
//! sized collection whose update authority is the drop PDA.
//!
//! Money: buyers pay the drop's vault PDA, and every item's metadata names two creators,
//! the drop PDA (verified, 0% share: provenance, since only this program signs for it) and
//! the vault (100%: where marketplaces pay royalties). Primary proceeds, royalties and any
//! direct transfer thus land in one account, and one split (`distribute`) governs all
//! income. Token Metadata allows five creators; routing through the vault lifts that limit
//! for the split (up to 8 recipients) and keeps it changeable until the first sale without
//! rewriting every item's metadata.

use anchor_lang::prelude::*;

pub mod constants;
pub mod cpi;
pub mod errors;
pub mod events;
pub mod instructions;
pub mod items;
pub mod merkle;
pub mod payments;
pub mod state;
pub mod voucher;

pub use constants::*;
pub use instructions::*;
pub use state::{BenefitConfig, SplitConfig, TierConfig};

declare_id!("J2LRZVi5auzr93Y43qCPJJ9XjUtR6UNiebTRTG6hmd1Y");

#[program]
pub mod microdrop {
    use super::*;

    /// Creates a drop in `Draft` and its sized collection NFT.
    ///
    /// Authority: `authority` signs and pays; the drop PDA is `["drop", authority, id]`.
    /// The collection NFT (mint PDA `["collection", drop]`) goes to the authority's token
    /// account; its update authority is the drop PDA. Passing `currency_mint` prices the
    /// drop in that SPL token, leaving it out prices it in SOL.
    ///
    /// Errors: `DropIdInvalid`, `DropNameInvalid`, `DropNameTooLongForItems`,
    /// `DropSymbolTooLong`, `DropUriInvalid`, `DropItemUriInvalid`, `DropSupplyZero`,
    /// `DropSupplyTooLarge`, `DropSellerFeeTooHigh`, `DropVoucherSaltInvalid`,
    /// `DropThresholdInvalid` (a preorder's minimum without a deadline or the reverse, or a
    /// minimum above the supply), `ItemPricesInvalid` (the item-price table given exactly
    /// when there is a minimum); the system
    /// program's `AccountAlreadyInUse` when the drop already exists. Every account is
    /// created prefund-safe (`cpi::create_pda_account`).
    pub fn create_drop(ctx: Context<CreateDrop>, args: CreateDropArgs) -> Result<()> {
        instructions::create_drop::handler(ctx, args)
    }

    /// Moves a drop through its life: draft → active, active ↔ paused, any → closed.
    ///
    /// Authority: the drop's `authority` signs. Closed is final.
    ///
    /// Errors: `DropAuthorityMismatch` for another signer, `DropClosed` for any change to a
    /// closed drop, `DropStatusTransitionInvalid` for any other transition.
    pub fn set_drop_status(ctx: Context<SetDropStatus>, args: SetDropStatusArgs) -> Result<()> {
        instructions::set_drop_status::handler(ctx, args)
    }

    /// Adds the drop's next tier (id = the drop's tier count).
    ///
    /// Authority: the drop's `authority` signs and pays the tier's rent. Only while the drop
    /// is in draft or paused.
    ///
    /// Errors: `DropAuthorityMismatch`, `DropNotEditable`, `DropTierLimitReached` (8 tiers),
    /// `TierLabelInvalid`, `TierWindowInvalid`, `TierSupplyZero`, `TierPerWalletZero`,
    /// `TierSupplyExceedsDrop` (tier supplies together above the drop's),
    /// `TierHolderLimitInvalid` (a holder limit without a holder gate),
    /// `TierSupplyOpenInCappedDrop` (an open tier, supply `OPEN_SUPPLY`, in a capped drop).
    pub fn add_tier(ctx: Context<AddTier>, config: TierConfig) -> Result<()> {
        instructions::add_tier::handler(ctx, config)
    }

    /// Replaces a tier's configuration; its sales count stays.
    ///
    /// Authority: the drop's `authority`. Only while the drop is in draft or paused.
    ///
    /// Errors: those of `add_tier`, and `TierSupplyBelowMinted` when the new supply is
    /// below what the tier already sold.
    pub fn update_tier(ctx: Context<UpdateTier>, config: TierConfig) -> Result<()> {
        instructions::update_tier::handler(ctx, config)
    }

    /// Mints `quantity` items from one tier to the signing buyer, who pays the price.
    ///
    /// Remaining accounts: per item, its mint PDA (`["item", drop, index]`), the buyer's
    /// token account for it, its metadata and its master edition, in index order.
    ///
    /// A pending preorder records what each item cost in its item-price table (the optional
    /// `item_prices` account) and holds the payment in the vault for refunds.
    ///
    /// Errors: `DropNotActive`, `ThresholdFailed` (a preorder past its deadline below its
    /// minimum), `ItemPricesInvalid`, `MintQuantityZero`, `MintQuantityTooLarge` (above 2),
    /// `TierNotStarted`, `TierEnded`,
    /// `TierSoldOut`, `DropSoldOut`, `WalletLimitReached`, `AllowListProofInvalid`,
    /// `AllowListProofTooLong`, `HolderProofMissing`, `HolderNotOwner`,
    /// `HolderItemInvalid`, `HolderWrongCollection`, `HolderCollectionUnverified`,
    /// `HolderRecordInvalid`, `HolderLimitReached`,
    /// `PaymentAccountInvalid`, `ItemAccountsMismatch`, `ArithmeticOverflow`; for a voucher
    /// tier `VoucherMissing`, `VoucherSysvarInvalid`, `VoucherInstructionInvalid`,
    /// `VoucherSignerMismatch`, `VoucherMalformed`, `VoucherWrongTier`,
    /// `VoucherWrongWallet`, `VoucherWrongSalt`, `VoucherExpired`, `VoucherRegionNotAllowed`,
    /// `VoucherQuantityExceeded`, `VoucherAlreadyUsed`, `VoucherNonceAccountInvalid`.
    pub fn mint<'info>(ctx: Context<'info, MintItems<'info>>, args: MintArgs) -> Result<()> {
        instructions::mint::handler(ctx, args)
    }

    /// Replaces who receives the drop's income. Frozen once the first item sells (or
    /// anything was distributed).
    ///
    /// Authority: the drop's `authority`.
    ///
    /// Errors: `DropAuthorityMismatch`, `SplitsFrozen`, `SplitCountInvalid`,
    /// `SplitShareZero`, `SplitDuplicateRecipient`, `SplitSharesNotTotal`,
    /// `SplitRecipientInvalid`.
    ///
    /// (`distribute` pays nothing before the first sale, so it cannot freeze the split.)
    pub fn set_splits(ctx: Context<SetSplits>, splits: Vec<SplitConfig>) -> Result<()> {
        instructions::set_splits::handler(ctx, splits)
    }

    /// Pays every split recipient its share of the vault's distributable balance: lamports
    /// above the vault's rent-exempt minimum, or (`tokens`) the vault's currency tokens.
    ///
    /// Permissionless. Remaining accounts: the recipients in the split's stored order (their
    /// wallets, or their token accounts in the drop's currency). Rounding dust stays in the
    /// vault for the next distribution. Nothing is paid before the first sale. A recipient
    /// that cannot be paid now (read-only or executable; a frozen token account, or its
    /// associated token address with no account open) is skipped and keeps its claim.
    ///
    /// A preorder pays nothing while its threshold is pending; once it failed, only what
    /// the vault holds beyond the outstanding refunds (`escrowed`) in the drop's currency.
    ///
    /// Errors: `SplitRecipientMismatch` (order, substitution, wrong mint or owner),
    /// `DistributeAccountsInvalid`, `ThresholdNotMet`, `ArithmeticOverflow`.
    pub fn distribute<'info>(
        ctx: Context<'info, Distribute<'info>>,
        args: DistributeArgs,
    ) -> Result<()> {
        instructions::distribute::handler(ctx, args)
    }

    /// Pays every split recipient its share of the vault's tokens of a mint other than the
    /// drop's currency (royalties paid in another token, say), with that mint's own ledger
    /// (`["ledger", drop, mint]`, created on its first distribution).
    ///
    /// Permissionless; the payer funds the ledger's rent. Remaining accounts: the
    /// recipients' token accounts of the mint, in the split's stored order. Nothing is paid
    /// before the first sale; a recipient that cannot be paid keeps its claim.
    ///
    /// Errors: `DistributeAccountsInvalid` (the drop's currency, or not the vault's token
    /// account), `SplitRecipientMismatch`, `ArithmeticOverflow`.
    pub fn distribute_token<'info>(ctx: Context<'info, DistributeToken<'info>>) -> Result<()> {
        instructions::distribute_token::handler(ctx)
    }

    /// Adds the drop's next benefit (id = the drop's benefit count).
    ///
    /// Authority: the drop's `authority`, until the drop closes.
    ///
    /// Errors: `DropAuthorityMismatch`, `DropClosed`, `DropBenefitLimitReached`,
    /// `BenefitLabelInvalid`, `BenefitBurnInvalid`, `BenefitSupplyZero`,
    /// `BenefitWindowInvalid`, `BenefitTierUnknown`.
    pub fn add_benefit(ctx: Context<AddBenefit>, config: BenefitConfig) -> Result<()> {
        instructions::add_benefit::handler(ctx, config)
    }

    /// Burns the benefit's number of the holder's items and writes a redemption receipt.
    ///
    /// Remaining accounts: per item, its mint, the holder's token account, its metadata and
    /// its master edition, in the order of `indexes`.
    ///
    /// Errors: `DropPaused`, `BenefitNotOpen`, `BenefitExhausted`, `RedeemWrongItemCount`,
    /// `RedeemWrongCollection`, `RedeemUnverifiedCollection`, `RedeemNotOwner`,
    /// `RedeemItemInvalid`, `BenefitTierNotEligible`, `ItemAccountsMismatch`.
    pub fn redeem<'info>(ctx: Context<'info, Redeem<'info>>, args: RedeemArgs) -> Result<()> {
        instructions::redeem::handler(ctx, args)
    }

    /// Marks a redemption fulfilled with a 32-byte reference.
    ///
    /// Authority: the drop's `authority`.
    ///
    /// Errors: `DropAuthorityMismatch`, `RedemptionWrongDrop`, `RedemptionAlreadyFulfilled`.
    pub fn fulfill(ctx: Context<Fulfill>, reference: [u8; 32]) -> Result<()> {
        instructions::fulfill::handler(ctx, reference)
    }

    /// Closes a spent single-use voucher's nonce record and returns its rent to the buyer
    /// who spent it, once the drop is closed.
    ///
    /// Errors: `DropNotClosed`; Anchor's constraint errors for another wallet's record.
    pub fn close_voucher_nonce(ctx: Context<CloseVoucherNonce>) -> Result<()> {
        instructions::close_voucher_nonce::handler(ctx)
    }

    /// Records the address lookup table holding the drop's static accounts, through which
    /// clients send mints as v0 transactions (an allow-listed mint with a deep proof fits
    /// one transaction only that way).
    ///
    /// Authority: the drop's `authority`. Any status but closed.
    ///
    /// Errors: `DropAuthorityMismatch`, `DropClosed`, `LookupTableInvalid` for an account
    /// the Address Lookup Table program does not own.
    pub fn set_lookup_table(ctx: Context<SetLookupTable>) -> Result<()> {
        instructions::set_lookup_table::handler(ctx)
    }

    /// Offers the drop to `new_authority`; the default address withdraws a pending offer.
    /// Nothing changes until the new authority accepts (`accept_authority`).
    ///
    /// Authority: the drop's `authority`. Any status but closed.
    ///
    /// Errors: `DropAuthorityMismatch`, `DropClosed`.
    pub fn transfer_authority(
        ctx: Context<TransferAuthority>,
        new_authority: Pubkey,
    ) -> Result<()> {
        instructions::transfer_authority::handler(ctx, new_authority)
    }

    /// The pending authority takes the drop over; it signs every configuration change from
    /// then on. The drop's address does not change.
    ///
    /// Authority: the drop's `pending_authority` signs (a multisig vault may sign through
    /// its own program).
    ///
    /// Errors: `DropPendingAuthorityMismatch` (no offer, or another signer), `DropClosed`.
    pub fn accept_authority(ctx: Context<AcceptAuthority>) -> Result<()> {
        instructions::accept_authority::handler(ctx)
    }

    /// Replaces one item's metadata URI through Token Metadata (the drop PDA is every
    /// item's update authority); emits `ItemUriUpdated`.
    ///
    /// Authority: the drop's `authority`, until the drop closes.
    ///
    /// Errors: `DropAuthorityMismatch`, `DropClosed`, `ItemUriInvalid` (not 1-200 bytes),
    /// `ItemAccountsMismatch` (not a minted, unburned item of this drop at that index).
    pub fn update_item_uri(ctx: Context<UpdateItemUri>, args: UpdateItemUriArgs) -> Result<()> {
        instructions::update_item_uri::handler(ctx, args)
    }

    /// Closes the signer's per-tier record and returns its rent, once the drop is closed.
    ///
    /// Errors: `DropNotClosed`; Anchor's constraint errors for another wallet's record.
    pub fn close_wallet_record(ctx: Context<CloseWalletRecord>) -> Result<()> {
        instructions::close_wallet_record::handler(ctx)
    }

    /// Burns the signer's items of a failed preorder and pays back, from the vault, what
    /// each was sold for (its recorded price, to whoever holds it now); the items' rent
    /// comes back as their burn gives it. Works whatever the drop's status, so neither a
    /// pause nor a close can hold refunds back.
    ///
    /// Remaining accounts: per item, its accounts in the drop's standard, in the order of
    /// `indexes`.
    ///
    /// Errors: `ThresholdPending` (before the deadline), `ThresholdMet` (the minimum sold,
    /// or no preorder), `RefundItemCountInvalid` (not 1-4 distinct items),
    /// `RefundAlreadyClaimed`, `RedeemNotOwner` (the signer does not hold the item),
    /// `RedeemItemInvalid`, `RedeemWrongCollection`, `RedeemUnverifiedCollection`,
    /// `ItemAccountsMismatch`, `ItemPricesInvalid`, `StandardAccountsMismatch`,
    /// `RefundAccountInvalid`.
    pub fn refund<'info>(ctx: Context<'info, Refund<'info>>, args: RefundArgs) -> Result<()> {
        instructions::refund::handler(ctx, args)
    }

    /// Mints `quantity` items free to `recipient`, one of an airdrop list's, counting them
    /// toward the drop's supply and the given tier's (never toward per-wallet limits). The
    /// recipient's record (`["airdrop", drop, list, recipient]`) keeps the list idempotent.
    ///
    /// Authority: the drop's `authority` signs and pays every account's rent. Not on a
    /// closed drop or a failed preorder.
    ///
    /// Remaining accounts: per item, its accounts in the drop's standard for the recipient,
    /// in index order.
    ///
    /// Errors: `DropAuthorityMismatch`, `DropClosed`, `ThresholdFailed`,
    /// `AirdropQuantityInvalid`, `AirdropAlreadySent` (more than the recipient's total, or
    /// another total than its record's), `DropSoldOut`, `TierSoldOut`,
    /// `StandardAccountsMismatch`, `ItemAccountsMismatch`, `ItemPricesInvalid`.
    pub fn airdrop<'info>(ctx: Context<'info, Airdrop<'info>>, args: AirdropArgs) -> Result<()> {
        instructions::airdrop::handler(ctx, args)
    }
}
