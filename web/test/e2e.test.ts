// The mint page and the dashboard in headless Chromium (Debian's, driven by
// playwright-core), against `microdrop sandbox serve`.
//
// A Token-2022 open edition is launched by the CLI; `microdrop site` writes its page, served here
// on loopback; a test wallet, registered through the Wallet Standard and signing with a
// local key, connects, sees its eligibility, mints from the public and the allow-listed
// tiers, sees refusals in words, and burns for a benefit; a Token Metadata drop's page
// mints and burns too. Then `microdrop dashboard`
// shows the sales change after mints made by the CLI, fulfils the redemption and pauses
// the drop. Every transaction the wallet signs carries a compute-unit limit sized from its
// simulation and the page's priority fee, and a cluster with a shorter trace limit gets
// fewer items per transaction. Preorders of both standards show their terms, and once
// they fall short the page refunds the wallet. Screenshots of each page go to
// `web/test-output/`.
//
// It runs the `microdrop` binary that `cargo test --workspace` builds (the README's test
// command runs that first) and `/usr/bin/chromium` (`npm test` installs it when missing).
import assert from 'node:assert/strict';
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import {
  type Address,
  createSolanaRpc,
  getAddressDecoder,
  getBase58Decoder,
  getCompiledTransactionMessageDecoder,
  getTransactionDecoder,
  type Signature,
} from '@solana/kit';
import { type Browser, chromium, type Page } from 'playwright-core';

import { errors } from '../../idl/microdrop.json';
import { REASON_TEXT, sizedComputeUnitLimit } from '@microdrop/client';

const root = fileURLToPath(new URL('../../', import.meta.url));
const binary = join(root, 'target/debug/microdrop');
const chromiumPath = process.env.MICRODROP_CHROMIUM ?? '/usr/bin/chromium';
const output = join(root, 'web/test-output');
const dir = mkdtempSync(join(tmpdir(), 'microdrop-web-'));
const sandboxDir = join(dir, 'sandbox');

let server: ChildProcess;
let dashboard: ChildProcess | undefined;
let siteServer: Server;
let browser: Browser;
let rpcUrl = '';
let siteUrl = '';

/** The test wallet: a fresh Ed25519 key, as the page's wallet and as a CLI keypair. */
const { publicKey, privateKey } = generateKeyPairSync('ed25519');
const publicBytes = Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url');
const pkcs8 = privateKey.export({ format: 'der', type: 'pkcs8' });
const walletAddress = getAddressDecoder().decode(publicBytes);

const message = (name: string) => errors.find((e) => e.name === name)!.msg;

/** Runs the CLI on the served sandbox and returns its JSON. */
function cli(...args: string[]) {
  const out = execFileSync(binary, ['--sandbox-dir', sandboxDir, '--output', 'json', ...args], {
    cwd: dir,
    env: { ...process.env, HOME: dir, RUST_LOG: 'error' },
  });
  return JSON.parse(out.toString());
}

/** Starts a CLI command that prints one JSON line when ready; returns it and the process. */
async function started(args: string[]): Promise<[ChildProcess, Record<string, unknown>]> {
  const child = spawn(binary, ['--sandbox-dir', sandboxDir, '--output', 'json', ...args], {
    cwd: dir,
    env: { ...process.env, HOME: dir, RUST_LOG: 'error' },
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const line = await new Promise<string>((resolve) => createInterface({ input: child.stdout! }).once('line', resolve));
  return [child, JSON.parse(line)];
}

/** Serves `directory` on loopback, as a creator's host would. */
async function serveStatic(directory: string): Promise<[Server, string]> {
  const types: Record<string, string> = {
    '.html': 'text/html',
    '.js': 'text/javascript',
    '.css': 'text/css',
    '.json': 'application/json',
  };
  const httpServer = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://x').pathname;
    const file = join(directory, path === '/' ? 'index.html' : path);
    if (!file.startsWith(directory) || !existsSync(file)) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' });
    response.end(readFileSync(file));
  });
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  const address = httpServer.address() as { port: number };
  return [httpServer, `http://127.0.0.1:${address.port}/`];
}

async function newPage(): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1100, height: 1000 } });
  const script = readFileSync(join(root, 'web/test/wallet.js'), 'utf8').replace(
    'const key = __TEST_WALLET__;',
    `const key = ${JSON.stringify({ address: walletAddress, publicKey: [...publicBytes], pkcs8: [...pkcs8] })};`,
  );
  await page.addInitScript({ content: script });
  page.on('pageerror', (error) => console.error('page error:', error));
  return page;
}

