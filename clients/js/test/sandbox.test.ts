// The client against `microdrop sandbox serve`, as a wallet uses it. A Token-2022 drop is
// launched by the CLI; then, all through @solana/kit with its RPC and subscriptions on the
// server: the drop and tiers are fetched and decoded, eligibility agrees with the CLI's,
// items are minted from an allow-listed tier with a proof, with a voucher, and (three in
// one transaction) from the public tier, the mint's event is decoded, a refusal is decoded
// to the program's error, and items are burned for a benefit.
//
// It runs the `microdrop` binary that `cargo test --workspace` builds (the README's test
// command runs that first); build it with `cargo build -p microdrop-cli` to run this alone.
import assert from 'node:assert/strict';
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import {
  AccountRole,
  type Address,
  appendTransactionMessageInstructions,
  assertIsTransactionWithBlockhashLifetime,
  createSolanaRpc,
  createSolanaRpcSubscriptions,
  createTransactionMessage,
  generateKeyPairSigner,
  getAddressEncoder,
  getBase58Decoder,
  getBase64Encoder,
  getSignatureFromTransaction,
  type Instruction,
  isSome,
  lamports,
  pipe,
  sendAndConfirmTransactionFactory,
  setTransactionMessageFeePayerSigner,
  setTransactionMessageLifetimeUsingBlockhash,
  signBytes,
  signTransactionMessageWithSigners,
  type TransactionSigner,
} from '@solana/kit';

import {
  AllowList,
  eligibility,
  encodeVoucher,
  eventsOfTransaction,
  fetchCurrencyUnit,
  fetchHeldItems,
  fetchTokenSymbol,
  fetchAllTier,
  fetchDrop,
  findAssociatedTokenPda,
  findMetadataPda,
  isVerifiedTokenMetadataMember,
  findItemMintPda,
  findTierPda,
  getMintItemsInstructions,
  getRedeemItemsInstruction,
  getRefundItemsInstruction,
  isMicrodropError,
  type ItemsMinted,
  type Refunded,
  ItemStandard,
  MICRODROP_ERROR__MINT_QUANTITY_TOO_LARGE,
  MICRODROP_ERROR__REFUND_ALREADY_CLAIMED,
  MICRODROP_PROGRAM_ADDRESS,
  priorityFeeFor,
  TOKEN_2022_PROGRAM_ADDRESS,
  thresholdState,
  TOKEN_PROGRAM_ADDRESS,
  type TransactionWithInnerInstructions,
} from '../src';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const binary = join(root, 'target/debug/microdrop');
const dir = mkdtempSync(join(tmpdir(), 'microdrop-js-'));
const BUDGET = 'ComputeBudget111111111111111111111111111111' as Address;
let server: ChildProcess;
/** The first test's Token-2022 drop and its buyer, whose items gate a later tier. */
let fan: { signer: TransactionSigner; collection: Address; item: Address } | undefined;
let rpcUrl = '';
let wsUrl = '';

/** Runs the CLI on the served sandbox directory and returns its JSON. */
function cli(...args: string[]) {
  const out = execFileSync(binary, ['--sandbox-dir', join(dir, 'sandbox'), '--output', 'json', ...args], {
    cwd: dir,
    env: { ...process.env, HOME: dir, RUST_LOG: 'error' },
  });
  return JSON.parse(out.toString());
}

before(async () => {
  assert.ok(existsSync(binary), `${binary} is missing: run \`cargo build -p microdrop-cli\` first`);
  server = spawn(
    binary,
    ['--sandbox-dir', join(dir, 'sandbox'), '--output', 'json', 'sandbox', 'serve', '--bind', '127.0.0.1:0'],
    { cwd: dir, env: { ...process.env, HOME: dir, RUST_LOG: 'error' }, stdio: ['ignore', 'pipe', 'ignore'] },
  );
  const line = await new Promise<string>((resolve) =>
    createInterface({ input: server.stdout! }).once('line', resolve),
  );
  ({ rpc: rpcUrl, websocket: wsUrl } = JSON.parse(line));
});

after(() => {
  server?.kill('SIGTERM');
});

/**
 * Signs and sends `instructions` with `payer`, confirmed through the websocket; with a
 * compute-unit price (micro-lamports) when `price` is given.
 */
