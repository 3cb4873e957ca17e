/** Figures the reliability suites measure, written to test/reliability/.results/<name>.json (gitignored) for the README. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const DIR = join(process.cwd(), 'test', 'reliability', '.results');

/** Writes `figures` as `<name>.json` and prints them. */
export function recordResults(name: string, figures: Readonly<Record<string, unknown>>): void {
  mkdirSync(DIR, { recursive: true });
  const text = JSON.stringify({ ...figures, recordedAt: new Date().toISOString() }, null, 2);
  writeFileSync(join(DIR, `${name}.json`), `${text}\n`);
  console.log(`${name}: ${text}`);
}
