//! Mint vouchers: what the creator's service signs and the buyer submits.
//!
//! The canonical message is the program's ([`microdrop::voucher::VoucherMessage`]). A
//! [`SignedVoucher`] travels as one base64 string: the signer's key (32 bytes), the
//! signature (64) and the message. It goes on-chain as an Ed25519 signature-verification
//! instruction placed right before the mint instruction.

use anchor_lang::prelude::Pubkey;
use base64::{prelude::BASE64_STANDARD, Engine};
pub use microdrop::voucher::{VoucherMessage, ED25519_PROGRAM_ID, VOUCHER_LEN};
use solana_keypair::Keypair;
use solana_message::Instruction;
use solana_signer::Signer;
use solana_transaction::Signature;

use crate::Error;

/// A voucher and its signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedVoucher {
    pub message: VoucherMessage,
    pub signer: Pubkey,
    pub signature: Signature,
}

impl SignedVoucher {
    /// Signs `message` with the creator's voucher key.
    pub fn sign(message: VoucherMessage, signer: &Keypair) -> Self {
        Self {
            signature: signer.sign_message(&message.encode()),
            signer: signer.pubkey(),
            message,
        }
    }

    /// Whether the signature is the signer's over the message.
    pub fn verify(&self) -> bool {
        self.signature
            .verify(self.signer.as_ref(), &self.message.encode())
    }

    /// The one-string form buyers receive.
    pub fn encode(&self) -> String {
        let mut bytes = Vec::with_capacity(32 + 64 + VOUCHER_LEN);
        bytes.extend_from_slice(self.signer.as_ref());
        bytes.extend_from_slice(self.signature.as_ref());
        bytes.extend_from_slice(&self.message.encode());
        BASE64_STANDARD.encode(bytes)
    }

    /// Parses the one-string form, checking the signature.
    pub fn decode(text: &str) -> Result<Self, Error> {
        let bytes = BASE64_STANDARD
            .decode(text.trim())
            .map_err(|e| Error::Voucher(format!("not base64: {e}")))?;
        if bytes.len() != 32 + 64 + VOUCHER_LEN {
            return Err(Error::Voucher(format!(
                "{} bytes, a voucher has {}",
                bytes.len(),
                32 + 64 + VOUCHER_LEN
            )));
        }
        let signer = Pubkey::try_from(&bytes[..32]).map_err(|_| Error::Voucher("signer".into()))?;
        let signature =
            Signature::try_from(&bytes[32..96]).map_err(|_| Error::Voucher("signature".into()))?;
        let message = VoucherMessage::decode(&bytes[96..])
            .ok_or_else(|| Error::Voucher("the message is not a microdrop voucher".into()))?;
        let voucher = Self {
            message,
            signer,
            signature,
        };
        if !voucher.verify() {
            return Err(Error::Voucher(
                "the signature does not match the voucher".into(),
            ));
        }
        Ok(voucher)
    }

    /// The Ed25519 instruction that has the runtime verify this voucher: one signature,
    /// with the key, signature and message all inside the instruction itself.
    pub fn ed25519_instruction(&self) -> Instruction {
        ed25519_instruction(
            self.signer.as_ref(),
            self.signature.as_ref(),
            &self.message.encode(),
        )
    }
}

/// An Ed25519 signature-verification instruction over one signature whose parts all lie in
/// its own data (offsets' instruction indexes are `u16::MAX`, "this instruction").
pub fn ed25519_instruction(public_key: &[u8], signature: &[u8], message: &[u8]) -> Instruction {
    const HEADER: usize = 16;
    let key_at = HEADER;
    let signature_at = key_at + public_key.len();
    let message_at = signature_at + signature.len();
    let field = |n: usize| u16::try_from(n).unwrap_or(u16::MAX).to_le_bytes();
    let mut data = vec![1u8, 0];
    for part in [
        field(signature_at),
        u16::MAX.to_le_bytes(),
        field(key_at),
        u16::MAX.to_le_bytes(),
        field(message_at),
        field(message.len()),
        u16::MAX.to_le_bytes(),
    ] {
        data.extend_from_slice(&part);
    }
    data.extend_from_slice(public_key);
    data.extend_from_slice(signature);
    data.extend_from_slice(message);
    Instruction {
        program_id: ED25519_PROGRAM_ID,
        accounts: vec![],
        data,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message() -> VoucherMessage {
        VoucherMessage {
            program: microdrop::ID,
            drop: Pubkey::new_unique(),
            tier_id: 1,
            wallet: Pubkey::new_unique(),
            max_quantity: 2,
            expires: 1_900_000_000,
            region: *b"NL",
            nonce: 7,
            single_use: true,
            salt: [3; 32],
        }
    }

    #[test]
    fn a_voucher_round_trips_and_tampering_is_caught() {
        let key = Keypair::new();
        let voucher = SignedVoucher::sign(message(), &key);
        assert!(voucher.verify());
        let text = voucher.encode();
        assert_eq!(SignedVoucher::decode(&text).unwrap(), voucher);
        // Change one byte of the message (the allowed quantity).
        let mut bytes = BASE64_STANDARD.decode(&text).unwrap();
        bytes[96 + 117] ^= 1;
        assert!(SignedVoucher::decode(&BASE64_STANDARD.encode(bytes)).is_err());
        assert!(SignedVoucher::decode("not a voucher").is_err());
    }
}
