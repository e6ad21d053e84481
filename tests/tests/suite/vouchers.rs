//! Voucher-gated tiers: each refusal, forged and replayed vouchers, and instruction tricks.

use microdrop::{
    errors::MicrodropError,
    state::{Drop, DropStatus, TierConfig},
    voucher::VoucherMessage,
};
use microdrop_sdk::{
    instructions::{self, MintRequest},
    pda,
    voucher::{ed25519_instruction, SignedVoucher},
    Instruction, Keypair, Pubkey, Signer,
};
use microdrop_tests::{assert_tx_error, program_error, Fixture, SOL};
use solana_transaction_error::TransactionError;

use crate::support::{launch_as, snapshot, tier, TestDrop, T0};

/// The Ed25519 precompile's `PrecompileError::InvalidSignature` (code 2), for the voucher
/// instruction at index 1.
const INVALID_SIGNATURE: TransactionError =
    TransactionError::InstructionError(1, microdrop_tests::InstructionError::Custom(2));

struct Setup {
    f: Fixture,
    d: TestDrop,
    signer: Keypair,
    buyer: Keypair,
    /// The drop's voucher salt, which every voucher must carry.
    salt: [u8; 32],
}

async fn setup(id: &str) -> Setup {
    let mut f = Fixture::new().await;
    let signer = Keypair::new();
    let creator = f.wallet(100 * SOL).await;
    let gated = TierConfig {
        voucher_signer: Some(signer.pubkey()),
        regions: vec![*b"DE", *b"FR"],
        ..tier("local", SOL / 100, 20, 5)
    };
    let open = tier("open", SOL / 100, 20, 5);
    let d = launch_as(&mut f, creator, id, 40, None, vec![gated, open]).await;
    f.warp_to(T0).await;
    let buyer = f.wallet(5 * SOL).await;
    let salt = f.anchor_account::<Drop>(&d.address).await.voucher_salt;
    Setup {
        f,
        d,
        signer,
        buyer,
        salt,
    }
}

fn message(s: &Setup) -> VoucherMessage {
    VoucherMessage {
        program: microdrop::ID,
        drop: s.d.address,
        tier_id: 0,
        wallet: s.buyer.pubkey(),
        max_quantity: 2,
        expires: T0 + 100,
        region: *b"DE",
        nonce: 1,
        single_use: false,
        salt: s.salt,
    }
}

/// Compute budget, the voucher's Ed25519 instruction, and the mint.
async fn ixs(s: &mut Setup, voucher: &SignedVoucher, quantity: u8) -> Vec<Instruction> {
    let state: Drop = s.f.anchor_account(&s.d.address).await;
    let request = MintRequest {
        quantity,
        voucher: Some(voucher.clone()),
        ..MintRequest::new(
            s.d.address,
            &state,
            voucher.message.tier_id,
            s.buyer.pubkey(),
        )
    };
    let mut all = vec![instructions::compute_unit_limit(1_400_000)];
    all.extend(instructions::mint_instructions(&request));
    all
}

/// Sends as the buyer; a refusal must leave counters and balances as they were.
async fn send(s: &mut Setup, ixs: Vec<Instruction>) -> Result<(), TransactionError> {
    let before = snapshot(&mut s.f, &s.d.address, &s.buyer.pubkey()).await;
    let buyer = s.buyer.insecure_clone();
    let result = s.f.send(&ixs, &buyer, &[]).await;
    if result.is_err() {
        assert_eq!(
            snapshot(&mut s.f, &s.d.address, &s.buyer.pubkey()).await,
            before
        );
    }
    result
}

async fn refused(s: &mut Setup, ixs: Vec<Instruction>, expected: MicrodropError) {
    let mint_index = u8::try_from(ixs.len() - 1).unwrap();
    assert_tx_error(send(s, ixs).await, program_error(mint_index, expected));
}

