import fc from 'fast-check';
import { sortReferences, splitReferences } from '../../src/reference/index.js';
import { sha } from './helpers.js';

const E669 = 'sha256:e6693c20186f837fc393390135d8a598a96a833917917789d63766cab6c59582';

// Inputs of containerd's TestParseImageReferences, with the ParseAnyReference behaviour: a short
// name such as busybox:fixed is reported normalized (newer containerd drops non-canonical names).
test('splitReferences normalizes what ParseAnyReference accepts', () => {
  expect(
    splitReferences([
      `gcr.io/library/busybox@${E669}`,
      'gcr.io/library/busybox:1.2',
      E669,
      'busybox:fixed',
      'arbitrary-ref',
    ]),
  ).toEqual({
    repoTags: ['gcr.io/library/busybox:1.2', 'docker.io/library/busybox:fixed'],
    repoDigests: [`gcr.io/library/busybox@${E669}`],
  });
});

test('splitReferences keeps input order, normalizes, and skips IDs and bad input', () => {
  const D = sha('a');
  expect(
    splitReferences([
      'z.io/b:2',
      `a.io/a@${D}`,
      'a.io/a:1',
      `busybox:1@${D}`,
      'a'.repeat(64),
      D,
      'Not A Reference',
      '',
      `y.io/c@${D}`,
    ]),
  ).toEqual({
    repoTags: ['z.io/b:2', 'a.io/a:1'],
    repoDigests: [`a.io/a@${D}`, `docker.io/library/busybox:1@${D}`, `y.io/c@${D}`],
  });
});

test('sortReferences: name+tag+digest, name+tag, name+digest, name, digest, unparseable', () => {
  const D = sha('b');
  const input = [
    'BAD!',
    D,
    'docker.io/library/b',
    `x.io/a@${D}`,
    'x.io/b:2',
    `x.io/b:1@${D}`,
    'c.io/a:1',
    'a'.repeat(64),
    'also bad',
    `busybox@${D}`,
    'a.io/z',
  ];
  expect(sortReferences(input)).toEqual([
    `x.io/b:1@${D}`,
    'c.io/a:1',
    'x.io/b:2',
    `docker.io/library/busybox@${D}`,
    `x.io/a@${D}`,
    'a.io/z',
    'docker.io/library/b',
    `sha256:${'a'.repeat(64)}`,
    D,
    'BAD!',
    'also bad',
  ]);
});

test('sortReferences orders ties by code point, as Go compares strings', () => {
  expect(sortReferences(['\u{1F433}', '\uFFFF', 'B!', 'A!'])).toEqual(['A!', 'B!', '\uFFFF', '\u{1F433}']);
});

test('sortReferences does not depend on input order and keeps every entry', () => {
  const refs = fc.constantFrom(
    'busybox',
    'busybox:1',
    `busybox@${sha('c')}`,
    `busybox:1@${sha('c')}`,
    sha('d'),
    'd'.repeat(64),
    'x.io/y/z:t',
    'bad ref',
    'UPPER',
    '',
  );
  fc.assert(
    fc.property(fc.array(refs, { maxLength: 12 }), (list) => {
      const sorted = sortReferences(list);
      expect(sorted).toHaveLength(list.length);
      expect(sortReferences([...list].reverse())).toEqual(sorted);
      expect(sortReferences(sorted)).toEqual(sorted);
    }),
  );
});
