//! Signed mint vouchers: off-chain checks (KYC, region, a bot check) enforced on-chain
//! without a co-signer.
//!
//! The creator's service signs a [`VoucherMessage`] ahead of time; the buyer submits it.
//! The mint transaction carries the signature as an Ed25519 signature-verification
//! instruction placed immediately before the mint instruction. The runtime verifies that
//! signature; this module, reading the Instructions sysvar, makes sure the verified
//! signature is the one it thinks it is:
//! - exactly one signature in that instruction (several could mix a valid signature over
//!   one message with the key or message bytes of another);
//! - the signature, public key and message all inside that same instruction (offsets
//!   pointing into another instruction's data could substitute bytes the program never
//!   sees verified);
//! - the public key is the tier's voucher signer;
//! - the message decodes, under the fixed domain tag, to this program, drop, tier and buyer.
//!
//! The program then reads the voucher's fields from the verified message itself, so every
//! refusal names its reason.

use anchor_lang::prelude::*;

use crate::errors::MicrodropError;

/// Domain tag: no other signed message of the creator's service can pass for a voucher.
/// Version 2 adds the drop's salt at the end.
pub const VOUCHER_TAG: &[u8; 20] = b"microdrop-voucher-v2";

/// Tag of version 1 vouchers, which carry no salt; they are read as salt zero, so they
/// keep working for drops created before salts (whose salt is zero), and only for those.
pub const VOUCHER_TAG_V1: &[u8; 20] = b"microdrop-voucher-v1";

/// Length of an encoded version 1 voucher message.
pub const VOUCHER_V1_LEN: usize = 20 + 32 + 32 + 1 + 32 + 4 + 8 + 2 + 8 + 1;

/// Length of an encoded voucher message.
pub const VOUCHER_LEN: usize = VOUCHER_V1_LEN + 32;

/// The Ed25519 signature-verification program.
pub const ED25519_PROGRAM_ID: Pubkey =
    Pubkey::from_str_const("Ed25519SigVerify111111111111111111111111111");

/// "This instruction" in the Ed25519 program's offsets.
const THIS_INSTRUCTION: u16 = u16::MAX;
/// Header (count, padding) plus one signature's offsets.
const OFFSETS_END: usize = 2 + 14;

/// What a voucher allows. Encoded little-endian, in field order, after [`VOUCHER_TAG`].
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub struct VoucherMessage {
    pub program: Pubkey,
    pub drop: Pubkey,
    pub tier_id: u8,
    pub wallet: Pubkey,
    /// Most items one mint with this voucher may create.
    pub max_quantity: u32,
    /// Last unix second the voucher is valid (inclusive).
    pub expires: i64,
    /// Two-letter region code (uppercase ASCII), e.g. `*b"DE"`.
    pub region: [u8; 2],
    pub nonce: u64,
    /// Whether the nonce may be used only once.
    pub single_use: bool,
    /// The drop's voucher salt: binds the voucher to one deployment of the drop.
    pub salt: [u8; 32],
}

impl VoucherMessage {
    /// The canonical bytes that are signed.
    pub fn encode(&self) -> [u8; VOUCHER_LEN] {
        let mut out = [0u8; VOUCHER_LEN];
        let mut at = 0;
        let mut put = |bytes: &[u8]| {
            out[at..at + bytes.len()].copy_from_slice(bytes);
            at += bytes.len();
        };
        put(VOUCHER_TAG);
        put(self.program.as_ref());
        put(self.drop.as_ref());
        put(&[self.tier_id]);
        put(self.wallet.as_ref());
        put(&self.max_quantity.to_le_bytes());
        put(&self.expires.to_le_bytes());
        put(&self.region);
        put(&self.nonce.to_le_bytes());
        put(&[u8::from(self.single_use)]);
        put(&self.salt);
        out
    }

    /// Decodes canonical bytes; `None` for anything else.
    pub fn decode(bytes: &[u8]) -> Option<Self> {
        let salt = match (bytes.len(), bytes.get(..20)?) {
            (VOUCHER_LEN, tag) if tag == VOUCHER_TAG => bytes[VOUCHER_V1_LEN..].try_into().ok()?,
            (VOUCHER_V1_LEN, tag) if tag == VOUCHER_TAG_V1 => [0; 32],
            _ => return None,
        };
        let key = |at: usize| Pubkey::try_from(&bytes[at..at + 32]).ok();
        let single_use = match bytes[VOUCHER_V1_LEN - 1] {
            0 => false,
            1 => true,
            _ => return None,
        };
        Some(Self {
            program: key(20)?,
            drop: key(52)?,
            tier_id: bytes[84],
            wallet: key(85)?,
            max_quantity: u32::from_le_bytes(bytes[117..121].try_into().ok()?),
            expires: i64::from_le_bytes(bytes[121..129].try_into().ok()?),
            region: [bytes[129], bytes[130]],
            nonce: u64::from_le_bytes(bytes[131..139].try_into().ok()?),
            single_use,
            salt,
        })
    }
}

