/** Reading a daemon's log and Prometheus endpoint in tests: waiting for a line, scrapes, sample lookup. */
import type { ImagedProcess } from './imaged-process.js';

/** One scrape: every sample line's metric name, labels and value. */
export type Scrape = readonly { name: string; labels: Readonly<Record<string, string>>; value: number }[];

/** Waits (up to 10 s) until the daemon's stderr matches `pattern`; returns the match. */
export async function waitForLog(daemon: ImagedProcess, pattern: RegExp): Promise<RegExpExecArray> {
  for (let i = 0; i < 500; i++) {
    const match = pattern.exec(daemon.stderr());
    if (match !== null) return match;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`the daemon did not log ${pattern} within 10 s:\n${daemon.stderr()}`);
}

/** The `host:port` the daemon logged for its metrics endpoint. */
export const metricsAddressOf = async (daemon: ImagedProcess): Promise<string> =>
  (await waitForLog(daemon, /"metricsAddress":"([^"]+)"/))[1]!;

/** Parses the text exposition format (sample lines only). */
export function parseScrape(text: string): Scrape {
  const samples = [];
  for (const line of text.split('\n')) {
    const m = /^([A-Za-z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (m === null) continue;
    const labels: Record<string, string> = {};
    for (const [, k, v] of (m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[k!] = JSON.parse(`"${v}"`) as string;
    samples.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return samples;
}

/** GETs `http://address/metrics` and parses it. */
export async function scrape(address: string): Promise<Scrape> {
  const res = await fetch(`http://${address}/metrics`);
  if (res.status !== 200) throw new Error(`GET /metrics: ${res.status} ${await res.text()}`);
  return parseScrape(await res.text());
}

/** The value of the series `name` whose labels include `labels`; 0 when there is none yet. */
export function valueOf(samples: Scrape, name: string, labels: Readonly<Record<string, string>> = {}): number {
  const found = samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  return found?.value ?? 0;
}
