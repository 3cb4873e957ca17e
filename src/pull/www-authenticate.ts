/** Parsing `WWW-Authenticate` challenges (RFC 9110 §11.6.1): scheme plus `name=value` parameters. */

/** One challenge: the lowercase scheme (`bearer`, `basic`, ...) and its lowercase-named parameters. */
export interface Challenge {
  /** Lowercase auth scheme. */
  readonly scheme: string;
  /** Parameters such as `realm`, `service`, `scope`, `error`. */
  readonly params: Readonly<Record<string, string>>;
}

const TOKEN_CHAR = /[!#$%&'*+.^_`|~0-9A-Za-z-]/;

/** Parses every challenge in the given header values; bearer challenges come first, then basic, then the rest. */
export function parseWwwAuthenticate(values: readonly string[] | string | undefined): Challenge[] {
  const list = values === undefined ? [] : typeof values === 'string' ? [values] : values;
  const out: Challenge[] = [];
  for (const value of list) out.push(...parseOne(value));
  const rank = (c: Challenge): number => (c.scheme === 'bearer' ? 0 : c.scheme === 'basic' ? 1 : 2);
  return out.map((c, i) => ({ c, i })).sort((a, b) => rank(a.c) - rank(b.c) || a.i - b.i).map(({ c }) => c);
}

function parseOne(s: string): Challenge[] {
  let i = 0;
  const skip = (chars: RegExp): void => {
    while (i < s.length && chars.test(s[i] ?? '')) i++;
  };
  const token = (): string => {
    const start = i;
    while (i < s.length && TOKEN_CHAR.test(s[i] ?? '')) i++;
    return s.slice(start, i);
  };
  const quoted = (): string => {
    let out = '';
    for (i++; i < s.length; i++) {
      const ch = s[i] ?? '';
      if (ch === '"') {
        i++;
        return out;
      }
      if (ch === '\\' && i + 1 < s.length) i++;
      out += s[i] ?? '';
    }
    return out;
  };
  const challenges: Challenge[] = [];
  for (;;) {
    skip(/[\s,]/);
    const scheme = token();
    if (scheme === '') break;
    const params: Record<string, string> = {};
    for (;;) {
      skip(/\s/);
      const save = i;
      const name = token();
      skip(/\s/);
      if (name === '' || s[i] !== '=') {
        i = save;
        break;
      }
      i++;
      if (s[i] === '=') {
        // token68 (`abc==`): not parameters; skip to the next challenge.
        while (i < s.length && s[i] !== ',') i++;
        break;
      }
      skip(/\s/);
      params[name.toLowerCase()] = s[i] === '"' ? quoted() : token();
      skip(/\s/);
      if (s[i] !== ',') break;
      i++;
    }
    challenges.push({ scheme: scheme.toLowerCase(), params });
    if (i < s.length && s[i] !== ',' && !/\s/.test(s[i] ?? '') && !TOKEN_CHAR.test(s[i] ?? '')) break;
  }
  return challenges;
}
