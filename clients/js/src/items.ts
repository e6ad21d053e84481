// What differs between item standards on the client's side: the accounts an item takes
// in `mint` and `redeem` (the instruction's remaining accounts), the standard's fixed
// accounts, and how a wallet's items of a drop are found (by the index their name
// carries, checked against the item's address). Mirrors the Rust SDK's `items` module.
import {
  type Address,
  getAddressEncoder,
  type GetAccountInfoApi,
  getBase64Encoder,
  type GetMultipleAccountsApi,
  getProgramDerivedAddress,
  type GetTokenAccountsByOwnerApi,
  type Rpc,
} from '@solana/kit';

import { ItemStandard } from './generated';
import { findItemTiersPda } from './generated/pdas';
import {
  findAssociatedTokenPda,
  findItemMintPda,
  TOKEN_2022_PROGRAM_ADDRESS,
  TOKEN_PROGRAM_ADDRESS,
} from './pda';

/** Metaplex Token Metadata. */
export const TOKEN_METADATA_PROGRAM_ADDRESS =
  'metaqbxxUerdq28cj1RbAWkYQm3ybzjb6a8bt518x1s' as Address;

const text = new TextEncoder();

/** Token Metadata's metadata PDA of `mint`. */
export async function findMetadataPda(mint: Address): Promise<Address> {
  const encoder = getAddressEncoder();
  const [address] = await getProgramDerivedAddress({
    programAddress: TOKEN_METADATA_PROGRAM_ADDRESS,
    seeds: [text.encode('metadata'), encoder.encode(TOKEN_METADATA_PROGRAM_ADDRESS), encoder.encode(mint)],
  });
  return address;
}

/** Token Metadata's master edition PDA of `mint`. */
export async function findMasterEditionPda(mint: Address): Promise<Address> {
  const encoder = getAddressEncoder();
  const [address] = await getProgramDerivedAddress({
    programAddress: TOKEN_METADATA_PROGRAM_ADDRESS,
    seeds: [
      text.encode('metadata'),
      encoder.encode(TOKEN_METADATA_PROGRAM_ADDRESS),
      encoder.encode(mint),
      text.encode('edition'),
    ],
  });
  return address;
}

/** The token program of a `standard` drop's items. */
export function itemTokenProgram(standard: ItemStandard): Address {
  return standard === ItemStandard.Token2022 ? TOKEN_2022_PROGRAM_ADDRESS : TOKEN_PROGRAM_ADDRESS;
}

/**
 * The accounts of item `index` of a `standard` drop held by `holder`, in the order `mint`
 * and `redeem` take them: a Token-2022 item's mint and token account; a Token Metadata
 * item's mint, token account, metadata and master edition.
 */
export async function itemAccounts(
  standard: ItemStandard,
  drop: Address,
  holder: Address,
  index: bigint | number,
): Promise<Address[]> {
  const [mint] = await findItemMintPda(drop, index);
  const [token] = await findAssociatedTokenPda(holder, mint, itemTokenProgram(standard));
  if (standard === ItemStandard.Token2022) return [mint, token];
  return [mint, token, await findMetadataPda(mint), await findMasterEditionPda(mint)];
}

/** The most items one `mint` instruction creates for a `standard` drop. */
export function maxItemsPerMint(standard: ItemStandard): number {
  return standard === ItemStandard.Token2022 ? 3 : 2;
}

/** The index an item's name ends in (`<name> #<index>`, as the program names items). */
export function itemIndexFromName(name: string): bigint | undefined {
  const at = name.lastIndexOf(' #');
  const digits = at < 0 ? '' : name.slice(at + 2).replace(/\0+$/, '');
  return /^\d{1,20}$/.test(digits) ? BigInt(digits) : undefined;
}

/**
 * The tier that sold item `index` of a Token Metadata drop, from its item-tier table's
 * data (`findItemTiersPda`): a nibble per item after the 40-byte header, 0 for none.
 */
export function itemTierFromTable(table: Uint8Array, index: bigint): number | undefined {
  if (index < 1n) return undefined;
  const entry = index - 1n;
  const byte = table[40 + Number(entry / 2n)] ?? 0;
  const value = entry % 2n === 0n ? byte & 0x0f : byte >> 4;
  return value === 0 ? undefined : value - 1;
}

/** One of a wallet's items of a drop. */
export type HeldItem = { index: bigint; mint: Address; tier: number | undefined };

type ParsedTokenAccount = { parsed: { info: { mint: Address; tokenAmount: { amount: string; decimals: number } } } };

/** A Token-2022 mint extension as the RPC parses it (`jsonParsed`). */
export type ParsedMintExtension = {
  extension: string;
  state: { name?: string; additionalMetadata?: [string, string][]; group?: string; mint?: string };
};
type ParsedMint = { parsed?: { info?: { extensions?: ParsedMintExtension[] } } };

/**
 * A token a wallet holds, with what proves which collection it belongs to: for Token-2022
 * its mint's extensions, for SPL Token its Token Metadata account's bytes (when it has one).
 */