async function send(payer: TransactionSigner, instructions: Instruction[], price?: bigint) {
  const rpc = createSolanaRpc(rpcUrl);
  const rpcSubscriptions = createSolanaRpcSubscriptions(wsUrl);
  const { value: blockhash } = await rpc.getLatestBlockhash().send();
  const budget: Instruction = {
    programAddress: BUDGET,
    data: new Uint8Array([2, 0xc0, 0x5c, 0x15, 0x00]), // SetComputeUnitLimit(1,400,000)
  };
  const priced: Instruction[] = [];
  if (price !== undefined) {
    const data = new Uint8Array(9);
    data[0] = 3; // SetComputeUnitPrice
    new DataView(data.buffer).setBigUint64(1, price, true);
    priced.push({ programAddress: BUDGET, data });
  }
  const message = pipe(
    createTransactionMessage({ version: 0 }),
    (m) => setTransactionMessageFeePayerSigner(payer, m),
    (m) => setTransactionMessageLifetimeUsingBlockhash(blockhash, m),
    (m) => appendTransactionMessageInstructions([budget, ...priced, ...instructions], m),
  );
  const transaction = await signTransactionMessageWithSigners(message);
  assertIsTransactionWithBlockhashLifetime(transaction);
  await sendAndConfirmTransactionFactory({ rpc, rpcSubscriptions })(transaction, { commitment: 'confirmed' });
  return getSignatureFromTransaction(transaction);
}

