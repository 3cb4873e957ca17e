/** Go regular expressions compiled to equivalent JavaScript RegExps, cached by pattern. */
import { invalidArgument, type ImagedError } from '../../errdefs/index.js';
import { emitJavaScript } from './emit.js';
import { RegexpError } from './errors.js';
import { parseGoRegexp } from './parse.js';

const CACHE_LIMIT = 512;
const cache = new Map<string, RegExp>();

/**
 * Translates a Go (RE2) pattern into a JavaScript RegExp that matches the same strings: `test`
 * answers what Go's `MatchString` answers (an unanchored search). Results are cached, so
 * compiling the same pattern again is cheap; the returned RegExp has no `g`/`y` flag and can be
 * shared.
 *
 * @throws RegexpError when Go rejects the pattern or it cannot be translated exactly.
 */
export function translateGoRegexp(pattern: string): RegExp {
  const hit = cache.get(pattern);
  if (hit !== undefined) return hit;
  const source = emitJavaScript(parseGoRegexp(pattern));
  let regexp: RegExp;
  try {
    regexp = new RegExp(source, 'v');
  } catch (err) {
    throw RegexpError.unsupported(`the JavaScript engine refused the translation (${(err as Error).message})`);
  }
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  cache.set(pattern, regexp);
  return regexp;
}

/**
 * Like {@link translateGoRegexp}, but failures are InvalidArgument {@link ImagedError}s whose
 * message is Go's ("error parsing regexp: …") or says why the pattern is not supported.
 */
export function compileGoRegexp(pattern: string): RegExp {
  try {
    return translateGoRegexp(pattern);
  } catch (err) {
    if (err instanceof RegexpError) throw invalidArgument(err.message);
    throw err;
  }
}