/// Finds the voucher verified by the Ed25519 instruction right before the current one and
/// checks it was signed by `signer`. Returns its (verified) message.
pub fn verified_voucher(
    instructions_sysvar: &AccountInfo<'_>,
    signer: &Pubkey,
) -> Result<VoucherMessage> {
    use solana_instructions_sysvar::{load_current_index_checked, load_instruction_at_checked};
    let current = load_current_index_checked(instructions_sysvar)
        .map_err(|_| error!(MicrodropError::VoucherSysvarInvalid))?;
    let previous = current
        .checked_sub(1)
        .ok_or(MicrodropError::VoucherMissing)?;
    let ix = load_instruction_at_checked(usize::from(previous), instructions_sysvar)
        .map_err(|_| error!(MicrodropError::VoucherMissing))?;
    require_keys_eq!(
        ix.program_id,
        ED25519_PROGRAM_ID,
        MicrodropError::VoucherMissing
    );
    let (public_key, message) = single_signature(&ix.data)?;
    require!(
        public_key == signer.as_ref(),
        MicrodropError::VoucherSignerMismatch
    );
    VoucherMessage::decode(message).ok_or_else(|| error!(MicrodropError::VoucherMalformed))
}

/// The public key and message of an Ed25519 instruction that verifies exactly one
/// signature, all of whose parts lie in that instruction's own data.
fn single_signature(data: &[u8]) -> Result<(&[u8], &[u8])> {
    require!(
        data.len() >= OFFSETS_END,
        MicrodropError::VoucherInstructionInvalid
    );
    require!(data[0] == 1, MicrodropError::VoucherInstructionInvalid);
    let read = |at: usize| u16::from_le_bytes([data[at], data[at + 1]]);
    let (signature_ix, key_at, key_ix) = (read(4), usize::from(read(6)), read(8));
    let (message_at, message_len, message_ix) =
        (usize::from(read(10)), usize::from(read(12)), read(14));
    require!(
        signature_ix == THIS_INSTRUCTION
            && key_ix == THIS_INSTRUCTION
            && message_ix == THIS_INSTRUCTION,
        MicrodropError::VoucherInstructionInvalid
    );
    let public_key = data
        .get(key_at..key_at.saturating_add(32))
        .ok_or(MicrodropError::VoucherInstructionInvalid)?;
    let message = data
        .get(message_at..message_at.saturating_add(message_len))
        .ok_or(MicrodropError::VoucherInstructionInvalid)?;
    Ok((public_key, message))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_round_trip_and_reject_other_bytes() {
        let message = VoucherMessage {
            program: Pubkey::new_unique(),
            drop: Pubkey::new_unique(),
            tier_id: 3,
            wallet: Pubkey::new_unique(),
            max_quantity: 2,
            expires: 1_900_000_000,
            region: *b"FR",
            nonce: 42,
            single_use: true,
            salt: [7; 32],
        };
        let bytes = message.encode();
        assert_eq!(VoucherMessage::decode(&bytes), Some(message));
        // Version 1 (no salt) reads as salt zero; a version 2 tag on v1 bytes is refused.
        let mut v1 = bytes[..VOUCHER_V1_LEN].to_vec();
        v1[..20].copy_from_slice(VOUCHER_TAG_V1);
        let unsalted = VoucherMessage {
            salt: [0; 32],
            ..message
        };
        assert_eq!(VoucherMessage::decode(&v1), Some(unsalted));
        assert_eq!(VoucherMessage::decode(&bytes[..VOUCHER_V1_LEN]), None);
        let mut other_tag = bytes;
        other_tag[0] ^= 1;
        assert_eq!(VoucherMessage::decode(&other_tag), None);
        assert_eq!(VoucherMessage::decode(&bytes[..VOUCHER_LEN - 1]), None);
        let mut bad_flag = bytes;
        bad_flag[VOUCHER_V1_LEN - 1] = 2;
        assert_eq!(VoucherMessage::decode(&bad_flag), None);
    }
}