test('a wallet reads a Token-2022 drop, mints through a list, a voucher and the public tier, and burns', async () => {
  const rpc = createSolanaRpc(rpcUrl);
  const buyer = await generateKeyPairSigner();
  const voucherSigner = await generateKeyPairSigner();
  // The example drop with the buyer on its presale list, a voucher tier, and its benefit
  // open to every tier.
  const entries = [{ wallet: buyer.address, allowance: 2 }];
  for (let i = 0; i < 3; i++) entries.push({ wallet: (await generateKeyPairSigner()).address, allowance: 1 });
  writeFileSync(join(dir, 'presale.csv'), 'wallet,allowance\n' + entries.map((e) => `${e.wallet},${e.allowance}\n`).join(''));
  const config =
    readFileSync(join(root, 'examples/drop.toml'), 'utf8').replace('tiers = ["presale"]\n', '') +
    `\n[[tier]]\nlabel = "vouched"\nstart = "2030-06-01T16:00:00Z"\nend = "2030-06-09T16:00:00Z"\n` +
    `price = "0.1"\nsupply = 10\nper_wallet = 5\nvoucher_signer = "${voucherSigner.address}"\n`;
  writeFileSync(join(dir, 'drop.toml'), config);
  const drop = cli('launch', 'drop.toml').drop as Address;
  await rpc.requestAirdrop(buyer.address, lamports(10_000_000_000n)).send();

  // The drop and its tiers, decoded.
  let state = (await fetchDrop(rpc, drop)).data;
  assert.equal(state.standard, ItemStandard.Token2022);
  assert.equal(state.tierCount, 3);
  const tierAddresses = await Promise.all([0, 1, 2].map(async (id) => (await findTierPda(drop, id))[0]));
  const tiers = (await fetchAllTier(rpc, tierAddresses)).map((t) => t.data);
  assert.deepEqual(tiers.map((t) => t.label), ['presale', 'public', 'vouched']);
  assert.equal(tiers[1].price, 350_000_000n);

  // During the presale: eligibility as the CLI (the Rust SDK) answers it.
  const presale = 1906563600n; // 2030-06-01T17:00:00Z
  cli('sandbox', 'warp', String(presale));
  const list = await AllowList.build(drop, 0, entries);
  assert.ok(isSome(tiers[0].allowlistRoot));
  assert.deepEqual([...tiers[0].allowlistRoot.value], [...list.root], 'the same tree as the CLI built');
  const ours = await eligibility(rpc, drop, buyer.address, { allowLists: { 0: list }, now: presale });
  const theirs = cli('eligibility', 'drop.toml', '--wallet', buyer.address).tiers;
  assert.deepEqual(
    ours.map((t) => [t.id, t.eligible, Number(t.quantity), t.reason ?? null]),
    theirs.map((t: any) => [t.id, t.eligible, t.quantity, t.reason ?? null]),
  );

  // The allow-listed tier, with the buyer's proof.
  const proof = list.proof(buyer.address)!;
  await send(buyer, await getMintItemsInstructions({ buyer, drop, state, tierId: 0, quantity: 2, ...proof }));
  // The voucher tier: the service signs, the wallet mints.
  state = (await fetchDrop(rpc, drop)).data;
  const message = {
    program: MICRODROP_PROGRAM_ADDRESS,
    drop,
    tierId: 2,
    wallet: buyer.address,
    maxQuantity: 1,
    expires: presale + 3_600n,
    region: 'DE',
    nonce: 1n,
    singleUse: true,
    salt: new Uint8Array(state.voucherSalt),
  };
  const signature = await signBytes(voucherSigner.keyPair.privateKey, encodeVoucher(message));
  const voucher = { message, signer: new Uint8Array(getAddressEncoder().encode(voucherSigner.address)), signature };
  await send(buyer, await getMintItemsInstructions({ buyer, drop, state, tierId: 2, quantity: 1, voucher }));
  state = (await fetchDrop(rpc, drop)).data;
  assert.equal(state.minted, 3n);

  // The public tier: three items in one transaction, and its event.
  cli('sandbox', 'warp', '2030-06-02T16:00:00Z');
  const mint = await getMintItemsInstructions({ buyer, drop, state, tierId: 1, quantity: 3 });
  const landedSignature = await send(buyer, mint);
  state = (await fetchDrop(rpc, drop)).data;
  assert.equal(state.minted, 6n);
  const expected = await Promise.all([1, 2, 3, 4, 5, 6].map(async (i) => (await findItemMintPda(drop, i))[0]));
  const { value: held } = await rpc
    .getTokenAccountsByOwner(buyer.address, { programId: TOKEN_2022_PROGRAM_ADDRESS }, { encoding: 'jsonParsed' })
    .send();
  const mints = held.map((account) => (account.account.data as any).parsed.info.mint).sort();
  assert.deepEqual(mints, [...expected].sort());
  // What a page lists: each item by index with the tier that sold it (presale, voucher, public).
  // Its collection's symbol, from its Token-2022 metadata.
  assert.deepEqual(await fetchCurrencyUnit(rpc, { __kind: 'Spl', mint: state.collectionMint }), {
    symbol: 'ZINE',
    decimals: 0,
  });
  const holdings = async () =>
    (await fetchHeldItems(rpc, drop, ItemStandard.Token2022, buyer.address)).map((h) => [h.index, h.mint, h.tier]);
  assert.deepEqual(await holdings(), expected.map((m, k) => [BigInt(k + 1), m, [0, 0, 2, 1, 1, 1][k]]));
  const landed = await rpc
    .getTransaction(landedSignature, { encoding: 'json', maxSupportedTransactionVersion: 0 })
    .send();
  const events = eventsOfTransaction(landed as unknown as TransactionWithInnerInstructions);
  assert.equal(events.length, 1);
  assert.equal(events[0].name, 'itemsMinted');
  const minted = events[0].data as ItemsMinted;
  assert.deepEqual(minted.mints, expected.slice(3));
  assert.equal(minted.buyer, buyer.address);
  assert.equal(minted.paid, 3n * 350_000_000n);

  // Four items are more than one mint makes: the program's error, by name.
  const tooMany = await getMintItemsInstructions({ buyer, drop, state, tierId: 1, quantity: 4 });
  await assert.rejects(send(buyer, tooMany), (error: Error) => {
    // The preflight failure's cause is the instruction's error, as on devnet.
    const sent = { instructions: { 0: { programAddress: BUDGET }, 1: tooMany[0] } };
    return isMicrodropError(error.cause, sent, MICRODROP_ERROR__MINT_QUANTITY_TOO_LARGE);
  });

  // The example's benefit burns two items; their mints and token accounts close.
  const redeem = await getRedeemItemsInstruction({
    holder: buyer,
    drop,
    state,
    benefitId: 0,
    redeemed: 0n,
    indexes: [1n, 2n],
  });
  await send(buyer, [redeem]);
  const { value: closed } = await rpc.getMultipleAccounts([expected[0], expected[1]]).send();
  assert.deepEqual(closed, [null, null]);
  state = (await fetchDrop(rpc, drop)).data;
  assert.equal(state.burned, 2n);
  assert.deepEqual((await holdings()).map(([index]) => index), [3n, 4n, 5n, 6n]);
  fan = { signer: buyer, collection: state.collectionMint, item: expected[2] };
});

