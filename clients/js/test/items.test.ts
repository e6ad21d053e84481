// How a wallet's items are recognised without the chain: the index an item's name carries,
// and the tier a Token Metadata drop's item-tier table records.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { itemIndexFromName, itemTierFromTable, tokenMetadataStrings } from '../src';

test('an item’s index is the number its name ends in after “ #”', () => {
  assert.equal(itemIndexFromName('Spring Zine #1'), 1n);
  assert.equal(itemIndexFromName('A #2 of #70000'), 70000n);
  assert.equal(itemIndexFromName('Padded #12\0\0\0\0'), 12n, 'Token Metadata pads names with NULs');
  assert.equal(itemIndexFromName('#5'), undefined, 'no space before the #');
  assert.equal(itemIndexFromName('Zine # 5'), undefined);
  assert.equal(itemIndexFromName('Zine #5a'), undefined);
  assert.equal(itemIndexFromName('Zine #'), undefined);
  assert.equal(itemIndexFromName('Zine'), undefined);
});

test('the item-tier table keeps a nibble per item after its 40-byte header', () => {
  const table = new Uint8Array(43);
  table[40] = 0x21; // item 1: tier 0; item 2: tier 1
  table[41] = 0x00; // items 3 and 4: none recorded
  table[42] = 0xf0; // item 5: none; item 6: tier 14
  assert.equal(itemTierFromTable(table, 1n), 0);
  assert.equal(itemTierFromTable(table, 2n), 1);
  assert.equal(itemTierFromTable(table, 3n), undefined);
  assert.equal(itemTierFromTable(table, 5n), undefined);
  assert.equal(itemTierFromTable(table, 6n), 14);
  assert.equal(itemTierFromTable(table, 7n), undefined, 'beyond the table');
  assert.equal(itemTierFromTable(table, 0n), undefined, 'items count from 1');
});

test('a Token Metadata account’s name and symbol read without their padding', () => {
  const text = new TextEncoder();
  const string = (value: string) => {
    const bytes = text.encode(value);
    const out = new Uint8Array(4 + bytes.length);
    new DataView(out.buffer).setUint32(0, bytes.length, true);
    out.set(bytes, 4);
    return out;
  };
  const parts = [new Uint8Array(65), string('Zine #3\0\0\0'), string('ZINE\0\0'), string('https://x')];
  const data = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((at, p) => (data.set(p, at), at + p.length), 0);
  assert.deepEqual(tokenMetadataStrings(data), { name: 'Zine #3', symbol: 'ZINE' });
  assert.equal(tokenMetadataStrings(data.subarray(0, 65 + 4 + 10 + 2)), undefined, 'cut inside the symbol');
  assert.equal(tokenMetadataStrings(new Uint8Array(10)), undefined);
});
