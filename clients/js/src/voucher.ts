// Vouchers: the canonical message a tier's signer signs, and the Ed25519 instruction the
// mint transaction carries right before the mint (the program reads it through the
// Instructions sysvar). Byte for byte the Rust SDK's.
import { type Address, getAddressEncoder, type Instruction } from '@solana/kit';

/** The Ed25519 signature-verification precompile. */
export const ED25519_PROGRAM_ADDRESS = 'Ed25519SigVerify111111111111111111111111111' as Address;

const TAG = new TextEncoder().encode('microdrop-voucher-v2');
/** Bytes of an encoded voucher. */
export const VOUCHER_LEN = 20 + 32 + 32 + 1 + 32 + 4 + 8 + 2 + 8 + 1 + 32;

/** What a voucher allows. */
export type VoucherMessage = {
  program: Address;
  drop: Address;
  tierId: number;
  wallet: Address;
  /** Most items one mint with this voucher may create. */
  maxQuantity: number;
  /** Last unix second it is valid (inclusive). */
  expires: bigint;
  /** Two-letter region code, uppercase ASCII. */
  region: string;
  nonce: bigint;
  singleUse: boolean;
  /** The drop's voucher salt (32 bytes). */
  salt: Uint8Array;
};

/** The canonical bytes that are signed. */
export function encodeVoucher(message: VoucherMessage): Uint8Array {
  if (!/^[A-Z]{2}$/.test(message.region)) throw new Error(`region ${message.region} is not two uppercase letters`);
  if (message.salt.length !== 32) throw new Error('the salt must be 32 bytes');
  const out = new Uint8Array(VOUCHER_LEN);
  const view = new DataView(out.buffer);
  const addresses = getAddressEncoder();
  let at = 0;
  const put = (bytes: ArrayLike<number>) => {
    out.set(bytes, at);
    at += bytes.length;
  };
  put(TAG);
  put(addresses.encode(message.program));
  put(addresses.encode(message.drop));
  put([message.tierId]);
  put(addresses.encode(message.wallet));
  view.setUint32(at, message.maxQuantity, true);
  at += 4;
  view.setBigInt64(at, message.expires, true);
  at += 8;
  put(new TextEncoder().encode(message.region));
  view.setBigUint64(at, message.nonce, true);
  at += 8;
  put([message.singleUse ? 1 : 0]);
  put(message.salt);
  return out;
}

/**
 * An Ed25519 verification instruction over one signature whose key, signature and
 * message all lie in its own data (each offset's instruction index is 0xffff, "this
 * instruction").
 */
export function ed25519Instruction(
  publicKey: Uint8Array,
  signature: Uint8Array,
  message: Uint8Array,
): Instruction {
  const header = 16;
  const keyAt = header;
  const signatureAt = keyAt + publicKey.length;
  const messageAt = signatureAt + signature.length;
  const data = new Uint8Array(messageAt + message.length);
  const view = new DataView(data.buffer);
  data[0] = 1; // one signature
  [signatureAt, 0xffff, keyAt, 0xffff, messageAt, message.length, 0xffff].forEach((value, i) =>
    view.setUint16(2 + 2 * i, value, true),
  );
  data.set(publicKey, keyAt);
  data.set(signature, signatureAt);
  data.set(message, messageAt);
  return { programAddress: ED25519_PROGRAM_ADDRESS, accounts: [], data };
}
