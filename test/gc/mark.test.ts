/**
 * The mark phase as a pure function: which content, images and leases one namespace's snapshot
 * gives up, with containerd's roots (images, leases, gc.root), references (gc.ref.content labels,
 * image targets), expiry (gc.expire, RFC 3339) and flat leases (gc.flat).
 */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import type { Info, StringMap } from '../../src/content/index.js';
import { findGarbage, type NamespaceSnapshot } from '../../src/gc/index.js';
import type { Image } from '../../src/images/index.js';
import type { Lease, LeaseResource } from '../../src/metadata/index.js';

const NOW = Date.parse('2024-06-01T00:00:00Z');
const PAST = '2024-05-31T23:59:59Z';
const FUTURE = '2024-06-01T00:00:01Z';
const EXPIRE = 'containerd.io/gc.expire';
const ROOT = 'containerd.io/gc.root';
const FLAT = 'containerd.io/gc.flat';
const REF = 'containerd.io/gc.ref.content';

/** The digest standing for blob `name` in these tables. */
const D = (name: string): string => `sha256:${createHash('sha256').update(name).digest('hex')}`;
const NAMES = new Map<string, string>();
const nameOf = (digest: string): string => NAMES.get(digest) ?? digest;
for (const n of ['idx', 'm0', 'm1', 'm', 'cfg', 'cfg1', 'l0', 'l1', 'l2', 'l3', 'x', 'y', 'a', 'b', 'c', 'ghost', 'r', 'u']) NAMES.set(D(n), n);

const blob = (name: string, labels: Record<string, string> = {}): Info => ({
  digest: D(name),
  size: name.length,
  createdAt: 1n,
  updatedAt: 1n,
  labels,
});
/** Labels referencing `refs` (label key suffix → blob name). */
const refs = (r: Record<string, string>): Record<string, string> =>
  Object.fromEntries(Object.entries(r).map(([suffix, name]) => [suffix === '' ? REF : `${REF}.${suffix}`, D(name)]));
const image = (name: string, target: string, labels: StringMap = {}): Image => ({
  name,
  labels,
  target: { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: D(target), size: 1, annotations: {} },
  createdAt: 1n,
  updatedAt: 1n,
});
const lease = (id: string, content: readonly string[], labels: StringMap = {}, extra: readonly LeaseResource[] = []): Lease => ({
  id,
  createdAt: 1n,
  labels,
  resources: [...content.map((n) => ({ id: D(n), type: 'content' })), ...extra],
});

/** An image's tree: manifest `m` → config `cfg`, layers `l0`, `l1` and `l3` (named as containerd numbers them). */
const tree = (): Info[] => [
  blob('m', refs({ config: 'cfg', 'l.0': 'l0', 'l.1': 'l1', 'l.3': 'l3' })),
  blob('cfg'),
  blob('l0'),
  blob('l1'),
  blob('l3'),
];

interface Case {
  /** What the snapshot holds. */
  readonly snapshot: Partial<NamespaceSnapshot>;
  /** Blob names that must survive (everything else in the snapshot is garbage). */
  readonly kept: readonly string[];
  /** Names of images that must be removed as expired. */
  readonly images?: readonly string[];
  /** IDs of leases that must be removed as expired. */
  readonly leases?: readonly string[];
}

