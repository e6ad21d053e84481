// The mint page: the drop, its tiers and a wallet's way in, built on @microdrop/client.
//
// It reads `config.json` beside it (written by `microdrop site`): the drop, the RPC
// endpoint, and the allow-list files it copied. A wallet connects through the Wallet
// Standard and signs in its own window; the page builds, simulates, sends and confirms.
import '../shared/style.css';

import {
  type Address,
  address,
  appendTransactionMessageInstructions,
  compileTransaction,
  compressTransactionMessageUsingAddressLookupTables,
  createNoopSigner,
  createSolanaRpc,
  createTransactionMessage,
  getBase58Decoder,
  getBase64Decoder,
  getBase64EncodedWireTransaction,
  getTransactionDecoder,
  getTransactionEncoder,
  type Instruction,
  isTransactionWithinSizeLimit,
  pipe,
  setTransactionMessageFeePayer,
  setTransactionMessageLifetimeUsingBlockhash,
  type Signature,
} from '@solana/kit';
import {
  getSetComputeUnitLimitInstruction,
  getSetComputeUnitPriceInstruction,
} from '@solana-program/compute-budget';
import { getWallets } from '@wallet-standard/app';
import type { Wallet, WalletAccount } from '@wallet-standard/base';
import {
  AllowList,
  type AllowListEntry,
  type Benefit,
  type Drop,
  DropStatus,
  eligibility,
  fetchAllBenefit,
  fetchAllTier,
  type CurrencyUnit,
  fetchCurrencyUnit,
  fetchDrop,
  fetchHeldItems,
  findBenefitPda,
  findItemMintPda,
  findTierPda,
  eventsOfTransaction,
  getMintItemsInstructions,
  getRedeemItemsInstruction,
  getRefundItemsInstruction,
  ItemStandard,
  MAX_COMPUTE_UNIT_LIMIT,
  MAX_REFUND_ITEMS,
  MAX_SUPPLY,
  OPEN_SUPPLY,
  parsePriorityFee,
  type PriorityFee,
  priorityFeeFor,
  REASON_TEXT,
  type Refunded,
  sizedComputeUnitLimit,
  thresholdState,
  type Tier,
  type TierEligibility,
  type TransactionWithInnerInstructions,
} from '@microdrop/client';

import { clusterTime, lookupTableAddresses, refusalInWords } from '../shared/chain';
import { duration, el, formatPrice, formatUnits, localTime } from '../shared/format';

/** What `microdrop site` writes beside the page. */
type SiteConfig = {
  drop: Address;
  rpc: string;
  /** Tier id -> allow-list file (`{ entries: [{ wallet, allowance }] }`). */
  allowlists: Record<string, string>;
  /** `auto` (the default), `none`, or micro-lamports per compute unit. */
  priority_fee?: string;
};

/** A drop's lookup table before one is set: the default address. */
const NO_TABLE = '11111111111111111111111111111111';
const SIGN_TRANSACTION = 'solana:signTransaction';
const CONNECT = 'standard:connect';

const $ = (id: string) => document.getElementById(id) as HTMLElement;

const config: SiteConfig = await (await fetch('./config.json')).json();
const rpc = createSolanaRpc(config.rpc);
const drop = address(config.drop);
const priorityFee: PriorityFee = parsePriorityFee(config.priority_fee ?? 'auto');

let state: Drop;
let tiers: Tier[] = [];
let benefits: Benefit[] = [];
/** How the drop's prices read; set by the first `load`. */
let currency: CurrencyUnit | undefined;
/** Cluster time minus this browser's, in seconds: a sandbox's clock may be anywhere. */
let clockOffset = 0;
let wallet: Wallet | undefined;
let account: WalletAccount | undefined;
let answers: TierEligibility[] = [];
const allowLists: Record<number, AllowList> = {};

const now = () => BigInt(Math.floor(Date.now() / 1000) + clockOffset);

async function load() {
  state = (await fetchDrop(rpc, drop)).data;
  const tierAddresses = await Promise.all(
    Array.from({ length: state.tierCount }, async (_, id) => (await findTierPda(drop, id))[0]),
  );
  tiers = (await fetchAllTier(rpc, tierAddresses)).map((t) => t.data);
  const benefitAddresses = await Promise.all(
    Array.from({ length: state.benefitCount }, async (_, id) => (await findBenefitPda(drop, id))[0]),
  );
  benefits = (await fetchAllBenefit(rpc, benefitAddresses)).map((b) => b.data);
  // A drop's currency is set when it is created: read its unit once.
  currency ??= await fetchCurrencyUnit(rpc, state.currency);
  clockOffset = Number(await clusterTime(rpc)) - Math.floor(Date.now() / 1000);
}

