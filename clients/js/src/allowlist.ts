// Allow-list Merkle trees, as the program verifies them and the Rust SDK builds them:
// a leaf binds drop, tier, wallet and allowance; leaves and internal nodes hash with
// different one-byte prefixes; pairs hash in sorted order, so a proof is the sibling
// hashes alone. SHA-256 comes from WebCrypto, in browsers and Node alike.
import { type Address, getAddressEncoder } from '@solana/kit';

const LEAF_PREFIX = 0;
const NODE_PREFIX = 1;

async function sha256(...parts: ArrayLike<number>[]): Promise<Uint8Array> {
  const length = parts.reduce((total, part) => total + part.length, 0);
  const joined = new Uint8Array(length);
  let at = 0;
  for (const part of parts) {
    joined.set(part, at);
    at += part.length;
  }
  return new Uint8Array(await crypto.subtle.digest('SHA-256', joined));
}

function compare(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) return a[i] - b[i];
  }
  return 0;
}

/** The leaf of `wallet` with `allowance` on tier `tierId` of `drop`. */
export function allowListLeaf(
  drop: Address,
  tierId: number,
  wallet: Address,
  allowance: number,
): Promise<Uint8Array> {
  const allowanceBytes = new Uint8Array(4);
  new DataView(allowanceBytes.buffer).setUint32(0, allowance, true);
  const encoder = getAddressEncoder();
  return sha256([LEAF_PREFIX], encoder.encode(drop), [tierId], encoder.encode(wallet), allowanceBytes);
}

/** The parent of two nodes, in either order. */
export function allowListNode(a: Uint8Array, b: Uint8Array): Promise<Uint8Array> {
  const [low, high] = compare(a, b) <= 0 ? [a, b] : [b, a];
  return sha256([NODE_PREFIX], low, high);
}

/** Whether `proof` leads from `leaf` to `root`. */
export async function verifyAllowListProof(
  root: Uint8Array,
  leaf: Uint8Array,
  proof: Uint8Array[],
): Promise<boolean> {
  let node = leaf;
  for (const sibling of proof) node = await allowListNode(node, sibling);
  return compare(node, root) === 0 && node.length === root.length;
}

/** One wallet's place on a list. */
export type AllowListEntry = { wallet: Address; allowance: number };

/** A tier's allow list: its root, and each listed wallet's allowance and proof. */
export class AllowList {
  private constructor(
    private readonly levels: Uint8Array[][],
    private readonly positions: Map<Address, { index: number; allowance: number }>,
  ) {}

  /** The tree over `entries`, as the Rust SDK's `AllowList::new` builds it. */
  static async build(drop: Address, tierId: number, entries: AllowListEntry[]): Promise<AllowList> {
    if (entries.length === 0) throw new Error('the allow list is empty');
    const seen = new Set<Address>();
    const leaves: { hash: Uint8Array; entry: AllowListEntry }[] = [];
    for (const entry of entries) {
      if (entry.allowance === 0) throw new Error(`${entry.wallet} has an allowance of 0`);
      if (seen.has(entry.wallet)) throw new Error(`${entry.wallet} is listed twice`);
      seen.add(entry.wallet);
      leaves.push({ hash: await allowListLeaf(drop, tierId, entry.wallet, entry.allowance), entry });
    }
    leaves.sort((a, b) => compare(a.hash, b.hash));
    const positions = new Map(
      leaves.map((leaf, index) => [leaf.entry.wallet, { index, allowance: leaf.entry.allowance }]),
    );
    const levels = [leaves.map((leaf) => leaf.hash)];
    while (levels[levels.length - 1].length > 1) {
      const below = levels[levels.length - 1];
      const above: Uint8Array[] = [];
      for (let i = 0; i < below.length; i += 2) {
        above.push(i + 1 < below.length ? await allowListNode(below[i], below[i + 1]) : below[i]);
      }
      levels.push(above);
    }
    return new AllowList(levels, positions);
  }

  /** The root a tier stores. */
  get root(): Uint8Array {
    return this.levels[this.levels.length - 1][0];
  }

  /** `wallet`'s allowance and proof, or `undefined` when it is not listed. */
  proof(wallet: Address): { allowance: number; proof: Uint8Array[] } | undefined {
    const position = this.positions.get(wallet);
    if (!position) return undefined;
    let index = position.index;
    const proof: Uint8Array[] = [];
    for (const level of this.levels.slice(0, -1)) {
      const sibling = index ^ 1;
      if (sibling < level.length) proof.push(level[sibling]);
      index >>= 1;
    }
    return { allowance: position.allowance, proof };
  }
}