test('@solana/kit alone sends through the server; fees and currency units read the chain as the CLI does', async () => {
  const rpc = createSolanaRpc(rpcUrl);
  const from = await generateKeyPairSigner();
  const to = await generateKeyPairSigner();
  await rpc.requestAirdrop(from.address, lamports(1_000_000_000n)).send();
  const transfer = (sender: TransactionSigner, recipient: Address, amount: bigint) => {
    const data = new Uint8Array(12);
    new DataView(data.buffer).setUint32(0, 2, true); // System program: Transfer
    new DataView(data.buffer).setBigUint64(4, amount, true);
    return {
      programAddress: '11111111111111111111111111111111' as Address,
      accounts: [
        { address: sender.address, role: AccountRole.WRITABLE_SIGNER, signer: sender },
        { address: recipient, role: AccountRole.WRITABLE },
      ],
      data,
    };
  };
  await send(from, [transfer(from, to.address, 250_000_000n)]);
  const { value: balance } = await rpc.getBalance(to.address).send();
  assert.equal(balance, 250_000_000n);

  // The automatic priority fee reads what recent transactions paid to write the same
  // accounts: one priced transfer to a fresh account sets it for that account alone.
  const priced = (await generateKeyPairSigner()).address;
  const untouched = (await generateKeyPairSigner()).address;
  const payer = await generateKeyPairSigner();
  await rpc.requestAirdrop(payer.address, lamports(1_000_000_000n)).send();
  await send(payer, [transfer(payer, priced, 1_000_000n)], 5_000n);
  const writing = (account: Address) => ({
    programAddress: '11111111111111111111111111111111' as Address,
    accounts: [{ address: account, role: AccountRole.WRITABLE }],
  });
  assert.equal(await priorityFeeFor(rpc, [writing(priced)], 'auto'), 5_000n);
  assert.equal(await priorityFeeFor(rpc, [writing(untouched)], 'auto'), 0n);
  assert.equal(await priorityFeeFor(rpc, [writing(priced)], 'none'), 0n);
  assert.equal(await priorityFeeFor(rpc, [writing(priced)], 7n), 7n);

  // A token without metadata reads by its shortened address, with its own decimals.
  const mint = await generateKeyPairSigner();
  const space = 82n;
  const rent = await rpc.getMinimumBalanceForRentExemption(space).send();
  const create = new Uint8Array(52);
  const view = new DataView(create.buffer);
  view.setUint32(0, 0, true); // System program: CreateAccount
  view.setBigUint64(4, rent, true);
  view.setBigUint64(12, space, true);
  create.set(getAddressEncoder().encode(TOKEN_PROGRAM_ADDRESS), 20);
  const initialize = new Uint8Array(67);
  initialize[0] = 20; // SPL Token: InitializeMint2
  initialize[1] = 6;
  initialize.set(getAddressEncoder().encode(payer.address), 2);
  const createMint = {
    programAddress: '11111111111111111111111111111111' as Address,
    accounts: [
      { address: payer.address, role: AccountRole.WRITABLE_SIGNER, signer: payer },
      { address: mint.address, role: AccountRole.WRITABLE_SIGNER, signer: mint },
    ],
    data: create,
  };
  const initializeMint = {
    programAddress: TOKEN_PROGRAM_ADDRESS,
    accounts: [{ address: mint.address, role: AccountRole.WRITABLE }],
    data: initialize,
  };
  await send(payer, [createMint, initializeMint]);
  assert.deepEqual(await fetchCurrencyUnit(rpc, { __kind: 'Spl', mint: mint.address }), {
    symbol: `${mint.address.slice(0, 4)}…${mint.address.slice(-4)}`,
    decimals: 6,
  });
  assert.deepEqual(await fetchCurrencyUnit(rpc, { __kind: 'Sol' }), { symbol: 'SOL', decimals: 9 });
  await assert.rejects(fetchCurrencyUnit(rpc, { __kind: 'Spl', mint: payer.address }), /is not a token mint/);
});

