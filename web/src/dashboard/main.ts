// The creator's dashboard, served by `microdrop dashboard`: the drop's status, sell-through
// per tier over time (uPlot), revenue and what each split recipient was paid and is owed,
// the redemption queue, and the live event feed (the same events as `watch`). The CLI
// signs the actions (pause, resume, fulfil) with its keypair; the token in the page's URL
// guards them.
import '../shared/style.css';
import 'uplot/dist/uPlot.min.css';

import uPlot from 'uplot';

import { duration, el, formatUnits, localTime } from '../shared/format';

/** `GET /api/state`. */
type State = {
  status: {
    drop: string;
    name: string;
    status: string;
    authority: string;
    lookup_table: string | null;
    supply: { cap: number | null; minted: number; burned: number; airdropped: number };
    threshold: { minimum: number; deadline: string; sold: number; state: string } | null;
    currency: string;
    currency_decimals: number;
    currency_symbol: string;
    tiers: { id: number; label: string; supply: number | null; minted: number; state: string }[];
    vault: { address: string; balance: number; distributed: number };
  };
  splits: { address: string; share_bps: number; paid: number; owed: number }[];
  revenue: number;
  redemptions: {
    address: string;
    benefit: string;
    holder: string;
    burned: string[];
    redeemed_at: number;
    status: string;
    reference: string | null;
  }[];
  /** Whether the CLI's keypair is the drop's authority (only then are there actions). */
  actions: boolean;
  signer: string;
  time: number;
};

/** One event, as `watch` prints it. */
type DropEvent = {
  id: string;
  type: string;
  event: string;
  signature: string;
  time: number | null;
  data: Record<string, unknown>;
};

const token = new URLSearchParams(location.search).get('token') ?? '';
const $ = (id: string) => document.getElementById(id) as HTMLElement;
const events: DropEvent[] = [];
let state: State | undefined;
let chart: uPlot | undefined;

