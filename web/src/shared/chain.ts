// What both pages read from the chain through @solana/kit, beyond the generated client:
// the cluster's clock, a lookup table's addresses, and a refused transaction's program
// error in words.
import {
  type Address,
  getAddressDecoder,
  getBase64Encoder,
  type Rpc,
  type SolanaRpcApi,
} from '@solana/kit';
import { MICRODROP_PROGRAM_ADDRESS } from '@microdrop/client';

// The program's error messages, from its committed IDL (only this key reaches the bundle).
import { errors } from '../../../idl/microdrop.json';

export const CLOCK_SYSVAR = 'SysvarC1ock11111111111111111111111111111111' as Address;

const bytes = (data: readonly [string, string]) => new Uint8Array(getBase64Encoder().encode(data[0]));

/** The cluster's unix time (its Clock sysvar), which a sandbox may have moved. */
export async function clusterTime(rpc: Rpc<SolanaRpcApi>): Promise<bigint> {
  const { value } = await rpc.getAccountInfo(CLOCK_SYSVAR, { encoding: 'base64' }).send();
  if (!value) throw new Error('the cluster has no Clock sysvar');
  return new DataView(bytes(value.data).buffer).getBigInt64(32, true);
}

/** The addresses a lookup table holds (after its 56-byte header). */
export async function lookupTableAddresses(rpc: Rpc<SolanaRpcApi>, table: Address): Promise<Address[]> {
  const { value } = await rpc.getAccountInfo(table, { encoding: 'base64' }).send();
  if (!value) return [];
  const data = bytes(value.data);
  const decoder = getAddressDecoder();
  const out: Address[] = [];
  for (let at = 56; at + 32 <= data.length; at += 32) out.push(decoder.decode(data.slice(at, at + 32)));
  return out;
}

/** A transaction error as the RPC reports it (`{ InstructionError: [index, { Custom: n }] }`). */
export type TransactionErr = unknown;

/** The refusal in words: microdrop's own message for its errors, else what the RPC said. */
export function refusalInWords(err: TransactionErr, programOf: (index: number) => Address | undefined): string {
  if (err && typeof err === 'object' && 'InstructionError' in err) {
    const [index, detail] = (err as { InstructionError: [number, unknown] }).InstructionError;
    if (detail && typeof detail === 'object' && 'Custom' in detail) {
      const code = Number((detail as { Custom: number | bigint }).Custom);
      if (programOf(index) === MICRODROP_PROGRAM_ADDRESS) {
        const error = errors.find((e) => e.code === code);
        if (error) return error.msg;
      }
      return `instruction ${index} failed with error ${code}`;
    }
    return `instruction ${index} failed: ${JSON.stringify(detail)}`;
  }
  return typeof err === 'string' ? err : JSON.stringify(err, (_, v) => (typeof v === 'bigint' ? v.toString() : v));
}