function tierState(tier: Tier): 'upcoming' | 'open' | 'ended' | 'sold out' {
  const cap = state.supply < MAX_SUPPLY ? state.supply : MAX_SUPPLY;
  if (tier.minted >= tier.supply || state.minted >= cap) return 'sold out';
  // A failed preorder makes nothing more.
  if (now() >= tier.end || thresholdState(state, now()) === 'failed') return 'ended';
  if (now() < tier.start) return 'upcoming';
  return 'open';
}

function renderDrop() {
  const open = state.supply === OPEN_SUPPLY;
  const left =
    thresholdState(state, now()) === 'failed'
      ? `${state.burned} burned`
      : open
        ? 'open edition'
        : `${state.supply - state.minted} left of ${state.supply}`;
  const image = el('img', { alt: '', id: 'collection-image' });
  const header = el(
    'div',
    { class: 'hero' },
    image,
    el(
      'div',
      {},
      el('h1', {}, state.name),
      el('div', { class: 'muted', id: 'supply' }, `${state.minted} minted · ${left}`),
      preorderLine(),
      state.status === DropStatus.Active ? '' : el('div', { class: 'reason' }, 'This drop is not active.'),
    ),
  );
  $('drop').replaceChildren(header);
  // The collection's image, when its metadata is reachable.
  fetch(state.uri)
    .then((r) => r.json())
    .then((json: { image?: string }) => {
      if (json.image) image.src = json.image;
    })
    .catch(() => undefined);
}

/** A preorder's terms and where it stands; nothing for an unconditional sale. */
function preorderLine(): HTMLElement | string {
  const threshold = thresholdState(state, now());
  if (threshold === 'unconditional') return '';
  const sold = state.minted - state.airdropped;
  const deadline = localTime(state.deadline);
  const text = {
    pending: `Preorder: ${sold} of ${state.minimum} sold. If fewer than ${state.minimum} have sold by ${deadline}, every buyer can refund.`,
    met: `Preorder: it reached its minimum of ${state.minimum}, so its sales stand.`,
    failed: `Preorder: ${sold} of ${state.minimum} sold by ${deadline}, short of its minimum. Buyers can refund their items.`,
  }[threshold];
  return el('div', { class: threshold === 'failed' ? 'reason' : 'muted', id: 'preorder', 'data-state': threshold }, text);
}

function renderTiers() {
  const rows = tiers.map((tier) => {
    const stateName = tierState(tier);
    const answer = answers.find((a) => a.id === tier.id);
    const countdown = el('span', { class: 'muted countdown', 'data-tier': String(tier.id) });
    const quantity = el('input', {
      type: 'number',
      min: '1',
      value: '1',
      'aria-label': `quantity for ${tier.label}`,
      id: `quantity-${tier.id}`,
    });
    const mint = el('button', { id: `mint-${tier.id}` }, 'Mint');
    mint.disabled = !account || stateName !== 'open';
    mint.onclick = () => void mintFrom(tier, Number(quantity.value));
    const supply = tier.supply === OPEN_SUPPLY ? 'open edition' : `${tier.minted}/${tier.supply} sold`;
    const eligibilityLine = !account
      ? el('div', { class: 'muted' }, 'Connect a wallet to see what it can mint.')
      : answer?.eligible
        ? el('div', { class: 'ok eligibility', 'data-tier': String(tier.id) }, `You can mint ${answer.quantity} here.`)
        : el(
            'div',
            { class: 'reason eligibility', 'data-tier': String(tier.id) },
            answer?.reason ? `You cannot mint here: ${REASON_TEXT[answer.reason]}.` : '',
          );
    return el(
      'div',
      { class: 'card tier', 'data-tier': String(tier.id) },
      el(
        'div',
        { class: 'row' },
        el('strong', {}, tier.label),
        el('span', { class: `state ${stateName.replace(' ', '-')}` }, stateName),
        el('span', { class: 'price' }, formatPrice(tier.price, currency!)),
      ),
      el('div', { class: 'muted' }, `${localTime(tier.start)} – ${localTime(tier.end)} · ${supply}`),
      countdown,
      eligibilityLine,
      el('div', { class: 'row' }, el('span', {}, 'Quantity ', quantity), mint),
    );
  });
  $('tiers').replaceChildren(el('h2', {}, 'Tiers'), ...rows);
  tickCountdowns();
}

