// The TypeScript helpers reproduce the Rust SDK's answers byte for byte: the vectors in
// vectors.json are computed by the Rust suite (`vectors::the_typescript_clients_vectors_are_the_rust_sdks`),
// which fails when they drift from the Rust SDK.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

import { AccountRole, type Address, getAddressEncoder, getBase58Decoder } from '@solana/kit';

import {
  AllowList,
  decodeMicrodropEvent,
  type ItemsMinted,
  allowListLeaf,
  ASSOCIATED_TOKEN_PROGRAM_ADDRESS,
  autoPriorityFee,
  ed25519Instruction,
  ED25519_PROGRAM_ADDRESS,
  encodeVoucher,
  findAssociatedTokenPda,
  findBenefitPda,
  findCollectionMintPda,
  findDropPda,
  findEventAuthorityPda,
  findHolderRecordPda,
  findItemMintPda,
  findItemPricesPda,
  findItemTiersPda,
  findLedgerPda,
  findRedemptionPda,
  findTierPda,
  findVaultPda,
  findVoucherNoncePda,
  findWalletRecordPda,
  itemAccounts,
  ItemStandard,
  itemTierFromTable,
  maxItemsPerMint,
  MAX_REFUND_ITEMS,
  MAX_SUPPLY,
  MICRODROP_PROGRAM_ADDRESS,
  OPEN_SUPPLY,
  parsePriorityFee,
  sizedComputeUnitLimit,
  TOKEN_2022_PROGRAM_ADDRESS,
  verifyAllowListProof,
  writableAccounts,
} from '../src';

const vectors = JSON.parse(readFileSync(new URL('./vectors.json', import.meta.url), 'utf8'));
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const bytes = (text: string) => new Uint8Array(Buffer.from(text, 'hex'));

test('program-derived addresses are the Rust SDK’s', async () => {
  const p = vectors.pdas;
  const drop = p.drop as Address;
  const first = async (found: Promise<readonly [Address, number]>) => (await found)[0];
  assert.equal(await first(findDropPda(p.creator, p.id)), p.drop);
  assert.equal(await first(findDropPda(p.creator, 'x'.repeat(40))), p.longIdDrop);
  assert.equal(await first(findCollectionMintPda({ drop })), p.collectionMint);
  assert.equal(await first(findVaultPda({ drop })), p.vault);
  assert.equal(await first(findItemTiersPda({ drop })), p.itemTiers);
  assert.equal(await first(findTierPda(drop, 0)), p.tier0);
  assert.equal(await first(findTierPda(drop, 7)), p.tier7);
  assert.equal(await first(findWalletRecordPda({ tier: p.tier0, wallet: p.wallet })), p.walletRecord);
  assert.equal(await first(findHolderRecordPda(p.tier0, p.itemMint1)), p.holderRecord);
  assert.equal(await first(findVoucherNoncePda(p.tier0, 42n)), p.voucherNonce42);
  assert.equal(await first(findItemMintPda(drop, 1)), p.itemMint1);
  assert.equal(await first(findItemMintPda(drop, 70_000n)), p.itemMint70000);
  assert.equal(await first(findBenefitPda(drop, 2)), p.benefit2);
  assert.equal(await first(findRedemptionPda(p.benefit2, 5)), p.redemption5);
  assert.equal(await first(findLedgerPda({ drop, mint: p.mint })), p.ledger);
  assert.equal(await first(findEventAuthorityPda()), p.eventAuthority);
  assert.equal(await first(findAssociatedTokenPda(p.wallet, p.mint)), p.associatedToken);
  assert.equal(
    await first(findAssociatedTokenPda(p.wallet, p.mint, TOKEN_2022_PROGRAM_ADDRESS)),
    p.associatedToken2022,
  );
  assert.notEqual(ASSOCIATED_TOKEN_PROGRAM_ADDRESS, MICRODROP_PROGRAM_ADDRESS);
});

test('allow-list leaves, roots and proofs are the Rust SDK’s, and proofs verify', async () => {
  const v = vectors.allowlist;
  const first = v.entries[0];
  assert.equal(hex(await allowListLeaf(v.drop, v.tierId, first.wallet, first.allowance)), v.leaf);
  const list = await AllowList.build(v.drop, v.tierId, v.entries);
  assert.equal(hex(list.root), v.root);
  for (const expected of v.proofs) {
    const got = list.proof(expected.wallet);
    assert.ok(got, expected.wallet);
    assert.equal(got.allowance, expected.allowance);
    assert.deepEqual(got.proof.map(hex), expected.proof);
    const leaf = await allowListLeaf(v.drop, v.tierId, expected.wallet, expected.allowance);
    assert.ok(await verifyAllowListProof(list.root, leaf, got.proof));
    // A raised allowance or another tier proves nothing.
    const raised = await allowListLeaf(v.drop, v.tierId, expected.wallet, expected.allowance + 1);
    assert.equal(await verifyAllowListProof(list.root, raised, got.proof), false);
    const otherTier = await allowListLeaf(v.drop, v.tierId + 1, expected.wallet, expected.allowance);
    assert.equal(await verifyAllowListProof(list.root, otherTier, got.proof), false);
  }
  assert.equal(list.proof(vectors.pdas.wallet), undefined);
  await assert.rejects(AllowList.build(v.drop, v.tierId, []), /empty/);
  await assert.rejects(
    AllowList.build(v.drop, v.tierId, [first, first]),
    /listed twice/,
  );
  await assert.rejects(
    AllowList.build(v.drop, v.tierId, [{ wallet: first.wallet, allowance: 0 }]),
    /allowance of 0/,
  );
});

