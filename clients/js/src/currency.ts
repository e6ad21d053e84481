// How amounts in a drop's currency read, as the CLI shows them: SOL with 9 decimals, or an
// SPL token with its mint's decimals and its symbol (Token Metadata's, else its Token-2022
// metadata's), else its address shortened (`EPjF…Dt1v`).
import { type Address, getBase64Encoder, type GetMultipleAccountsApi, type Rpc } from '@solana/kit';

import { type Currency } from './generated';
import { findMetadataPda, tokenMetadataStrings } from './items';

/** A currency's symbol and decimals. */
export type CurrencyUnit = { symbol: string; decimals: number };

type ParsedMint = {
  parsed?: {
    info?: {
      decimals?: number;
      extensions?: { extension: string; state: { symbol?: string } }[];
    };
  };
};

const clean = (symbol: string | undefined) => {
  const trimmed = symbol?.replace(/\0+$/, '').trim();
  return trimmed ? trimmed : undefined;
};

/** The symbol wallets show for token `mint` and its decimals (`undefined` when it has no symbol). */
export async function fetchTokenSymbol(
  rpc: Rpc<GetMultipleAccountsApi>,
  mint: Address,
): Promise<{ symbol: string | undefined; decimals: number }> {
  const metadata = await findMetadataPda(mint);
  const [{ value: mints }, { value: metadatas }] = await Promise.all([
    rpc.getMultipleAccounts([mint], { encoding: 'jsonParsed' }).send(),
    rpc.getMultipleAccounts([metadata], { encoding: 'base64' }).send(),
  ]);
  const info = (mints[0]?.data as ParsedMint | undefined)?.parsed?.info;
  if (info?.decimals === undefined) throw new Error(`${mint} is not a token mint`);
  const account = metadatas[0];
  const classic = account
    ? clean(tokenMetadataStrings(new Uint8Array(getBase64Encoder().encode((account.data as [string, string])[0])))?.symbol)
    : undefined;
  const newer = info.extensions?.find((e) => e.extension === 'tokenMetadata')?.state.symbol;
  return { symbol: classic ?? clean(newer), decimals: info.decimals };
}

/** How amounts in `currency` read: its symbol (or shortened address) and decimals. */
export async function fetchCurrencyUnit(rpc: Rpc<GetMultipleAccountsApi>, currency: Currency): Promise<CurrencyUnit> {
  if (currency.__kind === 'Sol') return { symbol: 'SOL', decimals: 9 };
  const { symbol, decimals } = await fetchTokenSymbol(rpc, currency.mint);
  return { symbol: symbol ?? `${currency.mint.slice(0, 4)}…${currency.mint.slice(-4)}`, decimals };
}
