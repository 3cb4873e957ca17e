import fc from 'fast-check';
import { formatTextLine } from '../../src/log/index.js';

const line = (record: Record<string, unknown>): string => formatTextLine(`${JSON.stringify(record)}\n`);

test.each([
  [{ time: 'T', level: 'info', msg: 'imaged serving', pid: 7, socket: '/run/x.sock', tcpPort: 70 }, 'T INFO  imaged serving socket=/run/x.sock tcpPort=70\n'],
  [{ time: 'T', level: 'debug', msg: 'rpc', code: 'OK', ok: true, none: null }, 'T DEBUG rpc code=OK ok=true none=null\n'],
  [{ time: 'T', level: 'warn', msg: 'x', image: 'a b', empty: '' }, 'T WARN  x image="a b" empty=""\n'],
  [{ time: 'T', level: 'error', msg: 'failed', err: { type: 'Error', message: 'boom', stack: 'Error: boom\n    at f' } }, 'T ERROR failed err.type=Error err.message=boom err.stack="Error: boom\\n    at f"\n'],
  [{ time: 'T', level: 'info', msg: 'two\nlines', list: [1, 'a'], nested: {} }, 'T INFO  "two\\nlines" list=[1,"a"] nested={}\n'],
  [{ time: 'T', level: 'info', msg: 'm', 'odd key': 'v=1' }, 'T INFO  m "odd key"="v=1"\n'],
])('%j', (record, expected) => {
  expect(line(record)).toBe(expected);
});

test('a line that is not JSON is quoted, not lost', () => {
  expect(formatTextLine('not json\n')).toBe('"not json"\n');
});

test('any record becomes exactly one line', () => {
  const breaks = /[\n\r\u2028\u2029\u0085\v\f]/;
  fc.assert(
    fc.property(fc.string({ unit: 'binary' }), fc.dictionary(fc.string({ unit: 'binary' }), fc.jsonValue()), (msg, fields) => {
      const out = line({ level: 'info', time: 'T', msg, ...fields });
      expect(out.endsWith('\n')).toBe(true);
      expect(breaks.test(out.slice(0, -1))).toBe(false);
    }),
    { numRuns: 2000 },
  );
});