export type HeldToken = {
  mint: Address;
  amount: string;
  decimals: number;
  extensions: ParsedMintExtension[];
  metadata: Uint8Array | undefined;
};

/** `addresses` in groups of at most `size` (what `getMultipleAccounts` takes per call). */
function chunks<T>(addresses: readonly T[], size = 100): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < addresses.length; i += size) out.push(addresses.slice(i, i + size));
  return out;
}

/**
 * `owner`'s tokens with a balance under `tokenProgram`, each with what proves its
 * collection, read in one `getMultipleAccounts` per 100 tokens.
 */
export async function fetchHeldTokens(
  rpc: Rpc<GetTokenAccountsByOwnerApi & GetMultipleAccountsApi>,
  owner: Address,
  tokenProgram: Address,
): Promise<HeldToken[]> {
  const { value } = await rpc.getTokenAccountsByOwner(owner, { programId: tokenProgram }, { encoding: 'jsonParsed' }).send();
  const tokens = value
    .map(({ account }) => (account.data as unknown as ParsedTokenAccount).parsed.info)
    .filter((info) => info.tokenAmount.amount !== '0');
  const newer = tokenProgram === TOKEN_2022_PROGRAM_ADDRESS;
  // Token-2022: the mints themselves, parsed; SPL Token: their Token Metadata accounts.
  const proofs = newer ? tokens.map((t) => t.mint) : await Promise.all(tokens.map((t) => findMetadataPda(t.mint)));
  const held: HeldToken[] = [];
  for (const group of chunks(proofs)) {
    const { value: accounts } = newer
      ? await rpc.getMultipleAccounts(group, { encoding: 'jsonParsed' }).send()
      : await rpc.getMultipleAccounts(group, { encoding: 'base64' }).send();
    for (const account of accounts) {
      const info = tokens[held.length]!;
      held.push({
        mint: info.mint,
        amount: info.tokenAmount.amount,
        decimals: info.tokenAmount.decimals,
        extensions: newer ? ((account?.data as ParsedMint | undefined)?.parsed?.info?.extensions ?? []) : [],
        metadata:
          !newer && account ? new Uint8Array(getBase64Encoder().encode((account.data as [string, string])[0])) : undefined,
      });
    }
  }
  return held;
}

/**
 * `owner`'s items of `drop` (a `standard` drop), by index, with the tier that sold each.
 *
 * Each single token the wallet holds names its index (its metadata's name ends in
 * `#<index>`), and counts only when its mint is the drop's item PDA for that index, so
 * reading a wallet costs one derivation per token it holds, not one per item the drop made.
 */
export async function fetchHeldItems(
  rpc: Rpc<GetTokenAccountsByOwnerApi & GetMultipleAccountsApi & GetAccountInfoApi>,
  drop: Address,
  standard: ItemStandard,
  owner: Address,
): Promise<HeldItem[]> {
  const tokens = (await fetchHeldTokens(rpc, owner, itemTokenProgram(standard))).filter(
    (token) => token.amount === '1' && token.decimals === 0,
  );
  const held: HeldItem[] = [];
  let table: Uint8Array | undefined;
  for (const token of tokens) {
    // Each item's name, and for Token-2022 the tier in its metadata.
    const metadata = token.extensions.find((e) => e.extension === 'tokenMetadata')?.state;
    const name = standard === ItemStandard.Token2022 ? metadata?.name : token.metadata && tokenMetadataStrings(token.metadata)?.name;
    const index = name === undefined ? undefined : itemIndexFromName(name);
    if (index === undefined || (await findItemMintPda(drop, index))[0] !== token.mint) continue;
    if (standard === ItemStandard.Token2022) {
      const tier = metadata?.additionalMetadata?.find(([key]) => key === 'tier')?.[1];
      held.push({ index, mint: token.mint, tier: tier === undefined ? undefined : Number(tier) });
      continue;
    }
    if (!table) {
      const { value } = await rpc.getAccountInfo((await findItemTiersPda({ drop }))[0], { encoding: 'base64' }).send();
      table = value ? new Uint8Array(getBase64Encoder().encode(value.data[0])) : new Uint8Array();
    }
    held.push({ index, mint: token.mint, tier: itemTierFromTable(table, index) });
  }
  return held.sort((a, b) => (a.index < b.index ? -1 : a.index > b.index ? 1 : 0));
}

/**
 * A Token Metadata account's name and symbol: the borsh strings after its key, update
 * authority and mint, without the NULs Token Metadata pads them with.
 */
export function tokenMetadataStrings(data: Uint8Array): { name: string; symbol: string } | undefined {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const decoder = new TextDecoder();
  const strings: string[] = [];
  let at = 65;
  for (let i = 0; i < 2; i++) {
    if (at + 4 > data.length) return undefined;
    const end = at + 4 + view.getUint32(at, true);
    if (end > data.length) return undefined;
    strings.push(decoder.decode(data.subarray(at + 4, end)).replace(/\0+$/, ''));
    at = end;
  }
  return { name: strings[0]!, symbol: strings[1]! };
}