function tickCountdowns() {
  for (const node of document.querySelectorAll<HTMLElement>('.countdown')) {
    const tier = tiers.find((t) => String(t.id) === node.dataset.tier);
    if (!tier) continue;
    const t = Number(now());
    node.textContent =
      tierState(tier) === 'ended'
        ? 'closed'
        : t < Number(tier.start)
          ? `opens in ${duration(Number(tier.start) - t)}`
          : `closes in ${duration(Number(tier.end) - t)}`;
  }
}

function status(text: string, kind: 'muted' | 'ok' | 'error' = 'muted') {
  $('status').replaceChildren(el('div', { class: `card ${kind}`, id: 'status-line' }, text));
}

function renderWallet() {
  const section = $('wallet');
  if (account) {
    const disconnect = el('button', { class: 'secondary', id: 'disconnect' }, 'Disconnect');
    disconnect.onclick = () => {
      wallet = undefined;
      account = undefined;
      answers = [];
      void refresh();
    };
    section.replaceChildren(
      el('div', { class: 'card row' }, el('span', { id: 'connected' }, `Connected: ${account.address}`), disconnect),
    );
    return;
  }
  const available = getWallets()
    .get()
    .filter((w) => CONNECT in w.features && SIGN_TRANSACTION in w.features);
  const buttons = available.map((w) => {
    const button = el('button', { class: 'connect', 'data-wallet': w.name }, `Connect ${w.name}`);
    button.onclick = () => void connect(w);
    return button;
  });
  section.replaceChildren(
    el(
      'div',
      { class: 'card row' },
      buttons.length ? el('span', {}, ...buttons) : el('span', { class: 'muted' }, 'No Solana wallet found in this browser.'),
    ),
  );
}

async function connect(chosen: Wallet) {
  const feature = chosen.features[CONNECT] as { connect: () => Promise<{ accounts: readonly WalletAccount[] }> };
  const { accounts } = await feature.connect();
  if (!accounts.length) {
    status('The wallet shared no account.', 'error');
    return;
  }
  wallet = chosen;
  account = accounts[0];
  await refresh();
}

async function loadAllowLists() {
  for (const [tierId, file] of Object.entries(config.allowlists ?? {})) {
    if (allowLists[Number(tierId)]) continue;
    const { entries } = (await (await fetch(`./${file}`)).json()) as { entries: AllowListEntry[] };
    allowLists[Number(tierId)] = await AllowList.build(drop, Number(tierId), entries);
  }
}

/**
 * Mints to try per transaction: what the program allows, less for the larger item shapes.
 * A transaction that turns out too large for a packet, or too long a trace for the
 * cluster, is sent again with fewer.
 */
function itemsPerTransaction(): number {
  if (state.standard === ItemStandard.TokenMetadata) return 2;
  const heavier = state.soulbound || state.minimum > 0n || state.supply === OPEN_SUPPLY;
  return heavier ? 2 : 3;
}

/** A transaction that cannot go as built: too large for a packet, or too long a trace. */
class TooLarge extends Error {}

/** Whether a simulation failed for the instruction trace's length (64 entries on mainnet). */
function traceTooLong(err: unknown): boolean {
  const detail = (err as { InstructionError?: [number, unknown] } | null)?.InstructionError?.[1];
  return detail === 'MaxInstructionTraceLengthExceeded';
}

/**
 * Builds, simulates, has the wallet sign, sends and confirms one transaction, with the
 * CLI's fee policy: a compute-unit limit sized from the simulation, and the configured
 * priority fee (by default what recent slots charged to write the same accounts).
 */