const T = (iso: string) => Math.floor(Date.parse(iso) / 1000);

const COMPUTE_BUDGET = 'ComputeBudget111111111111111111111111111111' as Address;

/** Has the served sandbox refuse traces longer than `entries` (0 lifts it). */
async function sandboxTraceLimit(entries: number) {
  const response = await fetch(rpcUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'sandboxTraceLimit', params: [entries] }),
  });
  const answer = (await response.json()) as { result?: { traceLimit: number } };
  assert.equal(answer.result?.traceLimit, entries, JSON.stringify(answer));
}

/**
 * The compute budget of each transaction the test wallet signed on `page` (its limit, and
 * its price when it has one), with the units it consumed on chain.
 */
async function signedBudgets(page: Page) {
  const wires = await page.evaluate(
    () => (window as unknown as { __testWalletTransactions?: string[] }).__testWalletTransactions ?? [],
  );
  const rpc = createSolanaRpc(rpcUrl);
  return Promise.all(
    wires.map(async (wire) => {
      const transaction = getTransactionDecoder().decode(Buffer.from(wire, 'base64'));
      const message = getCompiledTransactionMessageDecoder().decode(transaction.messageBytes);
      if (!('instructions' in message)) throw new Error('the page signs legacy or v0 messages only');
      let limit: number | undefined;
      let price: bigint | undefined;
      for (const instruction of message.instructions) {
        if (message.staticAccounts[instruction.programAddressIndex] !== COMPUTE_BUDGET) continue;
        const data = instruction.data!;
        const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
        if (data[0] === 2) limit = view.getUint32(1, true);
        if (data[0] === 3) price = view.getBigUint64(1, true);
      }
      const signature = getBase58Decoder().decode(Object.values(transaction.signatures)[0]!) as Signature;
      const landed = await rpc
        .getTransaction(signature, { encoding: 'base64', maxSupportedTransactionVersion: 0 })
        .send();
      assert.ok(landed?.meta, `${signature} landed`);
      return { limit, price, consumed: landed.meta.computeUnitsConsumed };
    }),
  );
}

