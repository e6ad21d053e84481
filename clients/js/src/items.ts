// What differs between item standards on the client's side: the accounts an item takes
// in `mint` and `redeem` (the instruction's remaining accounts), and the standard's fixed
// accounts. Mirrors the Rust SDK's `items` module.
import { type Address, getAddressEncoder, getProgramDerivedAddress } from '@solana/kit';

import { ItemStandard } from './generated';
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
