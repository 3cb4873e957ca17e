/** The generic adaptors. */
import { adaptFields, dottedKeys, labelledFields, parseFilter } from '../../src/filters/index.js';

describe('adaptFields', () => {
  const adaptor = adaptFields({
    name: 'img',
    empty: '',
    size: 42,
    flag: false,
    nothing: null,
    target: { digest: 'sha256:abc', mediatype: 'application/json', nested: { deep: 'yes' } },
    labels: dottedKeys({ 'io.cri-containerd.image': 'managed', plain: 'v', blank: '' }),
  });

  test.each([
    [['name'], 'img'],
    [['empty'], undefined],
    [['size'], '42'],
    [['flag'], 'false'],
    [['nothing'], undefined],
    [['missing'], undefined],
    [['target'], undefined],
    [['target', 'digest'], 'sha256:abc'],
    [['target', 'nested', 'deep'], 'yes'],
    [['target', 'digest', 'more'], undefined],
    [['labels', 'io', 'cri-containerd', 'image'], 'managed'],
    [['labels', 'io.cri-containerd.image'], 'managed'],
    [['labels', 'plain'], 'v'],
    [['labels', 'blank'], ''],
    [['labels'], undefined],
    [['labels', 'nope'], undefined],
    [['toString'], undefined],
    [['labels', 'constructor'], undefined],
    [[], undefined],
  ])('%j → %j', (path, expected) => {
    expect(adaptor.field(path)).toBe(expected);
  });

  test('works with filters', () => {
    expect(parseFilter('labels.io.cri-containerd.image==managed,target.digest~=^sha256:').match(adaptor)).toBe(true);
    expect(parseFilter('labels.blank').match(adaptor)).toBe(true);
    expect(parseFilter('empty').match(adaptor)).toBe(false);
  });
});

describe('labelledFields', () => {
  const adaptor = labelledFields({ name: 'default', id: '' }, { 'a.b': 'c', x: '' });

  test.each([
    [['name'], 'default'],
    [['id'], undefined],
    [['name', 'x'], undefined],
    [['labels', 'a', 'b'], 'c'],
    [['labels', 'a.b'], 'c'],
    [['labels', 'x'], ''],
    [['labels'], undefined],
    [['labels', 'hasOwnProperty'], undefined],
    [['other'], undefined],
  ])('%j → %j', (path, expected) => {
    expect(adaptor.field(path)).toBe(expected);
  });
});