#[tokio::test]
async fn a_valid_voucher_mints_and_each_wrong_one_is_refused_by_name() {
    let mut s = setup("vouchers").await;
    let good = SignedVoucher::sign(message(&s), &s.signer);
    let ok = ixs(&mut s, &good, 2).await;
    send(&mut s, ok).await.expect("a valid voucher");

    type Change = Box<dyn Fn(&mut VoucherMessage)>;
    let other_drop = Pubkey::new_unique();
    let cases: Vec<(&str, Change, MicrodropError)> = vec![
        (
            "another wallet",
            Box::new(|m| m.wallet = Pubkey::new_unique()),
            MicrodropError::VoucherWrongWallet,
        ),
        (
            "another drop",
            Box::new(move |m| m.drop = other_drop),
            MicrodropError::VoucherWrongTier,
        ),
        (
            "another tier",
            Box::new(|m| m.tier_id = 1),
            MicrodropError::VoucherWrongTier,
        ),
        (
            "another program",
            Box::new(|m| m.program = Pubkey::new_unique()),
            MicrodropError::VoucherWrongTier,
        ),
        (
            "a region not allowed",
            Box::new(|m| m.region = *b"US"),
            MicrodropError::VoucherRegionNotAllowed,
        ),
    ];
    for (what, change, expected) in cases {
        let mut m = message(&s);
        change(&mut m);
        let voucher = SignedVoucher::sign(m, &s.signer);
        // "another tier": sent to tier 0 anyway, so the tier the voucher names differs.
        let mut sent = ixs(&mut s, &voucher, 1).await;
        if what == "another tier" {
            let fixed = ixs(&mut s, &good, 1).await;
            sent[2] = fixed[2].clone();
        }
        let mint_index = u8::try_from(sent.len() - 1).unwrap();
        assert_eq!(
            send(&mut s, sent).await,
            Err(program_error(mint_index, expected)),
            "{what}"
        );
    }
    // More items than the voucher allows.
    let one = SignedVoucher::sign(
        VoucherMessage {
            max_quantity: 1,
            ..message(&s)
        },
        &s.signer,
    );
    let two = ixs(&mut s, &one, 2).await;
    refused(&mut s, two, MicrodropError::VoucherQuantityExceeded).await;
}

#[tokio::test]
async fn a_voucher_signed_by_another_key_is_refused() {
    let mut s = setup("forged").await;
    let impostor = Keypair::new();
    let forged = SignedVoucher::sign(message(&s), &impostor);
    let sent = ixs(&mut s, &forged, 1).await;
    refused(&mut s, sent, MicrodropError::VoucherSignerMismatch).await;

    // Claiming the real signer's key over the impostor's signature fails verification in
    // the runtime itself, before the program runs.
    let claimed = SignedVoucher {
        signer: s.signer.pubkey(),
        ..forged
    };
    let sent = ixs(&mut s, &claimed, 1).await;
    let result = send(&mut s, sent).await;
    assert_eq!(result, Err(INVALID_SIGNATURE));
}

#[tokio::test]
async fn a_tampered_field_breaks_the_signature() {
    let mut s = setup("tampered").await;
    let good = SignedVoucher::sign(message(&s), &s.signer);
    let mut sent = ixs(&mut s, &good, 1).await;
    // Raise max_quantity inside the signed message bytes of the Ed25519 instruction.
    let message_at = 16 + 32 + 64;
    sent[1].data[message_at + 117] = 9;
    let result = send(&mut s, sent).await;
    assert_eq!(result, Err(INVALID_SIGNATURE));
}

#[tokio::test]
async fn expiry_holds_to_the_second() {
    let mut s = setup("expiry").await;
    let voucher = SignedVoucher::sign(message(&s), &s.signer);
    s.f.warp_to(T0 + 100).await;
    let at_expiry = ixs(&mut s, &voucher, 1).await;
    send(&mut s, at_expiry)
        .await
        .expect("valid through its expiry second");
    s.f.warp_to(T0 + 101).await;
    let after = ixs(&mut s, &voucher, 1).await;
    refused(&mut s, after, MicrodropError::VoucherExpired).await;
}

#[tokio::test]
async fn a_single_use_voucher_cannot_be_replayed_and_its_record_closes_later() {
    let mut s = setup("single").await;
    let voucher = SignedVoucher::sign(
        VoucherMessage {
            single_use: true,
            nonce: 77,
            ..message(&s)
        },
        &s.signer,
    );
    let first = ixs(&mut s, &voucher, 1).await;
    send(&mut s, first).await.expect("first use");
    let record = pda::voucher_nonce(&pda::tier(&s.d.address, 0).0, 77).0;
    assert_eq!(s.f.account(&record).await.unwrap().owner, microdrop::ID);
    let replay = ixs(&mut s, &voucher, 1).await;
    refused(&mut s, replay, MicrodropError::VoucherAlreadyUsed).await;

    let close = instructions::close_voucher_nonce(&s.buyer.pubkey(), &s.d.address, 0, 77);
    let buyer = s.buyer.insecure_clone();
    assert_tx_error(
        s.f.send(std::slice::from_ref(&close), &buyer, &[]).await,
        program_error(0, MicrodropError::DropNotClosed),
    );
    let ix = instructions::set_drop_status(&s.d.creator.pubkey(), &s.d.address, DropStatus::Closed);
    let creator = s.d.creator.insecure_clone();
    s.f.send(&[ix], &creator, &[]).await.unwrap();
    // Another wallet can neither close it nor take its rent.
    let stranger = s.f.wallet(SOL).await;
    let mut stolen = instructions::close_voucher_nonce(&stranger.pubkey(), &s.d.address, 0, 77);
    stolen.accounts[3].pubkey = record;
    assert_tx_error(
        s.f.send(&[stolen], &stranger, &[]).await,
        microdrop_tests::anchor_error(0, anchor_lang::error::ErrorCode::ConstraintHasOne),
    );
    let rent = s.f.balance(&record).await;
    let before = s.f.balance(&buyer.pubkey()).await;
    s.f.send(&[close], &buyer, &[])
        .await
        .expect("close after the drop closed");
    assert!(s.f.account(&record).await.is_none());
    assert_eq!(s.f.balance(&buyer.pubkey()).await, before + rent - 5_000);
}

