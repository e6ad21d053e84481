//! Every way an instruction can refuse, as one error enum.
//!
//! Codes are `6000 + position`: append new variants at the end and never reorder, or
//! clients that decode codes by number will name the wrong error.

use anchor_lang::prelude::*;

/// `FromPrimitive` lets clients turn `code - 6000` back into the variant.
#[error_code]
#[derive(num_derive::FromPrimitive)]
pub enum MicrodropError {
    /// 6000
    #[msg("Drop id must be 1-32 bytes of lowercase letters, digits, '-' or '_'")]
    DropIdInvalid,
    /// 6001
    #[msg("Drop name must be 1-32 bytes")]
    DropNameInvalid,
    /// 6002
    #[msg("Drop name leaves no room for ' #<index>' within Token Metadata's 32 bytes")]
    DropNameTooLongForItems,
    /// 6003
    #[msg("Drop symbol must be at most 10 bytes")]
    DropSymbolTooLong,
    /// 6004
    #[msg("Collection URI must be 1-200 bytes")]
    DropUriInvalid,
    /// 6005
    #[msg("Item URI template must contain {{index}} and render to at most 200 bytes")]
    DropItemUriInvalid,
    /// 6006
    #[msg("Drop supply must be at least 1")]
    DropSupplyZero,
    /// 6007
    #[msg("Seller fee must be at most 10000 basis points")]
    DropSellerFeeTooHigh,
    /// 6008
    #[msg("Drop status cannot change that way")]
    DropStatusTransitionInvalid,
    /// 6009
    #[msg("Drop is closed")]
    DropClosed,
    /// 6010
    #[msg("Signer is not the drop's authority")]
    DropAuthorityMismatch,
    /// 6011
    #[msg("Arithmetic overflow")]
    ArithmeticOverflow,
    /// 6012
    #[msg("Drop counters are inconsistent (minted above supply or burned above minted)")]
    DropInvariantViolated,
    /// 6013
    #[msg("Drop is not active")]
    DropNotActive,
    /// 6014
    #[msg("Drop can only be configured while in draft or paused")]
    DropNotEditable,
    /// 6015
    #[msg("Drop already has the most tiers allowed (8)")]
    DropTierLimitReached,
    /// 6016
    #[msg("Drop is sold out")]
    DropSoldOut,
    /// 6017
    #[msg("Drop is not closed yet")]
    DropNotClosed,
    /// 6018
    #[msg("Tier label must be 1-32 bytes")]
    TierLabelInvalid,
    /// 6019
    #[msg("Tier window must end after it starts")]
    TierWindowInvalid,
    /// 6020
    #[msg("Tier supply must be at least 1")]
    TierSupplyZero,
    /// 6021
    #[msg("Tier per-wallet limit must be at least 1")]
    TierPerWalletZero,
    /// 6022
    #[msg("Tier supplies together exceed the drop's supply")]
    TierSupplyExceedsDrop,
    /// 6023
    #[msg("Tier supply cannot go below what it already sold")]
    TierSupplyBelowMinted,
    /// 6024
    #[msg("Tier is not open yet")]
    TierNotStarted,
    /// 6025
    #[msg("Tier has ended")]
    TierEnded,
    /// 6026
    #[msg("Tier is sold out")]
    TierSoldOut,
    /// 6027
    #[msg("Tier counters are inconsistent")]
    TierInvariantViolated,
    /// 6028
    #[msg("Mint quantity must be at least 1")]
    MintQuantityZero,
    /// 6029
    #[msg("Wallet limit reached for this tier")]
    WalletLimitReached,
    /// 6030
    #[msg("Wallet is not on this tier's allow list (missing or bad proof)")]
    AllowListProofInvalid,
    /// 6031
    #[msg("Allow-list proof is longer than 32 hashes")]
    AllowListProofTooLong,
    /// 6032
    #[msg("Tier requires holding an item of a collection: holder accounts missing")]
    HolderProofMissing,
    /// 6033
    #[msg("Holder token account is not the buyer's, or holds nothing")]
    HolderNotOwner,
    /// 6034
    #[msg("Holder metadata does not belong to the held token")]
    HolderItemInvalid,
    /// 6035
    #[msg("Held item is not in the collection this tier requires")]
    HolderWrongCollection,
    /// 6036
    #[msg("Held item's collection is not verified")]
    HolderCollectionUnverified,
    /// 6037
    #[msg("Payment accounts do not match the drop's currency, vault or buyer")]
    PaymentAccountInvalid,
    /// 6038
    #[msg("Item accounts are missing, out of order or not the expected addresses")]
    ItemAccountsMismatch,
    /// 6039
    #[msg("At most 3 items per mint instruction (a transaction's instruction limit)")]
    MintQuantityTooLarge,
    /// 6040
    #[msg("A drop needs 1 to 8 split recipients")]
    SplitCountInvalid,
    /// 6041
    #[msg("Every split recipient needs a share above 0")]
    SplitShareZero,
    /// 6042
    #[msg("A recipient appears twice in the split")]
    SplitDuplicateRecipient,
    /// 6043
    #[msg("Split shares must add up to exactly 10000 basis points")]
    SplitSharesNotTotal,
    /// 6044
    #[msg("A split recipient cannot be the default address, the drop or its vault")]
    SplitRecipientInvalid,
    /// 6045
    #[msg("Splits are frozen once the first item sells or money is distributed")]
    SplitsFrozen,
    /// 6046
    #[msg("Recipients must be passed in the split's stored order, each the right account")]
    SplitRecipientMismatch,
    /// 6047
    #[msg("Distributing tokens needs the drop's SPL currency, the vault's token account and the Token program")]
    DistributeAccountsInvalid,
    /// 6048
    #[msg("Drop already has the most benefits allowed (8)")]
    DropBenefitLimitReached,
    /// 6049
    #[msg("Benefit label must be 1-32 bytes")]
    BenefitLabelInvalid,
    /// 6050
    #[msg("A benefit burns 1 to 4 items per redemption")]
    BenefitBurnInvalid,
    /// 6051
    #[msg("Benefit supply must be at least 1")]
    BenefitSupplyZero,
    /// 6052
    #[msg("Benefit window must end after it starts")]
    BenefitWindowInvalid,
    /// 6053
    #[msg("Benefit names a tier the drop does not have")]
    BenefitTierUnknown,
    /// 6054
    #[msg("Benefit is not open (before its start or after its end)")]
    BenefitNotOpen,
    /// 6055
    #[msg("Benefit has no redemptions left")]
    BenefitExhausted,
    /// 6056
    #[msg("Item was not sold through a tier this benefit accepts")]
    BenefitTierNotEligible,
    /// 6057
    #[msg("Redemption needs exactly the number of items the benefit burns")]
    RedeemWrongItemCount,
    /// 6058
    #[msg("Item is not in this drop's collection")]
    RedeemWrongCollection,
    /// 6059
    #[msg("Item's collection is not verified")]
    RedeemUnverifiedCollection,
    /// 6060
    #[msg("Item is not held by the signer")]
    RedeemNotOwner,
    /// 6061
    #[msg("Item is not a live item of this drop (burned, or its accounts are wrong)")]
    RedeemItemInvalid,
    /// 6062
    #[msg("Redemption is already fulfilled")]
    RedemptionAlreadyFulfilled,
    /// 6063
    #[msg("Redemption belongs to another drop")]
    RedemptionWrongDrop,
    /// 6064
    #[msg("Item-tier table is not this drop's")]
    ItemTiersInvalid,
    /// 6065
    #[msg("Tier regions must be up to 8 two-letter uppercase codes, and need a voucher signer")]
    TierRegionsInvalid,
    /// 6066
    #[msg("This tier needs a voucher: an Ed25519 instruction right before the mint")]
    VoucherMissing,
    /// 6067
    #[msg("The Instructions sysvar account is not the real one")]
    VoucherSysvarInvalid,
    /// 6068
    #[msg("The voucher instruction must verify exactly one signature, all within itself")]
    VoucherInstructionInvalid,
    /// 6069
    #[msg("The voucher is not signed by the tier's voucher signer")]
    VoucherSignerMismatch,
    /// 6070
    #[msg("The signed message is not a microdrop voucher")]
    VoucherMalformed,
    /// 6071
    #[msg("The voucher is for another program, drop or tier")]
    VoucherWrongTier,
    /// 6072
    #[msg("The voucher is for another wallet")]
    VoucherWrongWallet,
    /// 6073
    #[msg("The voucher has expired")]
    VoucherExpired,
    /// 6074
    #[msg("The voucher's region is not allowed by this tier")]
    VoucherRegionNotAllowed,
    /// 6075
    #[msg("The mint asks for more items than the voucher allows")]
    VoucherQuantityExceeded,
    /// 6076
    #[msg("This single-use voucher was already used")]
    VoucherAlreadyUsed,
    /// 6077
    #[msg("A single-use voucher needs its nonce record account (PDA of tier and nonce)")]
    VoucherNonceAccountInvalid,
    /// 6078
    #[msg("A lookup table must be an account of the Address Lookup Table program")]
    LookupTableInvalid,
    /// 6079
    #[msg("A holder limit needs a holder gate (holder_of)")]
    TierHolderLimitInvalid,
    /// 6080
    #[msg("This gate item has been used for as many mints as the tier's holder limit allows")]
    HolderLimitReached,
    /// 6081
    #[msg("A holder-limited tier needs the gate item's record account (PDA of tier and item)")]
    HolderRecordInvalid,
    /// 6082
    #[msg("The voucher was signed for another deployment of this drop (its salt differs)")]
    VoucherWrongSalt,
    /// 6083
    #[msg("Drop supply is above what the item-tier table can record (20,971,440)")]
    DropSupplyTooLarge,
    /// 6084
    #[msg("Drop is paused")]
    DropPaused,
    /// 6085
    #[msg("Signer is not the drop's pending authority")]
    DropPendingAuthorityMismatch,
    /// 6086
    #[msg("Item URI must be 1-200 bytes")]
    ItemUriInvalid,
    /// 6087
    #[msg("A drop's voucher salt must not be all zeros")]
    DropVoucherSaltInvalid,
    /// 6088
    #[msg("Only Token-2022 items can be soulbound (transferable = false)")]
    DropSoulboundNeedsToken2022,
    /// 6089
    #[msg("The accounts of the drop's item standard were not all given, or others were")]
    StandardAccountsMismatch,
    /// 6090
    #[msg("A capped drop's tiers each need a supply; only an open drop may have open tiers")]
    TierSupplyOpenInCappedDrop,
    /// 6091
    #[msg("A preorder needs both a minimum (1 to the supply, at most 1,000,000) and a deadline")]
    DropThresholdInvalid,
    /// 6092
    #[msg("The drop's preorder minimum has not sold: its proceeds stay in the vault")]
    ThresholdNotMet,
    /// 6093
    #[msg("The drop's preorder failed: its deadline passed below the minimum, so nothing more is minted")]
    ThresholdFailed,
    /// 6094
    #[msg("Refunds are only for a preorder that failed; this drop met its minimum or has none")]
    ThresholdMet,
    /// 6095
    #[msg("The preorder's deadline has not passed yet: refunds open if it fails")]
    ThresholdPending,
    /// 6096
    #[msg("This item's payment was already refunded")]
    RefundAlreadyClaimed,
    /// 6097
    #[msg("The drop's item-price table is not this drop's")]
    ItemPricesInvalid,
    /// 6098
    #[msg("A refund takes 1 to 4 distinct items")]
    RefundItemCountInvalid,
    /// 6099
    #[msg(
        "The refund's token accounts must be the holder's and the vault's in the drop's currency"
    )]
    RefundAccountInvalid,
    /// 6100
    #[msg("This recipient already has every item of this airdrop list")]
    AirdropAlreadySent,
    /// 6101
    #[msg("An airdrop needs a recipient total of at least 1, and 1 item or more per instruction")]
    AirdropQuantityInvalid,
    /// 6102
    #[msg("The airdrop record is not this drop's, list's and recipient's")]
    AirdropRecordInvalid,
}
