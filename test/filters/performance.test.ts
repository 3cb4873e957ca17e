/**
 * Work done per match: regexps are compiled once, at parse time, never while matching; and a very
 * large filter parses at all (no recursion limits hit). Timing is measured in bench/, never asserted here.
 */
import { jest } from '@jest/globals';
import { labelledFields, parseFilter } from '../../src/filters/index.js';

test('a 1 MB filter of 20,000 selectors parses', () => {
  const input = Array.from({ length: 20000 }, (_, i) => `labels."key.${i}"==value-${i}`).join(',');
  expect(input.length).toBeGreaterThan(500000);
  expect(parseFilter(input).clauses[0]).toHaveLength(20000);
});

test('regexps are compiled once, at parse time', () => {
  const filter = parseFilter('name~=^docker\\.io/library/,labels.io.cri-containerd.image~=(?i)^MANAGED$,name!=x');
  const objects = Array.from({ length: 1000 }, (_, i) =>
    labelledFields({ name: `docker.io/library/img${i}` }, { 'io.cri-containerd.image': i % 2 === 0 ? 'managed' : 'other' }),
  );
  const constructed = jest.spyOn(globalThis, 'RegExp');
  let matched = 0;
  for (let round = 0; round < 100; round++) for (const o of objects) if (filter.match(o)) matched += 1;
  const callsWhileMatching = constructed.mock.calls.length;
  parseFilter(`name~=^fresh-${Date.now()}$`); // proves the spy sees our compilations
  const callsWhileParsing = constructed.mock.calls.length - callsWhileMatching;
  constructed.mockRestore();
  expect(callsWhileMatching).toBe(0);
  expect(callsWhileParsing).toBeGreaterThan(0);
  expect(matched).toBe(50000);
});
