import { createLogger, REDACTED, SECRET_FIELDS, type LoggerOptions } from '../../src/log/index.js';

/** A logger writing into an array. */
function capture(options: Omit<LoggerOptions, 'destination'> = {}) {
  const lines: string[] = [];
  const logger = createLogger({ ...options, destination: { write: (line) => void lines.push(line) } });
  return { logger, lines, records: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

test('JSON lines with level name, ISO time, message and fields; lines below the level are dropped', () => {
  const { logger, records } = capture({ level: 'info', format: 'json' });
  logger.log('debug', 'hidden');
  logger.log('info', 'shown', { image: 'a:1', size: 3 });
  logger.log('error', 'bad', { err: new Error('boom') });
  const [shown, bad, ...rest] = records();
  expect(rest).toEqual([]);
  expect(shown).toMatchObject({ level: 'info', msg: 'shown', image: 'a:1', size: 3, pid: process.pid });
  expect(new Date(String(shown?.['time'])).toISOString()).toBe(shown?.['time']);
  expect(bad).toMatchObject({ level: 'error', err: { type: 'Error', message: 'boom' } });
  expect(String((bad?.['err'] as { stack: string }).stack)).toContain('logger.test');
});

test('enabled() follows the level', () => {
  const { logger } = capture({ level: 'warn', format: 'json' });
  expect([logger.enabled('debug'), logger.enabled('info'), logger.enabled('warn'), logger.enabled('error')]).toEqual([false, false, true, true]);
});

test('child loggers add their bindings to every line', () => {
  const { logger, records } = capture({ format: 'json' });
  logger.child({ component: 'gc' }).child({ run: 2 }).log('info', 'collected');
  expect(records()[0]).toMatchObject({ component: 'gc', run: 2, msg: 'collected' });
});

test('text format when asked, or when auto and the destination is a terminal', () => {
  for (const options of [{ format: 'text' as const }, { format: 'auto' as const, isTty: true }]) {
    const { logger, lines } = capture(options);
    logger.log('warn', 'slow pull', { image: 'a:1' });
    expect(lines).toEqual([expect.stringMatching(/^\d{4}-\d\d-\d\dT[\d:.]+Z WARN  slow pull image=a:1\n$/)]);
  }
  const { logger, records } = capture({ format: 'auto', isTty: false });
  logger.log('info', 'json');
  expect(records()[0]?.['msg']).toBe('json');
});

test.each(SECRET_FIELDS)('field %j is redacted at the top level and nested, in both formats', (name) => {
  for (const format of ['json', 'text'] as const) {
    const { logger, lines } = capture({ format });
    logger.log('info', 'call', { [name]: 'top-s3cret', headers: { [name]: 'nested-s3cret' }, a: { b: { c: { [name]: 'deep-s3cret' } } } });
    expect(lines.join('')).not.toMatch(/s3cret/);
    expect(lines.join('')).toContain(REDACTED);
  }
});

test('a whole CRI AuthConfig under `auth` is redacted', () => {
  const { logger, lines } = capture({ format: 'json' });
  logger.log('info', 'pull', { image: 'a:1', auth: { username: 'u', password: 'pw-1', identityToken: 'tok-1' } });
  expect(lines.join('')).not.toMatch(/pw-1|tok-1/);
  expect(lines.join('')).toContain('a:1');
});
