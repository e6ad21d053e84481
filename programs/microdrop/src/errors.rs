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
}