const CASES: Record<string, Case> = {
  'an empty namespace has no garbage': { snapshot: {}, kept: [] },
  'content with no root is garbage': { snapshot: { content: [blob('x'), blob('y', refs({ '': 'x' }))] }, kept: [] },
  'image → manifest → config and layers (gc.ref.content.config, .l.0, .l.1, .l.3)': {
    snapshot: { images: [image('img', 'm')], content: [...tree(), blob('u')] },
    kept: ['m', 'cfg', 'l0', 'l1', 'l3'],
  },
  'image → index → manifests (gc.ref.content.m.0, .m.1) → configs and layers': {
    snapshot: {
      images: [image('img', 'idx')],
      content: [
        blob('idx', refs({ 'm.0': 'm0', 'm.1': 'm1' })),
        blob('m0', refs({ config: 'cfg', 'l.0': 'l0' })),
        blob('m1', refs({ config: 'cfg1', 'l.0': 'l1', 'l.1': 'l2' })),
        blob('cfg'),
        blob('cfg1'),
        blob('l0'),
        blob('l1'),
        blob('l2'),
        blob('u'),
      ],
    },
    kept: ['idx', 'm0', 'm1', 'cfg', 'cfg1', 'l0', 'l1', 'l2'],
  },
  'the bare gc.ref.content label and any gc.ref.content.<suffix> are followed': {
    snapshot: { images: [image('img', 'a')], content: [blob('a', refs({ '': 'b', 'some.deep.name': 'c' })), blob('b'), blob('c')] },
    kept: ['a', 'b', 'c'],
  },
  'look-alike labels are not references': {
    snapshot: {
      images: [image('img', 'a')],
      content: [
        blob('a', {
          [`${REF}x`]: D('b'),
          [`${REF}-l.0`]: D('b'),
          'containerd.io/gc.ref.snapshot.overlayfs': D('c'),
          'example.com/gc.ref.content': D('c'),
          note: D('x'),
        }),
        blob('b'),
        blob('c'),
        blob('x'),
      ],
    },
    kept: ['a'],
  },
  'gc.root content is kept with everything it references': {
    snapshot: { content: [blob('r', { [ROOT]: '2024-01-01T00:00:00Z', ...refs({ 'l.0': 'l0' }) }), blob('l0'), blob('u')] },
    kept: ['r', 'l0'],
  },
  'a lease keeps its content resources and what they reference': {
    snapshot: { leases: [lease('pull', ['m'])], content: [...tree(), blob('u')] },
    kept: ['m', 'cfg', 'l0', 'l1', 'l3'],
  },
  'ingest and snapshot resources of a lease do not keep content': {
    snapshot: {
      leases: [lease('pull', [], {}, [{ id: D('x'), type: 'ingests' }, { id: D('y'), type: 'snapshots/overlayfs' }])],
      content: [blob('x'), blob('y')],
    },
    kept: [],
  },
  'a lease that expired keeps nothing and is removed': {
    snapshot: { leases: [lease('old', ['m'], { [EXPIRE]: PAST })], content: tree() },
    kept: [],
    leases: ['old'],
  },
  'a lease that expires later keeps its content': {
    snapshot: { leases: [lease('new', ['m'], { [EXPIRE]: FUTURE })], content: tree() },
    kept: ['m', 'cfg', 'l0', 'l1', 'l3'],
  },
  'RFC 3339 offsets and fractions are honoured': {
    snapshot: {
      leases: [
        lease('east', ['a'], { [EXPIRE]: '2024-06-01T01:00:00+02:00' }), // 23:00Z the day before: expired
        lease('west', ['b'], { [EXPIRE]: '2024-05-31T20:00:00-05:00' }), // 01:00Z: not yet
        lease('frac', ['c'], { [EXPIRE]: '2024-05-31T23:59:59.999999999Z' }), // just before: expired
      ],
      content: [blob('a'), blob('b'), blob('c')],
    },
    kept: ['b'],
    leases: ['east', 'frac'],
  },
  'an unparseable gc.expire never expires (lease and image)': {
    snapshot: {
      images: [image('img', 'a', { [EXPIRE]: 'not-a-time' })],
      leases: [lease('l', ['b'], { [EXPIRE]: 'tomorrow-ish' })],
      content: [blob('a'), blob('b')],
    },
    kept: ['a', 'b'],
  },
  'an image that expired is removed and its tree collected': {
    snapshot: { images: [image('gone', 'm', { [EXPIRE]: PAST })], content: tree() },
    kept: [],
    images: ['gone'],
  },
  'an image that expires later is a root': {
    snapshot: { images: [image('later', 'm', { [EXPIRE]: FUTURE })], content: tree() },
    kept: ['m', 'cfg', 'l0', 'l1', 'l3'],
  },
  'a flat lease keeps its resources but does not follow their labels': {
    snapshot: { leases: [lease('flat', ['m'], { [FLAT]: '1' })], content: tree() },
    kept: ['m'],
  },
  'a flat lease does not stop another root from following the same blob': {
    snapshot: { images: [image('img', 'm')], leases: [lease('flat', ['m'], { [FLAT]: '1' })], content: tree() },
    kept: ['m', 'cfg', 'l0', 'l1', 'l3'],
  },
  'a flat lease that expired keeps nothing': {
    snapshot: { leases: [lease('flat', ['m'], { [FLAT]: '1', [EXPIRE]: PAST })], content: tree() },
    kept: [],
    leases: ['flat'],
  },
  'a reference cycle under a root is kept (and the walk ends)': {
    snapshot: {
      images: [image('img', 'a')],
      content: [blob('a', refs({ 'x.0': 'b' })), blob('b', refs({ 'x.0': 'c' })), blob('c', refs({ 'x.0': 'a', 'x.1': 'c' }))],
    },
    kept: ['a', 'b', 'c'],
  },
  'a reference cycle without a root is garbage': {
    snapshot: { content: [blob('a', refs({ '': 'b' })), blob('b', refs({ '': 'a' })), blob('x', refs({ '': 'x' }))] },
    kept: [],
  },
  'references to digests the namespace does not see are ignored': {
    snapshot: {
      images: [image('img', 'm'), image('dangling', 'ghost')],
      leases: [lease('l', ['ghost'])],
      content: [blob('m', refs({ config: 'ghost', 'l.0': 'l0', 'l.1': 'ghost' })), blob('l0'), blob('u')],
    },
    kept: ['m', 'l0'],
  },
  'a reference value that is not a digest is ignored': {
    snapshot: { images: [image('img', 'a')], content: [blob('a', { [`${REF}.l.0`]: 'not a digest', [`${REF}.l.1`]: '' }), blob('b')] },
    kept: ['a'],
  },
  'roots sharing children: one expired image leaves the shared layers to the other': {
    snapshot: {
      images: [image('old', 'm0', { [EXPIRE]: PAST }), image('new', 'm1')],
      content: [
        blob('m0', refs({ config: 'cfg', 'l.0': 'l0', 'l.1': 'l1' })),
        blob('m1', refs({ config: 'cfg1', 'l.0': 'l0', 'l.1': 'l2' })),
        blob('cfg'),
        blob('cfg1'),
        blob('l0'),
        blob('l1'),
        blob('l2'),
      ],
    },
    kept: ['m1', 'cfg1', 'l0', 'l2'],
    images: ['old'],
  },
  'roots of every kind sharing one child keep it once': {
    snapshot: {
      images: [image('img', 'a')],
      leases: [lease('l', ['b'])],
      content: [blob('a', refs({ 'l.0': 'x' })), blob('b', refs({ 'l.0': 'x' })), blob('r', { [ROOT]: 'yes', ...refs({ '': 'x' }) }), blob('x')],
    },
    kept: ['a', 'b', 'r', 'x'],
  },
  'an expired image whose manifest a live image also uses keeps the manifest': {
    snapshot: { images: [image('old', 'm', { [EXPIRE]: PAST }), image('alias', 'm')], content: tree() },
    kept: ['m', 'cfg', 'l0', 'l1', 'l3'],
    images: ['old'],
  },
};