test('the same helpers mint and burn Token Metadata items', async () => {
  const rpc = createSolanaRpc(rpcUrl);
  const buyer = await generateKeyPairSigner();
  await rpc.requestAirdrop(buyer.address, lamports(10_000_000_000n)).send();
  const config = readFileSync(join(root, 'examples/drop.toml'), 'utf8')
    .replace('id = "spring-zine"', 'id = "classic"')
    .replace('standard = "token-2022"', 'standard = "token-metadata"')
    .replace('tiers = ["presale"]\n', '') +
    // Holders of the first drop's Token-2022 items may mint here too.
    `\n[[tier]]\nlabel = "holders"\nstart = "2030-06-01T16:00:00Z"\nend = "2030-06-09T16:00:00Z"\n` +
    `price = "0.01"\nsupply = 10\nper_wallet = 2\nholder_of = "${fan!.collection}"\n`;
  writeFileSync(join(dir, 'classic.toml'), config);
  const drop = cli('launch', 'classic.toml').drop as Address;
  cli('sandbox', 'warp', '2030-06-03T16:00:00Z');
  let state = (await fetchDrop(rpc, drop)).data;
  assert.equal(state.standard, ItemStandard.TokenMetadata);
  // One item per transaction: a Token Metadata item's accounts fill a legacy-sized one.
  for (let i = 0; i < 2; i++) {
    state = (await fetchDrop(rpc, drop)).data;
    await send(buyer, await getMintItemsInstructions({ buyer, drop, state, tierId: 1, quantity: 1 }));
  }
  state = (await fetchDrop(rpc, drop)).data;
  assert.equal(state.minted, 2n);
  const items = await Promise.all([1, 2].map(async (i) => (await findItemMintPda(drop, i))[0]));
  const { value: held } = await rpc
    .getTokenAccountsByOwner(buyer.address, { programId: TOKEN_PROGRAM_ADDRESS }, { encoding: 'jsonParsed' })
    .send();
  assert.deepEqual(held.map((a) => (a.account.data as any).parsed.info.mint).sort(), [...items].sort());
  // Its collection's symbol, from Token Metadata.
  assert.deepEqual((await fetchTokenSymbol(rpc, state.collectionMint)).symbol, 'ZINE');
  const listed = await fetchHeldItems(rpc, drop, ItemStandard.TokenMetadata, buyer.address);
  assert.deepEqual(listed.map((h) => [h.index, h.mint, h.tier]), [[1n, items[0], 1], [2n, items[1], 1]]);
  // What a gate on this collection reads: the item's metadata, verified into it.
  const { value: metadata } = await rpc.getAccountInfo(await findMetadataPda(items[0]), { encoding: 'base64' }).send();
  const metadataBytes = new Uint8Array(getBase64Encoder().encode(metadata!.data[0]));
  const base58 = getBase58Decoder();
  assert.ok(isVerifiedTokenMetadataMember(metadataBytes, state.collectionMint, (b) => base58.decode(b)));
  assert.ok(!isVerifiedTokenMetadataMember(metadataBytes, fan!.collection, (b) => base58.decode(b)));
  const redeem = await getRedeemItemsInstruction({ holder: buyer, drop, state, benefitId: 0, redeemed: 0n, indexes: [1n, 2n] });
  await send(buyer, [redeem]);
  state = (await fetchDrop(rpc, drop)).data;
  assert.equal(state.burned, 2n);
  const { value: after } = await rpc
    .getTokenAccountsByOwner(buyer.address, { programId: TOKEN_PROGRAM_ADDRESS }, { encoding: 'jsonParsed' })
    .send();
  assert.equal(after.length, 0, 'the token accounts closed');

  // The holder gate, on a Token-2022 collection: eligibility says why the buyer may not,
  // as the CLI does, and lets the first drop's buyer mint with its item as the proof.
  const now = 1906819200n; // 2030-06-03T16:00:00Z
  const stranger = (await eligibility(rpc, drop, buyer.address, { now }))[2];
  const cliStranger = cli('eligibility', 'classic.toml', '--wallet', buyer.address).tiers[2];
  assert.deepEqual([stranger.eligible, stranger.reason], [cliStranger.eligible, cliStranger.reason]);
  assert.equal(stranger.reason, 'not_holder');
  const holder = fan!.signer;
  const allowed = (await eligibility(rpc, drop, holder.address, { now }))[2];
  const cliAllowed = cli('eligibility', 'classic.toml', '--wallet', holder.address).tiers[2];
  assert.deepEqual([allowed.eligible, Number(allowed.quantity)], [cliAllowed.eligible, cliAllowed.quantity]);
  assert.equal(allowed.quantity, 2n);
  state = (await fetchDrop(rpc, drop)).data;
  const token = (await findAssociatedTokenPda(holder.address, fan!.item, TOKEN_2022_PROGRAM_ADDRESS))[0];
  await send(
    holder,
    await getMintItemsInstructions({
      buyer: holder,
      drop,
      state,
      tierId: 2,
      quantity: 1,
      holder: { token, proof: fan!.item },
    }),
  );
  state = (await fetchDrop(rpc, drop)).data;
  assert.equal(state.minted, 3n);
  // The holder's items here: its Token Metadata item; its Token-2022 items, which name
  // their indexes too, are the first drop's and do not count.
  const third = (await findItemMintPda(drop, 3))[0];
  const here = await fetchHeldItems(rpc, drop, ItemStandard.TokenMetadata, holder.address);
  assert.deepEqual(here.map((h) => [h.index, h.mint, h.tier]), [[3n, third, 2]]);
  assert.equal((await fetchHeldItems(rpc, drop, ItemStandard.Token2022, holder.address)).length, 0);
});