async function send(instructions: Instruction[], step: string): Promise<Signature> {
  if (!wallet || !account) throw new Error('connect a wallet first');
  const payer = address(account.address);
  const fee = await priorityFeeFor(rpc, instructions, priorityFee);
  const budget = (units: number) => [
    getSetComputeUnitLimitInstruction({ units }),
    ...(fee > 0n ? [getSetComputeUnitPriceInstruction({ microLamports: fee })] : []),
  ];
  const table =
    state.lookupTable === NO_TABLE
      ? undefined
      : { [state.lookupTable]: await lookupTableAddresses(rpc, state.lookupTable as Address) };
  const { value: blockhash } = await rpc.getLatestBlockhash().send();
  const compile = (units: number) => {
    let message = pipe(
      createTransactionMessage({ version: 0 }),
      (m) => setTransactionMessageFeePayer(payer, m),
      (m) => setTransactionMessageLifetimeUsingBlockhash(blockhash, m),
      (m) => appendTransactionMessageInstructions([...budget(units), ...instructions], m),
    );
    if (table) message = compressTransactionMessageUsingAddressLookupTables(message, table) as typeof message;
    return compileTransaction(message);
  };
  const programOf = (index: number) => [...budget(0), ...instructions][index]?.programAddress;
  const probe = compile(MAX_COMPUTE_UNIT_LIMIT);
  if (!isTransactionWithinSizeLimit(probe)) throw new TooLarge('the transaction is too large for one packet');
  const simulation = await rpc
    .simulateTransaction(getBase64EncodedWireTransaction(probe), {
      encoding: 'base64',
      sigVerify: false,
      replaceRecentBlockhash: true,
    })
    .send();
  if (simulation.value.err) {
    if (traceTooLong(simulation.value.err)) throw new TooLarge('the transaction makes too many calls for the cluster');
    throw new Refused(refusalInWords(simulation.value.err, programOf));
  }
  const unsigned = compile(sizedComputeUnitLimit(simulation.value.unitsConsumed ?? BigInt(MAX_COMPUTE_UNIT_LIMIT)));
  status(`${step}: waiting for your wallet to sign…`);
  const sign = wallet.features[SIGN_TRANSACTION] as {
    signTransaction: (...inputs: { account: WalletAccount; transaction: Uint8Array; chain?: string }[]) => Promise<
      { signedTransaction: Uint8Array }[]
    >;
  };
  const [{ signedTransaction }] = await sign.signTransaction({
    account,
    transaction: new Uint8Array(getTransactionEncoder().encode(unsigned)),
  });
  const signed = getTransactionDecoder().decode(signedTransaction);
  const signature = getBase58Decoder().decode(Object.values(signed.signatures)[0]!) as Signature;
  status(`${step}: sending…`);
  await rpc
    .sendTransaction(getBase64Decoder().decode(signedTransaction) as never, { encoding: 'base64' })
    .send();
  status(`${step}: confirming ${signature.slice(0, 8)}…`);
  for (let i = 0; i < 60; i++) {
    const { value } = await rpc.getSignatureStatuses([signature]).send();
    const found = value[0];
    if (found?.err) throw new Refused(refusalInWords(found.err, programOf));
    if (found && (found.confirmationStatus === 'confirmed' || found.confirmationStatus === 'finalized')) {
      return signature;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${signature} was not confirmed in time`);
}

class Refused extends Error {}

async function mintFrom(tier: Tier, quantity: number) {
  if (!account) return;
  if (!Number.isInteger(quantity) || quantity < 1) {
    status('Choose a quantity of at least 1.', 'error');
    return;
  }
  const buyer = createNoopSigner(address(account.address));
  const list = allowLists[tier.id];
  const listed = list?.proof(buyer.address);
  const minted: Address[] = [];
  try {
    let left = quantity;
    let most = itemsPerTransaction();
    while (left > 0) {
      state = (await fetchDrop(rpc, drop)).data;
      const batch = Math.min(left, most);
      const done = quantity - left;
      const ixs = await getMintItemsInstructions({
        buyer,
        drop,
        state,
        tierId: tier.id,
        quantity: batch,
        allowance: listed?.allowance,
        proof: listed?.proof,
      });
      try {
        await send(ixs, `Minting ${done + 1}-${done + batch} of ${quantity}`);
      } catch (error) {
        if (!(error instanceof TooLarge) || batch === 1) throw error;
        most = batch - 1;
        continue;
      }
      for (let i = 1n; i <= BigInt(batch); i++) minted.push((await findItemMintPda(drop, state.minted + i))[0]);
      left -= batch;
    }
    status(`Minted ${minted.length} item(s): ${minted.join(', ')}`, 'ok');
  } catch (error) {
    const words = error instanceof Refused ? error.message : String((error as Error).message ?? error);
    status(
      minted.length ? `Minted ${minted.length}, then refused: ${words}` : `Refused: ${words}`,
      'error',
    );
  }
  await refresh(false);
}

async function renderHoldings() {
  if (!account) {
    $('items').replaceChildren();
    $('benefits').replaceChildren();
    return;
  }
  const held = await fetchHeldItems(rpc, drop, state.standard, address(account.address));
  $('items').replaceChildren(
    el('h2', {}, 'Your items'),
    held.length
      ? el('div', { class: 'card', id: 'held' }, ...held.map((h) => el('div', { class: 'item' }, `${state.name} #${h.index} `, el('code', {}, h.mint))))
      : el('div', { class: 'card muted', id: 'held' }, 'No items of this drop yet.'),
  );
  if (thresholdState(state, now()) === 'failed' && held.length) {
    const button = el('button', { id: 'refund' }, `Refund ${held.length} item(s)`);
    button.onclick = () => void refundAll(held.map((h) => h.index));
    $('items').append(
      el(
        'div',
        { class: 'card row' },
        el('span', {}, 'The preorder fell short: burn your items and get back what each one cost.'),
        button,
      ),
    );
  }
  const rows = benefits.map((benefit) => {
    const qualifying = held.filter(
      (h) => benefit.tierMask === 0 || (h.tier !== undefined && (benefit.tierMask & (1 << h.tier)) !== 0),
    );
    const button = el('button', { id: `burn-${benefit.id}` }, `Burn ${benefit.burn} for ${benefit.label}`);
    button.disabled = qualifying.length < benefit.burn || benefit.redeemed >= benefit.supply;
    button.onclick = () => void burnFor(benefit, qualifying.slice(0, benefit.burn).map((h) => h.index));
    return el(
      'div',
      { class: 'card row' },
      el('span', {}, `${benefit.label}: burn ${benefit.burn} item(s) · ${benefit.supply - benefit.redeemed} left`),
      button,
    );
  });
  $('benefits').replaceChildren(...(rows.length ? [el('h2', {}, 'Benefits'), ...rows] : []));
}

async function burnFor(benefit: Benefit, indexes: bigint[]) {
  if (!account) return;
  try {
    const fresh = (await fetchAllBenefit(rpc, [(await findBenefitPda(drop, benefit.id))[0]]))[0].data;
    const ix = await getRedeemItemsInstruction({
      holder: createNoopSigner(address(account.address)),
      drop,
      state,
      benefitId: benefit.id,
      redeemed: fresh.redeemed,
      indexes,
    });
    await send([ix], `Burning for ${benefit.label}`);
    status(`Burned ${indexes.length} item(s) for ${benefit.label}; the creator has your receipt.`, 'ok');
  } catch (error) {
    status(`Refused: ${(error as Error).message}`, 'error');
  }
  await refresh(false);
}

/** Burns the wallet's items of a failed preorder, a few per transaction, for what each cost. */
async function refundAll(indexes: bigint[]) {
  if (!account) return;
  const holder = createNoopSigner(address(account.address));
  let refunded = 0n;
  let burned = 0;
  const paid = () => `${formatUnits(refunded, currency!.decimals)} ${currency!.symbol}`;
  try {
    // At most what the program takes, fewer when a transaction would not fit.
    let most = MAX_REFUND_ITEMS;
    while (burned < indexes.length) {
      const batch = indexes.slice(burned, burned + most);
      const ix = await getRefundItemsInstruction({ holder, drop, state, indexes: batch });
      let signature: Signature;
      try {
        signature = await send([ix], `Refunding ${burned + 1}-${burned + batch.length} of ${indexes.length}`);
      } catch (error) {
        if (!(error instanceof TooLarge) || batch.length === 1) throw error;
        most = batch.length - 1;
        continue;
      }
      const landed = await rpc.getTransaction(signature, { encoding: 'json', maxSupportedTransactionVersion: 0 }).send();
      for (const event of eventsOfTransaction(landed as unknown as TransactionWithInnerInstructions)) {
        if (event.name === 'refunded') refunded += (event.data as Refunded).amount;
      }
      burned += batch.length;
    }
    status(`Refunded ${paid()} for ${burned} item(s).`, 'ok');
  } catch (error) {
    const words = error instanceof Refused ? error.message : String((error as Error).message ?? error);
    status(
      burned
        ? `Refunded ${paid()} for ${burned} item(s), then refused: ${words}`
        : `Refused: ${words}`,
      'error',
    );
  }
  await refresh(false);
}

async function refresh(clearStatus = true) {
  await load();
  if (account) {
    await loadAllowLists();
    answers = await eligibility(rpc, drop, address(account.address), { allowLists, now: now() });
  }
  renderDrop();
  renderWallet();
  renderTiers();
  await renderHoldings();
  if (clearStatus) $('status').replaceChildren();
}

getWallets().on('register', () => {
  if (!account) renderWallet();
});
setInterval(tickCountdowns, 1000);
refresh().catch((error) => status(`Cannot load the drop: ${(error as Error).message}`, 'error'));