#[tokio::test]
async fn offsets_into_another_instruction_are_refused() {
    let mut s = setup("offsets").await;
    let voucher = SignedVoucher::sign(message(&s), &s.signer);
    let mut sent = ixs(&mut s, &voucher, 1).await;
    // Carry the signed message at the end of the mint instruction's data (the program
    // ignores trailing bytes) and point the Ed25519 instruction's message offsets there.
    let message = voucher.message.encode();
    let mint_index = 2u16;
    let at = u16::try_from(sent[2].data.len()).unwrap();
    sent[2].data.extend_from_slice(&message);
    let mut data =
        ed25519_instruction(voucher.signer.as_ref(), voucher.signature.as_ref(), &[]).data;
    data[10..12].copy_from_slice(&at.to_le_bytes());
    data[12..14].copy_from_slice(&u16::try_from(message.len()).unwrap().to_le_bytes());
    data[14..16].copy_from_slice(&mint_index.to_le_bytes());
    sent[1].data = data;
    refused(&mut s, sent, MicrodropError::VoucherInstructionInvalid).await;
}

#[tokio::test]
async fn two_signatures_in_one_instruction_are_refused() {
    let mut s = setup("two").await;
    let mine = SignedVoucher::sign(message(&s), &s.signer);
    let other = SignedVoucher::sign(
        VoucherMessage {
            wallet: Pubkey::new_unique(),
            ..message(&s)
        },
        &s.signer,
    );
    let mut sent = ixs(&mut s, &mine, 1).await;
    sent[1].data = two_signature_instruction(&[&mine, &other]);
    refused(&mut s, sent, MicrodropError::VoucherInstructionInvalid).await;
}

/// An Ed25519 instruction verifying several vouchers at once (all valid).
fn two_signature_instruction(vouchers: &[&SignedVoucher]) -> Vec<u8> {
    let header = 2 + 14 * vouchers.len();
    let mut offsets = vec![u8::try_from(vouchers.len()).unwrap(), 0];
    let mut body = Vec::new();
    for v in vouchers {
        let key_at = header + body.len();
        body.extend_from_slice(v.signer.as_ref());
        let signature_at = header + body.len();
        body.extend_from_slice(v.signature.as_ref());
        let message_at = header + body.len();
        let message = v.message.encode();
        body.extend_from_slice(&message);
        for n in [
            signature_at,
            usize::from(u16::MAX),
            key_at,
            usize::from(u16::MAX),
            message_at,
            message.len(),
            usize::from(u16::MAX),
        ] {
            offsets.extend_from_slice(&u16::try_from(n).unwrap().to_le_bytes());
        }
    }
    offsets.extend(body);
    offsets
}

#[tokio::test]
async fn the_voucher_must_come_right_before_the_mint_through_the_real_sysvar() {
    let mut s = setup("sysvar").await;
    let voucher = SignedVoucher::sign(message(&s), &s.signer);
    // No Ed25519 instruction at all.
    let mut sent = ixs(&mut s, &voucher, 1).await;
    sent.remove(1);
    refused(&mut s, sent, MicrodropError::VoucherMissing).await;
    // A fake Instructions sysvar account.
    let mut sent = ixs(&mut s, &voucher, 1).await;
    let slot = sent[2]
        .accounts
        .iter()
        .position(|m| m.pubkey == instructions::INSTRUCTIONS_SYSVAR_ID)
        .unwrap();
    sent[2].accounts[slot].pubkey = Pubkey::new_unique();
    refused(&mut s, sent, MicrodropError::VoucherSysvarInvalid).await;
    // Vouchers combine with the tier's other rules: an unlisted tier still enforces
    // per-wallet limits (5 here).
    for _ in 0..2 {
        let ok = ixs(&mut s, &voucher, 2).await;
        send(&mut s, ok).await.unwrap();
    }
    let over = ixs(&mut s, &voucher, 2).await;
    refused(&mut s, over, MicrodropError::WalletLimitReached).await;
}
