// The fee policy the Rust SDK and the CLI follow, for wallets and pages that send the
// instructions themselves: a compute-unit limit sized from a simulation, and an automatic
// priority fee from what recent transactions paid to write the same accounts. The
// vectors (test/vectors.json) keep both answers the Rust SDK's.
import {
  type Address,
  getAddressEncoder,
  type GetRecentPrioritizationFeesApi,
  type Instruction,
  isWritableRole,
  type Rpc,
} from '@solana/kit';

/** The most compute units a transaction may ask for. */
export const MAX_COMPUTE_UNIT_LIMIT = 1_400_000;
/** Units added to every sized limit on top of the headroom, for small transactions. */
export const COMPUTE_UNIT_MARGIN = 1_000;
/** The headroom the CLI adds to simulated units, in percent. */
export const DEFAULT_COMPUTE_HEADROOM_PERCENT = 10;
/** `getRecentPrioritizationFees` takes at most this many accounts. */
const MAX_FEE_ACCOUNTS = 128;

/**
 * The compute-unit limit for a transaction that consumed `consumed` units in simulation:
 * that plus `headroomPercent` of it plus {@link COMPUTE_UNIT_MARGIN}, at most
 * {@link MAX_COMPUTE_UNIT_LIMIT}.
 */
export function sizedComputeUnitLimit(
  consumed: bigint | number,
  headroomPercent: number = DEFAULT_COMPUTE_HEADROOM_PERCENT,
): number {
  const units = BigInt(consumed);
  const limit = units + (units * BigInt(headroomPercent)) / 100n + BigInt(COMPUTE_UNIT_MARGIN);
  return limit > BigInt(MAX_COMPUTE_UNIT_LIMIT) ? MAX_COMPUTE_UNIT_LIMIT : Number(limit);
}

/** The automatic priority fee from recent per-slot fees: their 75th percentile (0 for none). */
export function autoPriorityFee(recent: readonly (bigint | number)[]): bigint {
  if (recent.length === 0) return 0n;
  const sorted = recent.map(BigInt).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return sorted[Math.ceil((sorted.length * 3) / 4) - 1]!;
}

/** The accounts `instructions` write, once each, in byte order, at most 128 (what the RPC takes). */
export function writableAccounts(instructions: readonly Instruction[]): Address[] {
  const encoder = getAddressEncoder();
  const unique = new Map<Address, Uint8Array>();
  for (const instruction of instructions) {
    for (const account of instruction.accounts ?? []) {
      if (isWritableRole(account.role) && !unique.has(account.address)) {
        unique.set(account.address, new Uint8Array(encoder.encode(account.address)));
      }
    }
  }
  const compare = (a: Uint8Array, b: Uint8Array) => {
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
    return 0;
  };
  return [...unique.entries()]
    .sort(([, a], [, b]) => compare(a, b))
    .slice(0, MAX_FEE_ACCOUNTS)
    .map(([address]) => address);
}

/** A priority fee setting: `'auto'`, `'none'`, or micro-lamports per compute unit. */
export type PriorityFee = 'auto' | 'none' | bigint;

/** Reads a priority fee setting as the CLI's `--priority-fee` takes it: `auto`, `none`, `0` or micro-lamports. */
export function parsePriorityFee(text: string): PriorityFee {
  if (text === 'auto' || text === 'none') return text;
  if (!/^\d+$/.test(text)) {
    throw new Error(`priority fee ${JSON.stringify(text)}: give "auto", "none" or micro-lamports per compute unit`);
  }
  const value = BigInt(text);
  return value === 0n ? 'none' : value;
}

/**
 * The priority fee, in micro-lamports per compute unit, for a transaction with these
 * instructions: as set, or for `'auto'` the 75th percentile of what recent slots
 * charged to write the same accounts.
 */
export async function priorityFeeFor(
  rpc: Rpc<GetRecentPrioritizationFeesApi>,
  instructions: readonly Instruction[],
  setting: PriorityFee,
): Promise<bigint> {
  if (setting === 'none') return 0n;
  if (setting !== 'auto') return setting;
  const recent = await rpc.getRecentPrioritizationFees(writableAccounts(instructions)).send();
  return autoPriorityFee(recent.map((slot) => slot.prioritizationFee));
}