test('a preorder that falls short refunds a wallet through the same helpers', async () => {
  const rpc = createSolanaRpc(rpcUrl);
  const buyer = await generateKeyPairSigner();
  await rpc.requestAirdrop(buyer.address, lamports(10_000_000_000n)).send();
  writeFileSync(
    join(dir, 'preorder.toml'),
    '[drop]\nid = "preorder"\nname = "Pre"\nsymbol = "PRE"\nuri = "https://example.com/c.json"\n' +
      'item_uri = "https://example.com/{index}.json"\nsupply = 20\nstandard = "token-2022"\n' +
      'minimum = 10\ndeadline = "2030-06-05T16:00:00Z"\n\n[[tier]]\nlabel = "early"\n' +
      'start = "2030-06-01T16:00:00Z"\nend = "2030-06-09T16:00:00Z"\nprice = "0.25"\nsupply = 20\nper_wallet = 3\n',
  );
  const drop = cli('launch', 'preorder.toml').drop as Address;
  let state = (await fetchDrop(rpc, drop)).data;
  assert.deepEqual([state.minimum, state.deadline], [10n, 1906905600n]);
  // The mint carries the item-price table, which records both prices.
  await send(buyer, await getMintItemsInstructions({ buyer, drop, state, tierId: 0, quantity: 2 }));
  state = (await fetchDrop(rpc, drop)).data;
  assert.equal(state.escrowed, 500_000_000n);
  assert.equal(thresholdState(state, 1906905600n), 'pending');

  // Past the deadline below the minimum: failed, as eligibility and the CLI say.
  cli('sandbox', 'warp', '2030-06-05T16:00:01Z');
  assert.equal(thresholdState(state, 1906905601n), 'failed');
  const [answer] = await eligibility(rpc, drop, buyer.address, { now: 1906905601n });
  assert.equal(answer.reason, 'preorder_failed');
  assert.equal(cli('status', 'preorder.toml').threshold.state, 'failed');

  const before = (await rpc.getBalance(buyer.address).send()).value;
  const refund = await getRefundItemsInstruction({ holder: buyer, drop, state, indexes: [1n, 2n] });
  const signature = await send(buyer, [refund]);
  const landed = await rpc.getTransaction(signature, { encoding: 'json', maxSupportedTransactionVersion: 0 }).send();
  const events = eventsOfTransaction(landed as unknown as TransactionWithInnerInstructions);
  assert.deepEqual(events.map((e) => e.name), ['refunded']);
  assert.equal((events[0].data as Refunded).amount, 500_000_000n);
  const after = (await rpc.getBalance(buyer.address).send()).value;
  assert.ok(after - before > 500_000_000n, 'the price and the items\' rent came back');
  state = (await fetchDrop(rpc, drop)).data;
  assert.deepEqual([state.escrowed, state.refunded, state.burned], [0n, 500_000_000n, 2n]);
  // A second refund of the same items: the program's error, by name.
  const again = await getRefundItemsInstruction({ holder: buyer, drop, state, indexes: [1n] });
  await assert.rejects(send(buyer, [again]), (error: Error) => {
    const sent = { instructions: { 0: { programAddress: BUDGET }, 1: again } };
    return isMicrodropError(error.cause, sent, MICRODROP_ERROR__REFUND_ALREADY_CLAIMED);
  });
});
