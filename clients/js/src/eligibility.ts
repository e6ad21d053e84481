// "What can this wallet mint now": per tier, whether, how many, at what price, and if not,
// why. The rules are the mint instruction's checks in the same order, as the Rust SDK's
// `eligibility` module states them, so the reason given is the error a mint would get.
import {
  type Address,
  getBase58Decoder,
  getBase64Encoder,
  type GetAccountInfoApi,
  type GetMultipleAccountsApi,
  type GetTokenAccountsByOwnerApi,
  isSome,
  type Rpc,
} from '@solana/kit';

import { type Drop, DropStatus, fetchAllTier, fetchDrop, type Tier } from './generated';
import { findWalletRecordPda } from './generated/pdas';
import { type AllowList } from './allowlist';
import { fetchHeldTokens, type HeldToken } from './items';
import { findTierPda, TOKEN_2022_PROGRAM_ADDRESS, TOKEN_PROGRAM_ADDRESS } from './pda';

/** Why a wallet cannot mint from a tier now (the names the CLI's JSON uses). */
export type Reason =
  | 'drop_not_active'
  | 'preorder_failed'
  | 'upcoming'
  | 'ended'
  | 'drop_sold_out'
  | 'sold_out'
  | 'not_listed'
  | 'allow_list_needed'
  | 'not_holder'
  | 'limit_reached';

/** A sentence for people, per reason. */
export const REASON_TEXT: Record<Reason, string> = {
  drop_not_active: 'the drop is not active',
  preorder_failed: 'the preorder fell short of its minimum by its deadline; holders are refunded',
  upcoming: 'the tier has not opened yet',
  ended: 'the tier has ended',
  drop_sold_out: 'the drop is sold out',
  sold_out: 'the tier is sold out',
  not_listed: "the wallet is not on the tier's allow list",
  allow_list_needed: 'the tier has an allow list; pass its file to check',
  not_holder: 'the tier requires holding an item of another collection',
  limit_reached: 'the wallet reached its limit for the tier',
};

/** What is known of the wallet on a tier's allow list. */
export type Allowance =
  | { kind: 'notRequired' }
  | { kind: 'listed'; allowance: number }
  | { kind: 'notListed' }
  | { kind: 'unknown' };

/** What the wallet brings to one tier. */
export type WalletFacts = {
  /** Items it already minted through the tier. */
  minted: number;
  allowance: Allowance;
  /** For a holder-gated tier: whether it holds a verified item of the collection. */
  holds: boolean;
};

/** One tier's answer. */
export type TierEligibility = {
  id: number;
  label: string;
  eligible: boolean;
  /** How many it may mint now (0 when not eligible). */
  quantity: bigint;
  /** Per item, in the drop's currency's smallest units. */
  price: bigint;
  reason?: Reason;
  start: bigint;
  end: bigint;
};

const min = (...values: bigint[]) => values.reduce((a, b) => (b < a ? b : a));

/** The supply of an open edition (a drop or tier without a count). */
export const OPEN_SUPPLY = 0xffff_ffff_ffff_ffffn;
/** The highest index an item can have: an open drop's bound. */
export const MAX_SUPPLY = 20_971_440n;

/** Where a preorder stands at `now` (`unconditional` without a minimum). */
export function thresholdState(drop: Drop, now: bigint): 'unconditional' | 'pending' | 'met' | 'failed' {
  if (drop.minimum === 0n) return 'unconditional';
  const sold = drop.minted - drop.airdropped;
  if (sold >= drop.minimum) return 'met';
  return now > drop.deadline ? 'failed' : 'pending';
}

const preorderFailed = (drop: Drop, now: bigint) => thresholdState(drop, now) === 'failed';

/** Evaluates one tier for one wallet at `now` (unix seconds). */
export function evaluateTier(drop: Drop, tier: Tier, facts: WalletFacts, now: bigint): TierEligibility {
  const answer = { id: tier.id, label: tier.label, price: tier.price, start: tier.start, end: tier.end };
  const refuse = (reason: Reason): TierEligibility => ({ ...answer, eligible: false, quantity: 0n, reason });
  if (drop.status !== DropStatus.Active) return refuse('drop_not_active');
  if (preorderFailed(drop, now)) return refuse('preorder_failed');
  if (now < tier.start) return refuse('upcoming');
  if (now >= tier.end) return refuse('ended');
  const cap = drop.supply < MAX_SUPPLY ? drop.supply : MAX_SUPPLY;
  const dropLeft = cap > drop.minted ? cap - drop.minted : 0n;
  if (dropLeft === 0n) return refuse('drop_sold_out');
  const tierLeft = tier.supply > tier.minted ? tier.supply - tier.minted : 0n;
  if (tierLeft === 0n) return refuse('sold_out');
  let limit = tier.perWallet;
  if (isSome(tier.allowlistRoot)) {
    if (facts.allowance.kind === 'listed') limit = facts.allowance.allowance;
    else if (facts.allowance.kind === 'notListed') return refuse('not_listed');
    else return refuse('allow_list_needed');
  }
  if (isSome(tier.holderOf) && !facts.holds) return refuse('not_holder');
  const walletLeft = BigInt(Math.max(0, limit - facts.minted));
  if (walletLeft === 0n) return refuse('limit_reached');
  return { ...answer, eligible: true, quantity: min(dropLeft, tierLeft, walletLeft) };
}