const full = (s: Partial<NamespaceSnapshot>): NamespaceSnapshot => ({ images: s.images ?? [], leases: s.leases ?? [], content: s.content ?? [] });

test.each(Object.entries(CASES))('%s', (_title, c) => {
  const snapshot = full(c.snapshot);
  const garbage = findGarbage(snapshot, NOW);
  const all = snapshot.content.map((i) => nameOf(i.digest));
  expect(garbage.content.map(nameOf).sort()).toEqual(all.filter((n) => !c.kept.includes(n)).sort());
  expect(new Set(garbage.content).size).toBe(garbage.content.length);
  expect([...garbage.images].sort()).toEqual([...(c.images ?? [])].sort());
  expect([...garbage.leases].sort()).toEqual([...(c.leases ?? [])].sort());
});

/**
 * containerd reads gc.expire with Go's `time.Parse(time.RFC3339, …)` and ignores (logs) a value
 * that does not parse, so the lease or image never expires. These values are not RFC 3339, but
 * JavaScript's Date.parse accepts them as dates in the past.
 */
describe.each([
  ['a bare number', '1'],
  ['a bare year', '2024'],
  ['a date without a time', '2024-05-01'],
  ['an RFC 1123 date', 'Fri, 31 May 2024 00:00:00 GMT'],
])('gc.expire that is %s (%j) is not RFC 3339, so it never expires', (_what, value) => {
  test('on a lease', () => {
    const garbage = findGarbage(full({ leases: [lease('l', ['m'], { [EXPIRE]: value })], content: tree() }), NOW);
    expect({ content: garbage.content.map(nameOf), leases: garbage.leases }).toEqual({ content: [], leases: [] });
  });
  test('on an image', () => {
    const garbage = findGarbage(full({ images: [image('img', 'm', { [EXPIRE]: value })], content: tree() }), NOW);
    expect({ content: garbage.content.map(nameOf), images: garbage.images }).toEqual({ content: [], images: [] });
  });
});

test('expiry is judged at the given time, not the wall clock', () => {
  const snapshot = full({ leases: [lease('l', ['a'], { [EXPIRE]: '2000-01-01T00:00:00Z' })], content: [blob('a')] });
  expect(findGarbage(snapshot, Date.parse('1999-12-31T23:59:59Z'))).toEqual({ content: [], images: [], leases: [] });
  expect(findGarbage(snapshot, Date.parse('2000-01-01T00:00:01Z'))).toEqual({ content: [D('a')], images: [], leases: ['l'] });
});

