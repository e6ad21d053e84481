// How amounts and times read on both pages: prices in the currency (0.35 SOL, never
// lamports), times in the visitor's own time zone, countdowns in words.

/** `amount` smallest units with `decimals` decimals, trimmed: 350000000n, 9 -> "0.35". */
export function formatUnits(amount: bigint, decimals: number): string {
  const scale = 10n ** BigInt(decimals);
  const whole = amount / scale;
  const fraction = (amount % scale).toString().padStart(decimals, '0').replace(/0+$/, '');
  return fraction ? `${whole}.${fraction}` : `${whole}`;
}

/** A price with its currency's symbol. */
export function formatPrice(amount: bigint, currency: { symbol: string; decimals: number }): string {
  return amount === 0n ? 'free' : `${formatUnits(amount, currency.decimals)} ${currency.symbol}`;
}

/** A unix time in the visitor's local time. */
export function localTime(unix: bigint | number): string {
  return new Date(Number(unix) * 1000).toLocaleString(undefined, {
    dateStyle: 'medium',
    timeStyle: 'short',
  });
}

/** Seconds as "2d 3h", "3h 4m", "4m 5s" or "5s". */
export function duration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3_600);
  const m = Math.floor((s % 3_600) / 60);
  if (d > 0) return `${d}d ${h}h`;
  if (h > 0) return `${h}h ${m}m`;
  if (m > 0) return `${m}m ${s % 60}s`;
  return `${s}s`;
}

/** An element with text and attributes. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Record<string, string> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
  node.append(...children);
  return node;
}