async function api<T>(path: string, body?: unknown): Promise<T> {
  const response = await fetch(path, {
    method: body ? 'POST' : 'GET',
    headers: body ? { 'content-type': 'application/json', 'x-microdrop-token': token } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  const json = await response.json();
  if (!response.ok) throw new Error(json.error ?? response.statusText);
  return json as T;
}

const money = (amount: number) =>
  `${formatUnits(BigInt(amount), state?.status.currency_decimals ?? 9)} ${state?.status.currency_symbol ?? 'SOL'}`;

function renderOverview(s: State) {
  const { status } = s;
  const cap = status.supply.cap === null ? '(open edition)' : `of ${status.supply.cap}`;
  const lines = [
    el('h1', {}, status.name),
    el(
      'div',
      { class: 'row' },
      el('span', { class: `state ${status.status}`, id: 'drop-status' }, status.status),
      el('span', { id: 'minted' }, `${status.supply.minted} minted ${cap}`),
      el('span', { class: 'muted' }, `${status.supply.burned} burned · ${status.supply.airdropped} airdropped`),
    ),
    el('div', { class: 'muted' }, 'Lookup table: ', el('code', {}, status.lookup_table ?? 'none')),
  ];
  if (status.threshold) {
    const t = status.threshold;
    lines.push(el('div', { id: 'threshold' }, `Preorder ${t.state}: ${t.sold}/${t.minimum} sold by ${localTime(Date.parse(t.deadline) / 1000)}`));
  }
  $('overview').replaceChildren(el('div', { class: 'card' }, ...lines));
}

function renderActions(s: State) {
  if (!s.actions) {
    $('actions').replaceChildren(
      el('div', { class: 'card muted' }, `Read-only: ${s.signer} is not this drop's authority.`),
    );
    return;
  }
  const buttons = [];
  if (s.status.status === 'active') buttons.push(action('Pause', 'pause', 'Pause the drop? Mints stop until you resume.'));
  if (s.status.status === 'paused') buttons.push(action('Resume', 'resume', 'Resume the drop? Mints start again.'));
  $('actions').replaceChildren(el('div', { class: 'card row' }, el('span', {}, `Signing as ${s.signer}`), ...buttons));
}

function action(label: string, name: string, question: string, extra: Record<string, string> = {}) {
  const button = el('button', { id: `action-${name}${extra.redemption ? `-${extra.redemption}` : ''}` }, label);
  button.onclick = async () => {
    if (!confirm(question)) return;
    button.disabled = true;
    try {
      const { signature } = await api<{ signature: string }>('/api/action', { action: name, ...extra });
      notice(`${label}: done (${signature.slice(0, 12)}…)`, 'ok');
    } catch (error) {
      notice(`${label}: ${(error as Error).message}`, 'error');
    }
    await refresh();
  };
  return button;
}

function notice(text: string, kind: 'ok' | 'error') {
  $('notice').replaceChildren(el('div', { class: `card ${kind}`, id: 'notice-line' }, text));
}

function renderMoney(s: State) {
  const rows = s.splits.map((split) =>
    el(
      'tr',
      {},
      el('td', {}, el('code', {}, split.address)),
      el('td', {}, `${split.share_bps / 100}%`),
      el('td', {}, money(split.paid)),
      el('td', {}, money(split.owed)),
    ),
  );
  $('money').replaceChildren(
    el('h2', {}, 'Revenue and splits'),
    el('div', { id: 'revenue' }, `Revenue ${money(s.revenue)} · in the vault ${money(s.status.vault.balance)}`),
    el(
      'table',
      {},
      el('tr', {}, el('th', {}, 'Recipient'), el('th', {}, 'Share'), el('th', {}, 'Paid'), el('th', {}, 'Owed')),
      ...rows,
    ),
  );
}

function renderRedemptions(s: State) {
  const pending = s.redemptions.filter((r) => r.status === 'pending');
  const fulfilled = s.redemptions.filter((r) => r.status === 'fulfilled');
  const pendingRows = pending.map((r) => {
    const cells = [
      el('td', {}, el('code', {}, r.holder.slice(0, 8) + '…')),
      el('td', {}, `${r.burned.length} item(s)`),
      el('td', {}, `${duration(s.time - r.redeemed_at)} ago`),
    ];
    if (s.actions) {
      const fulfil = el('button', { class: 'fulfil', 'data-redemption': r.address }, 'Fulfil');
      fulfil.onclick = async () => {
        const reference = prompt('Reference for this fulfilment (tracking number, order id):');
        if (!reference) return;
        if (!confirm(`Mark the redemption of ${r.holder} fulfilled with "${reference}"?`)) return;
        try {
          const { signature } = await api<{ signature: string }>('/api/action', {
            action: 'fulfil',
            redemption: r.address,
            reference,
          });
          notice(`Fulfilled (${signature.slice(0, 12)}…)`, 'ok');
        } catch (error) {
          notice(`Fulfil: ${(error as Error).message}`, 'error');
        }
        await refresh();
      };
      cells.push(el('td', {}, fulfil));
    }
    return el('tr', { class: 'pending' }, ...cells);
  });
  const fulfilledRows = fulfilled.map((r) =>
    el(
      'tr',
      { class: 'fulfilled' },
      el('td', {}, el('code', {}, r.holder.slice(0, 8) + '…')),
      el('td', {}, `${r.burned.length} item(s)`),
      el('td', {}, el('code', {}, r.reference ?? '')),
    ),
  );
  $('redemptions').replaceChildren(
    el('h2', {}, `Redemptions: ${pending.length} pending`),
    pendingRows.length ? el('table', { id: 'pending' }, ...pendingRows) : el('p', { class: 'muted', id: 'pending' }, 'Nothing waiting.'),
    el('h2', {}, `Fulfilled: ${fulfilled.length}`),
    el('table', { id: 'fulfilled' }, ...fulfilledRows),
  );
}

/** Cumulative items per tier over time, from the mint and airdrop events. */
function renderChart(s: State) {
  const tiers = s.status.tiers;
  const times: number[] = [];
  const counts = tiers.map(() => 0);
  const series: number[][] = tiers.map(() => []);
  for (const e of events) {
    const tier = e.type === 'mint' ? (e.data.tier_id as number) : e.type === 'airdrop' ? (e.data.tier_id as number | null) : null;
    if (tier === null || tier === undefined || !('mints' in e.data)) continue;
    counts[tier] += (e.data.mints as string[]).length;
    times.push(e.time ?? s.time);
    counts.forEach((c, i) => series[i].push(c));
  }
  if (times.length === 0) {
    times.push(s.time);
    series.forEach((values) => values.push(0));
  }
  const data: uPlot.AlignedData = [times, ...series];
  const width = Math.min(840, $('chart').clientWidth || 600);
  if (!chart || chart.series.length !== tiers.length + 1) {
    chart?.destroy();
    const palette = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f'];
    chart = new uPlot(
      {
        width,
        height: 220,
        series: [{}, ...tiers.map((t, i) => ({ label: t.label, stroke: palette[i % palette.length], width: 2 }))],
        axes: [{}, { label: 'items' }],
      },
      data,
      $('chart'),
    );
  } else {
    chart.setData(data);
  }
  $('chart').dataset.points = String(times.length);
  $('chart').dataset.total = String(counts.reduce((a, b) => a + b, 0));
}

function renderFeed() {
  const rows = events
    .slice(-50)
    .reverse()
    .map((e) =>
      el(
        'div',
        { class: 'event', 'data-type': e.type },
        el('strong', {}, e.event),
        ' ',
        el('span', { class: 'muted' }, e.time ? localTime(e.time) : ''),
        ' ',
        el('code', {}, e.signature.slice(0, 16) + '…'),
      ),
    );
  $('feed').replaceChildren(...rows);
}

async function refresh() {
  state = await api<State>('/api/state');
  renderOverview(state);
  renderActions(state);
  renderMoney(state);
  renderRedemptions(state);
  renderChart(state);
}

/** New events since the last one seen; the page updates when any arrive. */
async function poll() {
  const after = events.length ? events[events.length - 1].id : '';
  const { events: fresh } = await api<{ events: DropEvent[] }>(`/api/events?after=${encodeURIComponent(after)}`);
  if (fresh.length) {
    events.push(...fresh);
    renderFeed();
    await refresh();
  }
}

await refresh();
await poll();
setInterval(() => {
  poll().catch((error) => notice(`Lost the CLI: ${(error as Error).message}`, 'error'));
}, 1500);
