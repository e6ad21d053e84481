// Events: the program emits each as a self-invocation (`emit_cpi!`) whose data is
// Anchor's event tag, the event's discriminator and its fields. Decoded here from a
// transaction's inner instructions, as the Rust SDK's `events` does.
import { type Address, getBase58Encoder } from '@solana/kit';

import { MICRODROP_PROGRAM_ADDRESS } from './generated';
import { MICRODROP_EVENTS, type MicrodropEvent } from './generated/events';

export type { MicrodropEvent } from './generated/events';

/** Anchor's tag on event self-invocations: `0x1d9acb512ea545e4`, little-endian. */
export const EVENT_IX_TAG = new Uint8Array([0xe4, 0x45, 0xa5, 0x2e, 0x51, 0xcb, 0x9a, 0x1d]);

const startsWith = (bytes: Uint8Array, prefix: Uint8Array, at = 0) =>
  bytes.length >= at + prefix.length && prefix.every((byte, i) => bytes[at + i] === byte);

/** The event in a self-invocation's data, or `undefined` for any other instruction data. */
export function decodeMicrodropEvent(data: Uint8Array): MicrodropEvent | undefined {
  if (!startsWith(data, EVENT_IX_TAG)) return undefined;
  const event = MICRODROP_EVENTS.find((e) => startsWith(data, e.discriminator, EVENT_IX_TAG.length));
  if (!event) return undefined;
  return { name: event.name, data: event.decoder().decode(data.slice(EVENT_IX_TAG.length)) } as MicrodropEvent;
}

/** The parts of a `getTransaction` answer (`json` encoding) that carry events. */
export type TransactionWithInnerInstructions = {
  transaction: { message: { accountKeys: readonly string[] } };
  meta: {
    err: unknown;
    loadedAddresses?: { writable: readonly string[]; readonly: readonly string[] } | null;
    innerInstructions?: ReadonlyArray<{
      instructions: ReadonlyArray<{ programIdIndex: number; data: string }>;
    }> | null;
  } | null;
};

/** The microdrop events a confirmed transaction emitted, in order (none if it failed). */
export function eventsOfTransaction(
  tx: TransactionWithInnerInstructions,
  program: Address = MICRODROP_PROGRAM_ADDRESS,
): MicrodropEvent[] {
  if (!tx.meta || tx.meta.err) return [];
  const keys = [
    ...tx.transaction.message.accountKeys,
    ...(tx.meta.loadedAddresses?.writable ?? []),
    ...(tx.meta.loadedAddresses?.readonly ?? []),
  ];
  const base58 = getBase58Encoder();
  const events: MicrodropEvent[] = [];
  for (const group of tx.meta.innerInstructions ?? []) {
    for (const instruction of group.instructions) {
      if (keys[instruction.programIdIndex] !== program) continue;
      const event = decodeMicrodropEvent(new Uint8Array(base58.encode(instruction.data)));
      if (event) events.push(event);
    }
  }
  return events;
}
