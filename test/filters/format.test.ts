/** Canonical filter strings. */
import { ImagedError } from '../../src/errdefs/index.js';
import {
  equalSelector,
  Filter,
  formatFilter,
  formatFilters,
  matchesSelector,
  notEqualSelector,
  parseFilter,
  parseFilters,
  presentSelector,
} from '../../src/filters/index.js';

describe('formatFilter', () => {
  test.each([
    ['', ''],
    ['name', 'name'],
    ['  name ==  foo', 'name==foo'],
    ['labels."a.b"==c', 'labels."a.b"==c'],
    ['labels."x"==y', 'labels.x==y'],
    ['labels.io.cri-containerd.image==managed', 'labels.io.cri-containerd.image==managed'],
    ['a=="x y",b!=""', 'a=="x y",b!=""'],
    ['a==`b`', 'a=="`b`"'],
    ['a==b=c.d/e', 'a==b=c.d/e'],
    ['a~=/^x\\/y$/', 'a~="^x/y$"'],
    ['a~=|\\\\d+|', 'a~="\\\\d+"'],
    ['a~=^x\\.y', 'a~="^x\\\\.y"'],
    ['a~=abc', 'a~=abc'],
    ['"".b==\\u', '"".b=="\\\\u"'],
  ])('%j → %j', (input, canonical) => {
    const filter = parseFilter(input);
    expect(formatFilter(filter)).toBe(canonical);
    expect(parseFilter(canonical)).toEqual(filter);
  });

  test('selectors built in code', () => {
    const filter = new Filter([
      [
        presentSelector(['labels', 'x y']),
        equalSelector(['name'], 'a\nb'),
        notEqualSelector(['id'], ''),
        matchesSelector(['topic'], '^/images/'),
      ],
    ]);
    expect(formatFilter(filter)).toBe('labels."x y",name=="a\\nb",id!="",topic~="^/images/"');
    expect(parseFilter(formatFilter(filter))).toEqual(filter);
  });

  test('several alternatives need formatFilters', () => {
    const filter = parseFilters(['name==a', '', 'labels.b']);
    expect(formatFilters(filter)).toEqual(['name==a', '', 'labels.b']);
    expect(parseFilters(formatFilters(filter))).toEqual(filter);
    expect(() => formatFilter(filter)).toThrow(ImagedError);
    expect(() => formatFilter(new Filter([]))).toThrow(/0 alternatives/);
  });
});
