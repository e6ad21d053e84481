// The program's addresses that its IDL does not name, derived as the Rust SDK's `pda`
// module derives them (the item-price table among them: instructions take it only for
// preorders, so the IDL names no seeds for it). The rest (collection mint, vault,
// item-tier table, wallet record, token ledger) are generated: `findCollectionMintPda`
// and the others in `generated/pdas`.
import {
  type Address,
  type ReadonlyUint8Array,
  getAddressEncoder,
  getProgramDerivedAddress,
  type ProgramDerivedAddress,
} from '@solana/kit';

import { MICRODROP_PROGRAM_ADDRESS } from './generated';

/** SPL Token, Token-2022 and the associated token account program. */
export const TOKEN_PROGRAM_ADDRESS = 'TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA' as Address;
export const TOKEN_2022_PROGRAM_ADDRESS = 'TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb' as Address;
export const ASSOCIATED_TOKEN_PROGRAM_ADDRESS =
  'ATokenGPvbdGVxr1b2hvZbsiqW5xWH25efTNsLJA8knL' as Address;

const text = new TextEncoder();
const key = (address: Address) => getAddressEncoder().encode(address);

function u64(value: bigint | number): Uint8Array {
  const bytes = new Uint8Array(8);
  new DataView(bytes.buffer).setBigUint64(0, BigInt(value), true);
  return bytes;
}

/** A PDA of the program; string seeds are UTF-8. */
function derive(seeds: (string | ReadonlyUint8Array)[]): Promise<ProgramDerivedAddress> {
  return getProgramDerivedAddress({ programAddress: MICRODROP_PROGRAM_ADDRESS, seeds });
}

/** A drop: `["drop", creator, id]` (the id's first 32 bytes). */
export function findDropPda(creator: Address, id: string): Promise<ProgramDerivedAddress> {
  return derive(['drop', key(creator), text.encode(id).slice(0, 32)]);
}
export function findTierPda(drop: Address, tierId: number) {
  return derive(['tier', key(drop), Uint8Array.of(tierId)]);
}
export function findHolderRecordPda(tier: Address, item: Address) {
  return derive(['holder', key(tier), key(item)]);
}
export function findVoucherNoncePda(tier: Address, nonce: bigint | number) {
  return derive(['voucher', key(tier), u64(nonce)]);
}
/** Item `index` (from 1) of a drop: `["item", drop, index LE]`. */
export function findItemMintPda(drop: Address, index: bigint | number) {
  return derive(['item', key(drop), u64(index)]);
}
export function findBenefitPda(drop: Address, benefitId: number) {
  return derive(['benefit', key(drop), Uint8Array.of(benefitId)]);
}
export function findRedemptionPda(benefit: Address, index: bigint | number) {
  return derive(['redemption', key(benefit), u64(index)]);
}
/** A preorder's item-price table: `["item_prices", drop]`. */
export function findItemPricesPda(drop: Address) {
  return derive(['item_prices', key(drop)]);
}
/** Anchor's event authority, the signer of the program's `emit_cpi!` events. */
export function findEventAuthorityPda() {
  return derive(['__event_authority']);
}
/** `owner`'s associated token account for `mint` under `tokenProgram`. */
export function findAssociatedTokenPda(
  owner: Address,
  mint: Address,
  tokenProgram: Address = TOKEN_PROGRAM_ADDRESS,
) {
  return getProgramDerivedAddress({
    programAddress: ASSOCIATED_TOKEN_PROGRAM_ADDRESS,
    seeds: [key(owner), key(tokenProgram), key(mint)],
  });
}
