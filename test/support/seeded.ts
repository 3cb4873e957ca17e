/** Seeded pseudo-random choices for fault and load tests, replayable through an environment variable. */

/** A deterministic source of choices. */
export interface Random {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [0, n). */
  int(n: number): number;
  /** One element of a non-empty list. */
  pick<T>(items: readonly T[]): T;
}

/** mulberry32 seeded with `seed`. */
export function seededRandom(seed: number): Random {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  return { next, int, pick: (items) => items[int(items.length)]! };
}

/** `length` bytes drawn from `seed`. */
export function seededBytes(seed: number, length: number): Buffer {
  const r = seededRandom(seed);
  const out = Buffer.allocUnsafe(length);
  for (let i = 0; i < length; i++) out[i] = r.int(256);
  return out;
}

/**
 * The seed of test file `name`: `IMAGED_SEED` when set (to replay a failure), else a fresh one.
 * It is printed either way, so a failing run names the value to replay it with.
 */
export function testSeed(name: string): number {
  const given = process.env.IMAGED_SEED;
  const seed = given !== undefined && given !== '' ? Number(given) : Math.floor(Math.random() * 2 ** 31);
  if (!Number.isInteger(seed)) throw new Error(`IMAGED_SEED must be an integer, got ${JSON.stringify(given)}`);
  console.log(`${name}: seed ${seed} (replay with IMAGED_SEED=${seed})`);
  return seed;
}