/** The count in a wallet record's data, of either layout (13 bytes, or 77 before). */
export function walletRecordMinted(data: Uint8Array): number {
  const at = data.length === 77 ? 72 : 8;
  return new DataView(data.buffer, data.byteOffset).getUint32(at, true);
}

type EligibilityRpc = Rpc<GetAccountInfoApi & GetMultipleAccountsApi & GetTokenAccountsByOwnerApi>;

const base64Bytes = (data: readonly [string, string]) => new Uint8Array(getBase64Encoder().encode(data[0]));

/** Whether a Token Metadata `metadata` account says the item is verified into `collection`. */
export function isVerifiedTokenMetadataMember(metadata: Uint8Array, collection: Address, decode: (bytes: Uint8Array) => string): boolean {
  const view = new DataView(metadata.buffer, metadata.byteOffset, metadata.byteLength);
  let at = 1 + 32 + 32; // key, update authority, mint
  for (let i = 0; i < 3; i++) at += 4 + view.getUint32(at, true); // name, symbol, uri
  at += 2; // seller fee
  if (metadata[at++] === 1) at += 4 + 34 * view.getUint32(at, true); // creators
  at += 2; // primary sale, mutable
  if (metadata[at++] === 1) at += 1; // edition nonce
  if (metadata[at++] === 1) at += 1; // token standard
  if (metadata[at++] !== 1) return false; // no collection
  const verified = metadata[at] === 1;
  return verified && decode(metadata.slice(at + 1, at + 33)) === collection;
}

/** Whether `wallet` holds a verified item of `collection`, of either standard. */
async function holds(rpc: EligibilityRpc, wallet: Address, collection: Address): Promise<boolean> {
  const base58 = getBase58Decoder();
  const newer = await fetchHeldTokens(rpc, wallet, TOKEN_2022_PROGRAM_ADDRESS);
  const member = (token: HeldToken) =>
    token.extensions.some((e) => e.extension === 'tokenGroupMember' && e.state.group === collection && e.state.mint === token.mint);
  if (newer.some(member)) return true;
  const classic = await fetchHeldTokens(rpc, wallet, TOKEN_PROGRAM_ADDRESS);
  return classic.some(
    (token) => token.metadata !== undefined && isVerifiedTokenMetadataMember(token.metadata, collection, (b) => base58.decode(b)),
  );
}

/**
 * Every tier of `drop` for `wallet` at `now` (default: this machine's clock): the drop,
 * its tiers, the wallet's records and held items, read through `rpc`. `allowLists` gives
 * the lists of allow-listed tiers, by tier id; without one a listed tier answers
 * `allow_list_needed`.
 */
export async function eligibility(
  rpc: EligibilityRpc,
  drop: Address,
  wallet: Address,
  options: { allowLists?: Record<number, AllowList>; now?: bigint } = {},
): Promise<TierEligibility[]> {
  const state = (await fetchDrop(rpc, drop)).data;
  const tierAddresses = await Promise.all(
    Array.from({ length: state.tierCount }, async (_, id) => (await findTierPda(drop, id))[0]),
  );
  const tiers = (await fetchAllTier(rpc, tierAddresses)).map((account) => account.data);
  const now = options.now ?? BigInt(Math.floor(Date.now() / 1000));
  const answers: TierEligibility[] = [];
  for (const [i, tier] of tiers.entries()) {
    const [record] = await findWalletRecordPda({ tier: tierAddresses[i], wallet });
    const { value } = await rpc.getAccountInfo(record, { encoding: 'base64' }).send();
    const minted = value ? walletRecordMinted(base64Bytes(value.data)) : 0;
    const list = options.allowLists?.[tier.id];
    const listed = list?.proof(wallet);
    const allowance: Allowance = !isSome(tier.allowlistRoot)
      ? { kind: 'notRequired' }
      : !list
        ? { kind: 'unknown' }
        : listed
          ? { kind: 'listed', allowance: listed.allowance }
          : { kind: 'notListed' };
    const gate = isSome(tier.holderOf) ? await holds(rpc, wallet, tier.holderOf.value) : false;
    answers.push(evaluateTier(state, tier, { minted, allowance, holds: gate }, now));
  }
  return answers;
}