before(async () => {
  assert.ok(existsSync(binary), `${binary} is missing: run \`cargo build -p microdrop-cli\` first`);
  assert.ok(existsSync(chromiumPath), `${chromiumPath} is missing: install Debian's chromium package`);
  mkdirSync(output, { recursive: true });
  let info;
  [server, info] = await started(['sandbox', 'serve', '--bind', '127.0.0.1:0']);
  rpcUrl = info.rpc as string;

  // A Token-2022 open edition: an allow-listed presale with the test wallet on it, an
  // open-edition public tier (no count), a tier that opens later, and a benefit.
  const others = Array.from({ length: 3 }, () =>
    getAddressDecoder().decode(
      Buffer.from(generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' }).x!, 'base64url'),
    ),
  );
  writeFileSync(join(dir, 'presale.csv'), `wallet,allowance\n${walletAddress},1\n${others.map((o) => `${o},1`).join('\n')}\n`);
  writeFileSync(
    join(dir, 'drop.toml'),
    `[drop]
id = "e2e"
name = "E2E Zine"
symbol = "E2E"
uri = "https://example.com/e2e/collection.json"
item_uri = "https://example.com/e2e/{index}.json"
supply = "open"
standard = "token-2022"
seller_fee_bps = 500

[[tier]]
label = "presale"
start = "2030-06-01T16:00:00Z"
end = "2030-06-03T16:00:00Z"
price = "0.2"
supply = 5
per_wallet = 1
allowlist = "presale.csv"

[[tier]]
label = "public"
start = "2030-06-01T16:00:00Z"
end = "2030-06-09T16:00:00Z"
price = "0.35"
per_wallet = 2

[[tier]]
label = "later"
start = "2030-07-01T16:00:00Z"
end = "2030-07-09T16:00:00Z"
price = "0.1"
supply = 5
per_wallet = 1

[[benefit]]
label = "signed-print"
burn = 1
supply = 10
`,
  );
  cli('launch', 'drop.toml');
  cli('sandbox', 'warp', String(T('2030-06-02T16:00:00Z')));
  cli('sandbox', 'airdrop', walletAddress, '10');
  const site = join(dir, 'site');
  const written = cli('site', 'drop.toml', '--out', site);
  assert.equal(written.rpc, rpcUrl, 'the page reads the served sandbox');
  assert.ok(written.files.includes('allowlist-0.json'), 'the presale list travels with the site');
  [siteServer, siteUrl] = await serveStatic(site);
  browser = await chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
});

after(async () => {
  await browser?.close();
  siteServer?.close();
  dashboard?.kill('SIGTERM');
  server?.kill('SIGTERM');
});

test('a collector connects, sees what it can mint, mints, is refused in words, and burns', async () => {
  const page = await newPage();
  await page.goto(siteUrl);
  await page.getByRole('heading', { name: 'E2E Zine' }).waitFor();
  const tiers = page.locator('.tier');
  assert.equal(await tiers.count(), 3);
  // Prices in SOL, windows in local time, a countdown.
  assert.match(await tiers.nth(1).innerText(), /0\.35 SOL/);
  assert.match(await tiers.nth(1).innerText(), /open edition/);
  assert.match(await page.locator('#supply').innerText(), /0 minted · open edition/);
  assert.match(await tiers.nth(2).innerText(), /opens in \d+d/);
  await page.screenshot({ path: join(output, 'site.png'), fullPage: true });

  await page.getByRole('button', { name: 'Connect Test Wallet' }).click();
  await page.locator('#connected').waitFor();
  const line = (id: number) => page.locator(`.eligibility[data-tier="${id}"]`);
  await line(0).waitFor();
  assert.equal(await line(0).innerText(), 'You can mint 1 here.');
  assert.equal(await line(1).innerText(), 'You can mint 2 here.');
  assert.equal(await line(2).innerText(), 'You cannot mint here: the tier has not opened yet.');

  // Two from the open-edition public tier, signed in the wallet.
  await page.fill('#quantity-1', '2');
  await page.click('#mint-1');
  await page.locator('#status-line.ok').waitFor({ timeout: 30_000 });
  assert.match(await page.locator('#status-line').innerText(), /^Minted 2 item\(s\)/);
  // One from the allow-listed presale: the proof comes from the list beside the site.
  await page.click('#mint-0');
  await page.locator('#status-line.ok', { hasText: 'Minted 1 item(s)' }).waitFor({ timeout: 30_000 });
  await page.waitForFunction(() => document.querySelectorAll('#held .item').length === 3);
  assert.equal(await page.evaluate(() => (window as unknown as { __testWalletSigned: number }).__testWalletSigned), 2);
  // Each sized to what its simulation consumed; `auto` found no recent fee for these
  // accounts (nothing here paid one), so no price.
  for (const { limit, price, consumed } of await signedBudgets(page)) {
    assert.equal(limit, sizedComputeUnitLimit(consumed!), `limit ${limit} for ${consumed} units`);
    assert.equal(price, undefined);
  }

  // Refusals in words: the limit reached, and a window not open yet.
  await line(1).filter({ hasText: 'reached its limit' }).waitFor();
  await page.click('#mint-1');
  await page.locator('#status-line.error').waitFor({ timeout: 30_000 });
  assert.equal(await page.locator('#status-line').innerText(), `Refused: ${message('WalletLimitReached')}`);
  assert.ok(await page.locator('#mint-2').isDisabled(), 'a tier that has not opened cannot be minted');
  await page.screenshot({ path: join(output, 'site-connected.png'), fullPage: true });

  // Burning for the benefit.
  await page.click('#burn-0');
  await page.locator('#status-line.ok', { hasText: 'Burned 1 item(s) for signed-print' }).waitFor({ timeout: 30_000 });
  await page.waitForFunction(() => document.querySelectorAll('#held .item').length === 2);
  const redemptions = cli('redemptions', 'drop.toml').redemptions;
  assert.equal(redemptions.length, 1);
  assert.equal(redemptions[0].holder, walletAddress);

  // A phone-sized screen: nothing wider than it.
  await page.setViewportSize({ width: 390, height: 844 });
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  const widest = await page.evaluate(() =>
    [...document.querySelectorAll('body *')]
      .filter((e) => e.getBoundingClientRect().right > 390)
      .map((e) => `${e.tagName}.${e.className}#${e.id}`)
      .slice(0, 5)
      .join(', '),
  );
  assert.ok(width <= 390, `the page is ${width} pixels wide on a 390-pixel screen: ${widest}`);
  await page.screenshot({ path: join(output, 'site-phone.png'), fullPage: true });
  await page.close();
});

test('the page of a Token Metadata drop mints and burns the same way', async () => {
  writeFileSync(
    join(dir, 'classic.toml'),
    `[drop]
id = "e2e-classic"
name = "Classic"
symbol = "CLS"
uri = "https://example.com/classic/collection.json"
item_uri = "https://example.com/classic/{index}.json"
supply = 10
standard = "token-metadata"

[[tier]]
label = "public"
start = "2030-06-01T16:00:00Z"
end = "2030-06-09T16:00:00Z"
price = "0.05"
supply = 10
per_wallet = 3

[[benefit]]
label = "poster"
burn = 1
supply = 5
`,
  );
  cli('launch', 'classic.toml');
  const site = join(dir, 'classic-site');
  const written = cli('--priority-fee', '2500', 'site', 'classic.toml', '--out', site);
  assert.equal(written.priority_fee, '2500');
  assert.equal(JSON.parse(readFileSync(join(site, 'config.json'), 'utf8')).priority_fee, '2500');
  const [classicServer, classicUrl] = await serveStatic(site);
  try {
    const page = await newPage();
    await page.goto(classicUrl);
    await page.getByRole('heading', { name: 'Classic' }).waitFor();
    await page.getByRole('button', { name: 'Connect Test Wallet' }).click();
    await page.locator('.eligibility[data-tier="0"]', { hasText: 'You can mint 3 here.' }).waitFor();
    // A cluster that takes shorter traces than mainnet's 64 entries: a 2-item Token
    // Metadata mint (45 entries) is refused at simulation, so the page sends 1 at a time.
    await sandboxTraceLimit(40);
    await page.fill('#quantity-0', '3');
    await page.click('#mint-0');
    await page.locator('#status-line.ok', { hasText: 'Minted 3 item(s)' }).waitFor({ timeout: 30_000 });
    await sandboxTraceLimit(0);
    await page.waitForFunction(() => document.querySelectorAll('#held .item').length === 3);
    assert.equal(await page.evaluate(() => (window as unknown as { __testWalletSigned: number }).__testWalletSigned), 3);
    await page.click('#burn-0');
    await page.locator('#status-line.ok', { hasText: 'Burned 1 item(s) for poster' }).waitFor({ timeout: 30_000 });
    await page.waitForFunction(() => document.querySelectorAll('#held .item').length === 2);
    assert.equal(cli('status', 'classic.toml').supply.minted, 3);
    // The creator's fee on every transaction (3 single-item mints, a burn), each limit
    // sized to its simulation.
    const budgets = await signedBudgets(page);
    assert.equal(budgets.length, 4);
    for (const { limit, price, consumed } of budgets) {
      assert.equal(price, 2_500n);
      assert.equal(limit, sizedComputeUnitLimit(consumed!), `limit ${limit} for ${consumed} units`);
    }
    await page.screenshot({ path: join(output, 'site-token-metadata.png'), fullPage: true });
    await page.close();
  } finally {
    classicServer.close();
  }
});

test('the dashboard shows sales live, fulfils a redemption and pauses the drop', async () => {
  let info;
  [dashboard, info] = await started(['dashboard', 'drop.toml', '--bind', '127.0.0.1:0']);
  assert.equal(info.actions, true, 'the CLI keypair launched the drop');
  const page = await newPage();
  page.on('dialog', (dialog) => void dialog.accept(dialog.type() === 'prompt' ? 'TRACK-123' : undefined));
  await page.goto(info.url as string);
  await page.locator('#minted', { hasText: '3 minted (open edition)' }).waitFor({ timeout: 30_000 });
  // Mints made by the CLI appear without a reload.
  cli('mint', 'drop.toml', '--tier', 'public', '--quantity', '2');
  await page.locator('#minted', { hasText: '5 minted (open edition)' }).waitFor({ timeout: 30_000 });
  await page.locator('#chart[data-total="5"]').waitFor();
  assert.equal(await page.locator('#chart canvas').count() > 0, true, 'uPlot drew the chart');
  assert.match(await page.locator('#revenue').innerText(), /Revenue 1\.6 SOL/);
  await page.locator('.event[data-type="mint"]').first().waitFor();

  // The pending redemption, fulfilled with a reference.
  await page.locator('#pending tr.pending').waitFor();
  await page.screenshot({ path: join(output, 'dashboard.png'), fullPage: true });
  await page.click('button.fulfil');
  const reference = createHash('sha256').update('TRACK-123').digest('hex');
  await page.locator('#fulfilled tr.fulfilled', { hasText: reference }).waitFor({ timeout: 30_000 });
  assert.equal(cli('redemptions', 'drop.toml').redemptions[0].status, 'fulfilled');

  // Pausing asks first and signs with the CLI's keypair.
  await page.click('#action-pause');
  await page.locator('#drop-status', { hasText: 'paused' }).waitFor({ timeout: 30_000 });
  assert.equal(cli('status', 'drop.toml').status, 'paused');
  await page.screenshot({ path: join(output, 'dashboard-fulfilled.png'), fullPage: true });

  // Without the token, actions are refused.
  const refused = await page.evaluate(async () => (await fetch('/api/action', { method: 'POST', body: '{"action":"resume"}' })).status);
  assert.equal(refused, 403);
  await page.close();
});

test('a preorder shows its terms, and once it falls short the page refunds each buyer exactly', async () => {
  // One preorder per item standard: a minimum of 10 by 2030-06-08T16:00Z, 0.25 SOL each.
  const pages: { standard: string; url: string; server: Server }[] = [];
  for (const standard of ['token-2022', 'token-metadata']) {
    const file = `preorder-${standard}.toml`;
    writeFileSync(
      join(dir, file),
      `[drop]
id = "pre-${standard}"
name = "Preorder ${standard}"
symbol = "PRE"
uri = "https://example.com/pre/collection.json"
item_uri = "https://example.com/pre/{index}.json"
supply = 20
standard = "${standard}"
minimum = 10
deadline = "2030-06-08T16:00:00Z"

[[tier]]
label = "public"
start = "2030-06-01T16:00:00Z"
end = "2030-06-09T16:00:00Z"
price = "0.25"
supply = 20
per_wallet = 3
`,
    );
    cli('launch', file);
    const site = join(dir, `pre-${standard}-site`);
    cli('site', file, '--out', site);
    const [server, url] = await serveStatic(site);
    pages.push({ standard, url, server });
  }
  try {
    // While pending: the terms, then three items bought through the page.
    for (const { standard, url } of pages) {
      const page = await newPage();
      await page.goto(url);
      await page.locator('#preorder[data-state="pending"]', { hasText: '0 of 10 sold' }).waitFor();
      await page.getByRole('button', { name: 'Connect Test Wallet' }).click();
      await page.locator('.eligibility[data-tier="0"]', { hasText: 'You can mint 3 here.' }).waitFor();
      await page.fill('#quantity-0', '3');
      await page.click('#mint-0');
      await page.locator('#status-line.ok', { hasText: 'Minted 3 item(s)' }).waitFor({ timeout: 30_000 });
      await page.locator('#preorder[data-state="pending"]', { hasText: '3 of 10 sold' }).waitFor();
      assert.equal(await page.locator('#refund').count(), 0, `${standard}: no refunds while pending`);
      await page.close();
    }

    // The deadline passes short of the minimum: minting stops and each buyer refunds.
    cli('sandbox', 'warp', String(T('2030-06-08T17:00:00Z')));
    for (const { standard, url } of pages) {
      const page = await newPage();
      await page.goto(url);
      await page.locator('#preorder[data-state="failed"]', { hasText: '3 of 10 sold' }).waitFor();
      await page.getByRole('button', { name: 'Connect Test Wallet' }).click();
      await page.locator('.eligibility[data-tier="0"]').waitFor();
      assert.equal(
        await page.locator('.eligibility[data-tier="0"]').innerText(),
        `You cannot mint here: ${REASON_TEXT.preorder_failed}.`,
      );
      assert.ok(await page.locator('#mint-0').isDisabled(), `${standard}: a failed preorder sells nothing more`);
      assert.match(await page.locator('.tier').innerText(), /ended[\s\S]*closed/i);
      await page.waitForFunction(() => document.querySelectorAll('#held .item').length === 3);
      await page.click('#refund');
      await page.locator('#status-line.ok', { hasText: 'Refunded 0.75 SOL for 3 item(s).' }).waitFor({ timeout: 30_000 });
      await page.locator('#held', { hasText: 'No items of this drop yet.' }).waitFor();
      assert.equal(await page.locator('#supply').innerText(), '3 minted · 3 burned');
      assert.equal(await page.locator('#refund').count(), 0, `${standard}: nothing left to refund`);
      const threshold = cli('status', `preorder-${standard}.toml`).threshold;
      assert.deepEqual([threshold.state, threshold.refunded, threshold.escrowed], ['failed', 750_000_000, 0], standard);
      if (standard === 'token-2022') await page.screenshot({ path: join(output, 'site-preorder-refunded.png'), fullPage: true });
      await page.close();
    }
  } finally {
    for (const { server } of pages) server.close();
  }
});