describe('property: on random graphs, kept = reachable from the roots (computed independently)', () => {
  type Expiry = 'none' | 'past' | 'future' | 'invalid';
  const expiryLabel = (e: Expiry): Record<string, string> =>
    e === 'none' ? {} : { [EXPIRE]: e === 'past' ? PAST : e === 'future' ? FUTURE : 'not-a-time' };
  /** Label keys that are references (followed) and look-alikes that are not. */
  const FOLLOWED = [
    (i: number) => (i === 0 ? REF : `${REF}.${i}`),
    (i: number) => `${REF}.m.${i}`,
    (i: number) => `${REF}.config${i === 0 ? '' : i}`,
    (i: number) => `${REF}.l.${i}`,
  ];
  const DECOYS = [
    (i: number) => `${REF}x${i}`,
    (i: number) => `containerd.io/gc.ref.snapshot.overlayfs.${i}`,
    (i: number) => `example.com/ref.${i}`,
    (i: number) => `${REF}-${i}`,
  ];
  const oneIn = (k: number) => fc.nat({ max: k - 1 }).map((x) => x === 0);
  const MAX = 10;
  /** Indexes ≥ the node count stand for digests the namespace does not see. */
  const target = fc.nat({ max: MAX + 2 });
  const expiry = fc.constantFrom<Expiry>('none', 'none', 'past', 'future', 'invalid');
  const graph = fc.record({
    nodes: fc.array(
      fc.record({
        root: oneIn(7),
        refs: fc.array(fc.record({ followed: fc.boolean(), kind: fc.nat({ max: 3 }), to: target }), { maxLength: 4 }),
      }),
      { minLength: 1, maxLength: MAX },
    ),
    images: fc.array(fc.record({ to: target, expiry }), { maxLength: 4 }),
    leases: fc.array(
      fc.record({
        flat: fc.boolean(),
        expiry,
        resources: fc.array(fc.record({ to: target, ingest: oneIn(5) }), { maxLength: 3 }),
      }),
      { maxLength: 3 },
    ),
  });
  const digestOf = (i: number) => D(`node-${i}`);

  test('findGarbage agrees with a fixpoint over the same graph', () => {
    fc.assert(
      fc.property(graph, (g) => {
        const n = g.nodes.length;
        const present = (i: number) => i < n;
        const content: Info[] = g.nodes.map((node, i) => {
          const labels: Record<string, string> = node.root ? { [ROOT]: 'true' } : {};
          node.refs.forEach((r, k) => {
            labels[(r.followed ? FOLLOWED : DECOYS)[r.kind]!(k)] = digestOf(r.to);
          });
          return { digest: digestOf(i), size: 1, createdAt: 1n, updatedAt: 1n, labels };
        });
        const images: Image[] = g.images.map((im, k) => {
          const made = image(`img-${k}`, 'x', expiryLabel(im.expiry));
          return { ...made, target: { ...made.target, digest: digestOf(im.to) } };
        });
        const leases: Lease[] = g.leases.map((l, k) => ({
          id: `lease-${k}`,
          createdAt: 1n,
          labels: { ...expiryLabel(l.expiry), ...(l.flat ? { [FLAT]: 'yes' } : {}) },
          resources: l.resources.map((r) => ({ id: digestOf(r.to), type: r.ingest ? 'ingests' : 'content' })),
        }));
        const live = (e: Expiry) => e !== 'past';

        // The model: seed with the roots, then add referenced nodes until nothing changes.
        const kept = new Set<number>();
        const seed = (i: number) => present(i) && kept.add(i);
        g.images.forEach((im) => live(im.expiry) && seed(im.to));
        g.nodes.forEach((node, i) => node.root && seed(i));
        g.leases.forEach((l) => live(l.expiry) && !l.flat && l.resources.forEach((r) => !r.ingest && seed(r.to)));
        for (let changed = true; changed; ) {
          changed = false;
          for (const i of [...kept]) {
            for (const r of g.nodes[i]!.refs) {
              if (r.followed && present(r.to) && !kept.has(r.to)) {
                kept.add(r.to);
                changed = true;
              }
            }
          }
        }
        g.leases.forEach((l) => live(l.expiry) && l.flat && l.resources.forEach((r) => !r.ingest && seed(r.to)));

        const garbage = findGarbage({ images, leases, content }, NOW);
        const expectedGarbage = content.filter((_, i) => !kept.has(i)).map((c) => c.digest);
        expect([...garbage.content].sort()).toEqual(expectedGarbage.sort());
        expect(garbage.images).toEqual(images.filter((_, k) => !live(g.images[k]!.expiry)).map((im) => im.name));
        expect(garbage.leases).toEqual(leases.filter((_, k) => !live(g.leases[k]!.expiry)).map((l) => l.id));
      }),
      { seed: 20240601, numRuns: 500 },
    );
  });
});