test('vouchers encode and carry their Ed25519 instruction as the Rust SDK’s do', () => {
  const v = vectors.voucher;
  const message = {
    program: v.program,
    drop: v.drop,
    tierId: v.tierId,
    wallet: v.wallet,
    maxQuantity: v.maxQuantity,
    expires: BigInt(v.expires),
    region: v.region,
    nonce: BigInt(v.nonce),
    singleUse: v.singleUse,
    salt: bytes(v.salt),
  };
  const encoded = encodeVoucher(message);
  assert.equal(hex(encoded), v.encoded);
  const signer = new Uint8Array(getAddressEncoder().encode(v.signer));
  const instruction = ed25519Instruction(signer, bytes(v.signature), encoded);
  assert.equal(instruction.programAddress, ED25519_PROGRAM_ADDRESS);
  assert.equal(hex(new Uint8Array(instruction.data ?? [])), v.ed25519Data);
  assert.throws(() => encodeVoucher({ ...message, region: 'de' }), /region/);
  assert.throws(() => encodeVoucher({ ...message, salt: new Uint8Array(31) }), /salt/);
  assert.equal(getBase58Decoder().decode(signer), v.signer);
});

test('each standard’s item accounts and most items per mint are the Rust SDK’s', async () => {
  const { drop, wallet } = vectors.pdas;
  assert.deepEqual(await itemAccounts(ItemStandard.TokenMetadata, drop, wallet, 4), vectors.itemAccounts.tokenMetadata);
  assert.deepEqual(await itemAccounts(ItemStandard.Token2022, drop, wallet, 4n), vectors.itemAccounts.token2022);
  assert.equal(maxItemsPerMint(ItemStandard.TokenMetadata), vectors.constants.maxItemsPerMint.tokenMetadata);
  assert.equal(maxItemsPerMint(ItemStandard.Token2022), vectors.constants.maxItemsPerMint.token2022);
  assert.equal(OPEN_SUPPLY, BigInt(vectors.constants.openSupply));
  assert.equal(MAX_SUPPLY, BigInt(vectors.constants.maxSupply));
  assert.equal(MAX_REFUND_ITEMS, vectors.constants.maxRefundItems);
  assert.equal((await findItemPricesPda(drop))[0], vectors.constants.itemPricesPda);
});

test('events decode from their self-invocation data as the Rust SDK encodes them', () => {
  const v = vectors.event;
  const event = decodeMicrodropEvent(bytes(v.data));
  assert.ok(event && event.name === 'itemsMinted', String(event?.name));
  const data = event.data as ItemsMinted;
  assert.equal(data.drop, v.drop);
  assert.equal(data.tier, v.tier);
  assert.equal(data.buyer, v.buyer);
  assert.deepEqual(data.mints, v.mints);
  assert.equal(data.firstIndex, BigInt(v.firstIndex));
  assert.equal(data.paid, BigInt(v.paid));
  assert.equal(data.timestamp, BigInt(v.timestamp));
  // Other instruction data is no event.
  assert.equal(decodeMicrodropEvent(bytes(v.data).slice(8)), undefined);
  const wrong = bytes(v.data);
  wrong[8] ^= 1;
  assert.equal(decodeMicrodropEvent(wrong), undefined);
});

test('the fee policy is the Rust SDK’s: the automatic priority fee and the sized compute-unit limit', () => {
  for (const { recent, fee } of vectors.fees.autoPriorityFee) {
    assert.equal(autoPriorityFee(recent.map(BigInt)), BigInt(fee), `recent ${recent}`);
  }
  for (const { consumed, headroomPercent, limit } of vectors.fees.computeUnitLimit) {
    assert.equal(sizedComputeUnitLimit(BigInt(consumed), headroomPercent), limit, `consumed ${consumed}`);
  }
  assert.equal(parsePriorityFee('auto'), 'auto');
  assert.equal(parsePriorityFee('0'), 'none');
  assert.equal(parsePriorityFee('2500'), 2500n);
  assert.throws(() => parsePriorityFee('fast'), /priority fee "fast"/);
  assert.throws(() => parsePriorityFee('-1'), /micro-lamports/);
});

test('the accounts a priority fee is read for are the writable ones, once each, in byte order', () => {
  const a = vectors.pdas.drop as Address;
  const b = vectors.pdas.vault as Address;
  const c = vectors.pdas.tier0 as Address;
  const program = vectors.pdas.creator as Address;
  const accounts = writableAccounts([
    { programAddress: program, accounts: [{ address: a, role: AccountRole.WRITABLE }, { address: c, role: AccountRole.READONLY }] },
    { programAddress: program, accounts: [{ address: b, role: AccountRole.WRITABLE_SIGNER }, { address: a, role: AccountRole.WRITABLE }] },
    { programAddress: program },
  ]);
  const encoder = getAddressEncoder();
  const expected = [a, b].sort((x, y) => Buffer.compare(Buffer.from(encoder.encode(x)), Buffer.from(encoder.encode(y))));
  assert.deepEqual(accounts, expected);
});

test('the item-tier table reads as the program writes it', () => {
  const table = bytes(vectors.itemTiers.table);
  for (const [index, tier] of vectors.itemTiers.tiers) {
    assert.equal(itemTierFromTable(table, BigInt(index)), tier ?? undefined, `item ${index}`);
  }
});
