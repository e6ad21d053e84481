// The client against `microdrop sandbox serve`, as a wallet uses it: a Token-2022 drop
// launched by the CLI, three items minted in one transaction signed in TypeScript and
// confirmed through the websocket endpoint, a refusal decoded to the program's error, and
// a burn for a benefit that closes the items' accounts.
//
// It runs the `microdrop` binary that `cargo test --workspace` builds (the README's test
// command runs that first); build it with `cargo build -p microdrop-cli` to run this alone.
import assert from 'node:assert/strict';
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import {
  type Address,
  appendTransactionMessageInstructions,
  assertIsTransactionWithBlockhashLifetime,
  createSolanaRpc,
  createSolanaRpcSubscriptions,
  createTransactionMessage,
  generateKeyPairSigner,
  getSignatureFromTransaction,
  type Instruction,
  lamports,
  pipe,
  sendAndConfirmTransactionFactory,
  setTransactionMessageFeePayerSigner,
  setTransactionMessageLifetimeUsingBlockhash,
  signTransactionMessageWithSigners,
  type TransactionSigner,
} from '@solana/kit';

import {
  eventsOfTransaction,
  fetchDrop,
  findItemMintPda,
  getMintItemsInstructions,
  getRedeemItemsInstruction,
  isMicrodropError,
  type ItemsMinted,
  ItemStandard,
  MICRODROP_ERROR__MINT_QUANTITY_TOO_LARGE,
  TOKEN_2022_PROGRAM_ADDRESS,
  type TransactionWithInnerInstructions,
} from '../src';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const binary = join(root, 'target/debug/microdrop');
const dir = mkdtempSync(join(tmpdir(), 'microdrop-js-'));
let server: ChildProcess;
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
  server = spawn(binary, ['--sandbox-dir', join(dir, 'sandbox'), '--output', 'json', 'sandbox', 'serve', '--bind', '127.0.0.1:0'], {
    cwd: dir,
    env: { ...process.env, HOME: dir, RUST_LOG: 'error' },
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const [line] = await new Promise<string[]>((resolve) =>
    createInterface({ input: server.stdout! }).once('line', (l) => resolve([l])),
  );
  ({ rpc: rpcUrl, websocket: wsUrl } = JSON.parse(line));
  // The example drop, with its benefit open to every tier.
  const example = readFileSync(join(root, 'examples/drop.toml'), 'utf8').replace('tiers = ["presale"]\n', '');
  writeFileSync(join(dir, 'drop.toml'), example);
  copyFileSync(join(root, 'examples/presale.csv'), join(dir, 'presale.csv'));
});

after(() => {
  server?.kill('SIGTERM');
});

/** Signs and sends `instructions` with `payer`, confirmed through the websocket. */
async function send(payer: TransactionSigner, instructions: Instruction[]) {
  const rpc = createSolanaRpc(rpcUrl);
  const rpcSubscriptions = createSolanaRpcSubscriptions(wsUrl);
  const { value: blockhash } = await rpc.getLatestBlockhash().send();
  const budget: Instruction = {
    programAddress: 'ComputeBudget111111111111111111111111111111' as Address,
    data: new Uint8Array([2, 0xc0, 0x5c, 0x15, 0x00]), // SetComputeUnitLimit(1,400,000)
  };
  const message = pipe(
    createTransactionMessage({ version: 0 }),
    (m) => setTransactionMessageFeePayerSigner(payer, m),
    (m) => setTransactionMessageLifetimeUsingBlockhash(blockhash, m),
    (m) => appendTransactionMessageInstructions([budget, ...instructions], m),
  );
  const transaction = await signTransactionMessageWithSigners(message);
  assertIsTransactionWithBlockhashLifetime(transaction);
  await sendAndConfirmTransactionFactory({ rpc, rpcSubscriptions })(transaction, { commitment: 'confirmed' });
  return getSignatureFromTransaction(transaction);
}

test('a wallet mints Token-2022 items, sees a refusal by name, and burns items for a benefit', async () => {
  const launched = cli('launch', 'drop.toml');
  const drop = launched.drop as Address;
  cli('sandbox', 'warp', '2030-06-02T16:00:00Z');
  const rpc = createSolanaRpc(rpcUrl);
  const buyer = await generateKeyPairSigner();
  await rpc.requestAirdrop(buyer.address, lamports(5_000_000_000n)).send();

  let state = (await fetchDrop(rpc, drop)).data;
  assert.equal(state.standard, ItemStandard.Token2022);
  const mint = await getMintItemsInstructions({ buyer, drop, state, tierId: 1, quantity: 3 });
  const signature = await send(buyer, mint);
  state = (await fetchDrop(rpc, drop)).data;
  assert.equal(state.minted, 3n);
  const { value: held } = await rpc
    .getTokenAccountsByOwner(buyer.address, { programId: TOKEN_2022_PROGRAM_ADDRESS }, { encoding: 'jsonParsed' })
    .send();
  const mints = held.map((account) => (account.account.data as any).parsed.info.mint).sort();
  const expected = await Promise.all([1, 2, 3].map(async (i) => (await findItemMintPda(drop, i))[0]));
  assert.deepEqual(mints, [...expected].sort());
  // The mint's event, from the transaction's inner instructions.
  const landed = await rpc
    .getTransaction(signature, { encoding: 'json', maxSupportedTransactionVersion: 0 })
    .send();
  const events = eventsOfTransaction(landed as unknown as TransactionWithInnerInstructions);
  assert.equal(events.length, 1);
  assert.equal(events[0].name, 'itemsMinted');
  const minted = events[0].data as ItemsMinted;
  assert.deepEqual(minted.mints, expected);
  assert.equal(minted.buyer, buyer.address);
  assert.equal(minted.paid, 3n * 350_000_000n);

  // Four items are more than one mint makes: the program's error, by name.
  const tooMany = await getMintItemsInstructions({ buyer, drop, state, tierId: 1, quantity: 4 });
  await assert.rejects(send(buyer, tooMany), (error: Error) => {
    // The preflight failure's cause is the instruction's error, as on devnet.
    const message = {
      instructions: { 0: { programAddress: 'ComputeBudget111111111111111111111111111111' as Address }, 1: tooMany[0] },
    };
    return isMicrodropError(error.cause, message, MICRODROP_ERROR__MINT_QUANTITY_TOO_LARGE);
  });

  // The example's benefit burns two items; their mints and token accounts close.
  const redeem = await getRedeemItemsInstruction({ holder: buyer, drop, state, benefitId: 0, redeemed: 0n, indexes: [1n, 2n] });
  await send(buyer, [redeem]);
  const { value: closed } = await rpc.getMultipleAccounts([expected[0], expected[1]]).send();
  assert.deepEqual(closed, [null, null]);
  state = (await fetchDrop(rpc, drop)).data;
  assert.equal(state.burned, 2n);
});
