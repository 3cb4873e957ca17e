/**
 * A parser for Go's regexp syntax (package regexp/syntax with the Perl flags that
 * `regexp.Compile` uses). It accepts and rejects what Go does — including Go's limits on
 * repetition counts (1000, also for products of nested counts), tree height and program size —
 * and reports errors with Go's codes and text. Known gaps: more than 1000 nested non-capturing
 * groups are refused as unsupported (Go accepts them; here they would exhaust the stack), and
 * Go's cap on the total size of character classes (about 26,000 `\pL`) is not enforced.
 */
import type { Assertion, ClassNode, RegexNode, RepeatNode, RepeatOp } from './ast.js';
import { foldSet, foldingCodePoints, orbitOf } from './case-fold.js';
import { ALL, type CodePointSet, complement, EMPTY, normalize, rangesSource, union } from './char-set.js';
import { RegexpError } from './errors.js';
import { lookupUnicodeClass, PERL_CLASSES, POSIX_CLASSES } from './named-classes.js';

/** The flags `(?imsU)` set; they are scoped to the enclosing group. */
interface Flags {
  readonly fold: boolean;
  readonly multiLine: boolean;
  readonly dotNL: boolean;
  readonly nonGreedy: boolean;
}

const DEFAULT_FLAGS: Flags = { fold: false, multiLine: false, dotNL: false, nonGreedy: false };

/** Go's largest repetition count, also the limit on the product of nested counts. */
const MAX_REPEAT = 1000;
/** Go's limit on the height of its parse tree; applied here to group nesting and stacked repeats. */
const MAX_DEPTH = 1000;
/** Go's limit on the size of the compiled program, in instructions (128 MiB / 40 bytes). */
const MAX_SIZE = Math.floor((128 << 20) / 40);

/** A union of code points and `v`-mode class-set operands, before any negation. */
interface ClassPiece {
  readonly set: CodePointSet;
  readonly operands: readonly string[];
}

const NEWLINE_ONLY: CodePointSet = [0x0a, 0x0a];

const isAlnum = (c: number): boolean =>
  (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);

const unhex = (c: number | undefined): number => {
  if (c === undefined) return -1;
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  if (c >= 0x41 && c <= 0x46) return c - 0x41 + 10;
  return -1;
};

const width = (cp: number): number => (cp > 0xffff ? 2 : 1);

const foldExtrasCache = new Map<string, CodePointSet>();

/** Code points outside the class `operand` that match one of its members under `(?i)`. */
function foldExtras(operand: string): CodePointSet {
  let extras = foldExtrasCache.get(operand);
  if (extras === undefined) {
    const inClass = new RegExp(`^[${operand}]$`, 'v');
    const has = (cp: number): boolean => inClass.test(String.fromCodePoint(cp));
    const found: number[] = [];
    for (const cp of foldingCodePoints()) {
      if (!has(cp) && orbitOf(cp).some(has)) found.push(cp, cp);
    }
    extras = normalize(found);
    foldExtrasCache.set(operand, extras);
  }
  return extras;
}

/** Go's check that nested counted repetitions do not multiply beyond `n` copies. */
function repeatIsValid(node: RegexNode, n: number): boolean {
  let budget = n;
  if (node.type === 'repeat' && node.op === 'counted') {
    let m = node.max;
    if (m === 0) return true;
    if (m < 0) m = node.min;
    if (m > budget) return false;
    if (m > 0) budget = Math.trunc(budget / m);
  }
  switch (node.type) {
    case 'concat':
    case 'alternate':
      return node.subs.every((sub) => repeatIsValid(sub, budget));
    case 'group':
    case 'repeat':
      return repeatIsValid(node.sub, budget);
    default:
      return true;
  }
}

/** The size Go's compiler would give the node, in instructions (Go's `calcSize`). */
function programSize(node: RegexNode): number {
  let size: number;
  switch (node.type) {
    case 'concat':
      size = node.subs.reduce((sum, sub) => sum + programSize(sub), 0);
      break;
    case 'alternate':
      size = node.subs.reduce((sum, sub) => sum + programSize(sub), 0) + node.subs.length - 1;
      break;
    case 'group':
      size = (node.capture ? 2 : 0) + programSize(node.sub);
      break;
    case 'repeat': {
      const sub = programSize(node.sub);
      if (node.op === 'star') size = 2 + sub;
      else if (node.op !== 'counted') size = 1 + sub;
      else if (node.max === -1) size = node.min === 0 ? 2 + sub : 1 + node.min * sub;
      else size = node.max * sub + (node.max - node.min);
      break;
    }
    default:
      size = 1;
  }
  return Math.max(1, size);
}

/** Parses a Go regular expression. @throws RegexpError */
export function parseGoRegexp(pattern: string): RegexNode {
  return new GoRegexpParser(pattern).parse();
}

class GoRegexpParser {
  private pos = 0;
  /** Open groups, and how many of them capture (Go counts only those towards its height limit). */
  private depth = 0;
  private captures = 0;
  /** How many repetitions are stacked directly on each other (`a*(?i)*` nests without a group). */
  private readonly stacked = new WeakMap<RegexNode, number>();

  constructor(private readonly src: string) {}

  parse(): RegexNode {
    const lone = /\p{Cs}/u.exec(this.src);
    if (lone !== null) throw RegexpError.syntax('invalid UTF-8', this.src.slice(lone.index));
    const node = this.alternation({ flags: DEFAULT_FLAGS });
    if (this.pos < this.src.length) throw RegexpError.syntax('unexpected )', this.src);
    if (programSize(node) > MAX_SIZE) throw RegexpError.syntax('expression too large', this.src);
    return node;
  }

  private at(offset = 0): number {
    return this.src.charCodeAt(this.pos + offset);
  }

  private alternation(state: { flags: Flags }): RegexNode {
    const branches = [this.concat(state)];
    while (this.at() === 0x7c) {
      this.pos += 1;
      branches.push(this.concat(state));
    }
    return branches.length === 1 ? (branches[0] as RegexNode) : { type: 'alternate', subs: branches };
  }

  private concat(state: { flags: Flags }): RegexNode {
    const { src } = this;
    const items: RegexNode[] = [];
    let lastRepeat = -1;
    while (this.pos < src.length) {
      const c = this.at();
      if (c === 0x7c || c === 0x29) break; // | )
      let repeatStart = -1;
      const { flags } = state;
      switch (c) {
        case 0x28: // (
          if (this.at(1) === 0x3f) {
            const group = this.perlGroup(state);
            if (group !== undefined) items.push(group);
          } else {
            this.pos += 1;
            items.push(this.group(flags, true));
          }
          break;
        case 0x5e: // ^
          this.pos += 1;
          items.push({ type: 'assert', assertion: flags.multiLine ? 'beginLine' : 'beginText' });
          break;
        case 0x24: // $
          this.pos += 1;
          items.push({ type: 'assert', assertion: flags.multiLine ? 'endLine' : 'endText' });
          break;
        case 0x2e: // .
          this.pos += 1;
          items.push(classNode(flags.dotNL ? ALL : complement(NEWLINE_ONLY), [], false));
          break;
        case 0x5b: // [
          items.push(this.bracket(flags));
          break;
        case 0x2a: // *
        case 0x2b: // +
        case 0x3f: {
          // ?
          repeatStart = this.pos;
          this.pos += 1;
          const op: RepeatOp = c === 0x2a ? 'star' : c === 0x2b ? 'plus' : 'quest';
          this.repeat(items, flags, op, c === 0x2b ? 1 : 0, c === 0x3f ? 1 : -1, repeatStart, lastRepeat);
          break;
        }
        case 0x7b: {
          // {
          const start = this.pos;
          const counts = this.counts();
          if (counts === undefined) {
            this.pos += 1;
            items.push(literal(0x7b, flags));
            break;
          }
          const [min, max] = counts;
          if (min < 0 || min > MAX_REPEAT || max > MAX_REPEAT || (max >= 0 && min > max)) {
            throw RegexpError.syntax('invalid repeat count', src.slice(start, this.pos));
          }
          repeatStart = start;
          this.repeat(items, flags, 'counted', min, max, start, lastRepeat);
          break;
        }
        case 0x5c: // backslash
          this.escape(items, flags);
          break;
        default: {
          const cp = src.codePointAt(this.pos) ?? 0;
          this.pos += width(cp);
          items.push(literal(cp, flags));
        }
      }
      lastRepeat = repeatStart;
    }
    if (items.length === 0) return { type: 'empty' };
    return items.length === 1 ? (items[0] as RegexNode) : { type: 'concat', subs: items };
  }

  /** Applies a repetition operator (already consumed, from `start`) to the last item. */
  private repeat(
    items: RegexNode[],
    flags: Flags,
    op: RepeatOp,
    min: number,
    max: number,
    start: number,
    lastRepeat: number,
  ): void {
    let greedy = !flags.nonGreedy;
    if (this.at() === 0x3f) {
      this.pos += 1;
      greedy = !greedy;
    }
    if (lastRepeat >= 0) throw RegexpError.syntax('invalid nested repetition operator', this.src.slice(lastRepeat, this.pos));
    const sub = items.pop();
    if (sub === undefined) {
      throw RegexpError.syntax('missing argument to repetition operator', this.src.slice(start, this.pos));
    }
    const node: RepeatNode = { type: 'repeat', op, sub, min, max, greedy };
    const stacked = (this.stacked.get(sub) ?? 0) + 1;
    if (stacked + this.depth > MAX_DEPTH) throw RegexpError.syntax('expression nests too deeply', this.src);
    this.stacked.set(node, stacked);
    if (op === 'counted' && (min >= 2 || max >= 2) && !repeatIsValid(node, MAX_REPEAT)) {
      throw RegexpError.syntax('invalid repeat count', this.src.slice(start, this.pos));
    }
    items.push(node);
  }

  /** Parses `{n}`, `{n,}` or `{n,m}` at the cursor; undefined (cursor unmoved) for anything else. */
  private counts(): [number, number] | undefined {
    const { src } = this;
    let i = this.pos + 1;
    const int = (): number | undefined => {
      const from = i;
      while (i < src.length && src.charCodeAt(i) >= 0x30 && src.charCodeAt(i) <= 0x39) i += 1;
      if (i === from) return undefined;
      if (i - from >= 2 && src.charCodeAt(from) === 0x30) return undefined; // no leading zeros
      const digits = src.slice(from, i);
      return digits.length > 8 ? -1 : Number(digits);
    };
    const min = int();
    if (min === undefined || i >= src.length) return undefined;
    let max = min;
    let tooBig = min < 0;
    if (src.charCodeAt(i) === 0x2c) {
      i += 1;
      if (i >= src.length) return undefined;
      if (src.charCodeAt(i) === 0x7d) {
        max = -1;
      } else {
        const m = int();
        if (m === undefined) return undefined;
        max = m;
        if (m < 0) tooBig = true;
      }
    }
    if (src.charCodeAt(i) !== 0x7d) return undefined;
    this.pos = i + 1;
    return [tooBig ? -1 : min, max];
  }

  private group(flags: Flags, capture: boolean): RegexNode {
    this.depth += 1;
    if (capture) this.captures += 1;
    if (this.depth > MAX_DEPTH) {
      // Go's limit is on the height of its tree, where only capturing groups are nodes; deeper
      // nesting of non-capturing groups is valid Go but would exhaust the stack here.
      if (this.captures === this.depth) throw RegexpError.syntax('expression nests too deeply', this.src);
      throw RegexpError.unsupported(`groups nested more than ${MAX_DEPTH} deep`);
    }
    const sub = this.alternation({ flags });
    if (this.at() !== 0x29) throw RegexpError.syntax('missing closing )', this.src);
    this.pos += 1;
    this.depth -= 1;
    if (capture) this.captures -= 1;
    return { type: 'group', sub, capture };
  }

  /** `(?P<name>`, `(?<name>`, `(?flags)` or `(?flags:`; returns undefined for a bare flag change. */
  private perlGroup(state: { flags: Flags }): RegexNode | undefined {
    const { src } = this;
    const start = this.pos;
    const rest = src.length - start;
    const named = rest > 4 && src.startsWith('(?P<', start) ? 4 : rest > 3 && src.startsWith('(?<', start) ? 3 : 0;
    if (named > 0) {
      const end = src.indexOf('>', start);
      if (end < 0) throw RegexpError.syntax('invalid named capture', src.slice(start));
      if (!/^\w+$/.test(src.slice(start + named, end))) {
        throw RegexpError.syntax('invalid named capture', src.slice(start, end + 1));
      }
      this.pos = end + 1;
      return this.group(state.flags, true);
    }

    this.pos += 2;
    let { fold, multiLine, dotNL, nonGreedy } = state.flags;
    let negate = false;
    let sawFlag = false;
    while (this.pos < src.length) {
      const c = src.codePointAt(this.pos) ?? 0;
      this.pos += width(c);
      if (c === 0x69 || c === 0x6d || c === 0x73 || c === 0x55) {
        const on = !negate;
        if (c === 0x69) fold = on;
        else if (c === 0x6d) multiLine = on;
        else if (c === 0x73) dotNL = on;
        else nonGreedy = on;
        sawFlag = true;
        continue;
      }
      if (c === 0x2d && !negate) {
        negate = true;
        sawFlag = false;
        continue;
      }
      if ((c === 0x3a || c === 0x29) && !(negate && !sawFlag)) {
        const flags: Flags = { fold, multiLine, dotNL, nonGreedy };
        if (c === 0x3a) return this.group(flags, false);
        state.flags = flags;
        return undefined;
      }
      break;
    }
    throw RegexpError.syntax('invalid or unsupported Perl syntax', src.slice(start, this.pos));
  }

  /** A backslash outside brackets. */
  private escape(items: RegexNode[], flags: Flags): void {
    const { src } = this;
    if (this.pos + 1 < src.length) {
      const assertion = ESCAPE_ASSERTIONS.get(this.at(1));
      if (assertion !== undefined) {
        this.pos += 2;
        items.push({ type: 'assert', assertion });
        return;
      }
      switch (this.at(1)) {
        case 0x43: // C
          throw RegexpError.syntax('invalid escape sequence', '\\C');
        case 0x51: {
          // Q
          const end = src.indexOf('\\E', this.pos + 2);
          const text = src.slice(this.pos + 2, end < 0 ? src.length : end);
          this.pos = end < 0 ? src.length : end + 2;
          for (const ch of text) items.push(literal(ch.codePointAt(0) ?? 0, flags));
          return;
        }
        case 0x70: // p
        case 0x50: {
          // P
          const piece = this.unicodeClass(flags);
          items.push(classNode(piece.set, piece.operands, false));
          return;
        }
        default: {
          const perl = this.perlClass(flags);
          if (perl !== undefined) {
            items.push(classNode(perl.set, perl.operands, false));
            return;
          }
        }
      }
    }
    items.push(literal(this.escapedChar(), flags));
  }

  /** `\d \D \s \S \w \W` at the cursor, folded and negated as needed; undefined for other input. */
  private perlClass(flags: Flags): ClassPiece | undefined {
    const letter = this.at(1);
    const set = PERL_CLASSES.get(String.fromCharCode(letter | 0x20));
    if (this.at() !== 0x5c || set === undefined) return undefined;
    this.pos += 2;
    return groupPiece(set, letter < 0x61, flags);
  }

  /** `\pN`, `\p{Name}`, `\PN`, `\P{Name}` (and `\p{^Name}`) at the cursor. */
  private unicodeClass(flags: Flags): ClassPiece {
    const { src } = this;
    const start = this.pos;
    let negated = this.at(1) === 0x50;
    const c = src.codePointAt(start + 2);
    let name: string;
    let end: number;
    if (c !== 0x7b) {
      end = c === undefined ? start + 2 : start + 2 + width(c);
      name = src.slice(start + 2, end);
    } else {
      const close = src.indexOf('}', start);
      if (close < 0) throw RegexpError.syntax('invalid character class range', src.slice(start));
      end = close + 1;
      name = src.slice(start + 3, close);
    }
    const seq = src.slice(start, end);
    this.pos = end;
    if (name.startsWith('^')) {
      negated = !negated;
      name = name.slice(1);
    }
    const found = lookupUnicodeClass(name);
    if (found.kind === 'unknown') throw RegexpError.syntax('invalid character class range', seq);
    if (found.kind === 'unsupported') {
      throw RegexpError.unsupported(`Unicode class ${seq} is not known to this JavaScript runtime`);
    }
    const { operand } = found;
    const extras = flags.fold ? foldExtras(operand) : EMPTY;
    if (!negated) return { set: extras, operands: [operand] };
    if (extras.length === 0 && operand.startsWith('\\p{')) return { set: EMPTY, operands: [`\\P{${operand.slice(3)}`] };
    return { set: EMPTY, operands: [`[^${operand}${rangesSource(extras)}]`] };
  }

  /** A bracketed class `[…]` or `[^…]`. */
  private bracket(flags: Flags): ClassNode {
    const { src } = this;
    const start = this.pos;
    this.pos += 1;
    let negated = false;
    if (this.at() === 0x5e) {
      negated = true;
      this.pos += 1;
    }
    const chars: number[] = [];
    const pieces: ClassPiece[] = [];
    let first = true;
    while (this.pos >= src.length || this.at() !== 0x5d || first) {
      first = false;
      if (src.length - this.pos > 2 && this.at() === 0x5b && this.at(1) === 0x3a) {
        const close = src.indexOf(':]', this.pos + 2);
        if (close >= 0) {
          const whole = src.slice(this.pos, close + 2);
          const name = src.slice(this.pos + 2, close);
          const set = POSIX_CLASSES.get(name.startsWith('^') ? name.slice(1) : name);
          if (set === undefined) throw RegexpError.syntax('invalid character class range', whole);
          pieces.push(groupPiece(set, name.startsWith('^'), flags));
          this.pos = close + 2;
          continue;
        }
      }
      if (this.at() === 0x5c && (this.at(1) === 0x70 || this.at(1) === 0x50)) {
        pieces.push(this.unicodeClass(flags));
        continue;
      }
      const perl = this.perlClass(flags);
      if (perl !== undefined) {
        pieces.push(perl);
        continue;
      }
      const rangeStart = this.pos;
      const lo = this.classChar(start);
      let hi = lo;
      if (src.length - this.pos >= 2 && this.at() === 0x2d && this.at(1) !== 0x5d) {
        this.pos += 1;
        hi = this.classChar(start);
        if (hi < lo) throw RegexpError.syntax('invalid character class range', src.slice(rangeStart, this.pos));
      }
      chars.push(lo, hi);
    }
    this.pos += 1;
    const own = normalize(chars);
    const set = union(flags.fold ? foldSet(own) : own, ...pieces.map((p) => p.set));
    return classNode(set, pieces.flatMap((p) => p.operands), negated);
  }

  private classChar(classStart: number): number {
    if (this.pos >= this.src.length) throw RegexpError.syntax('missing closing ]', this.src.slice(classStart));
    if (this.at() === 0x5c) return this.escapedChar();
    const cp = this.src.codePointAt(this.pos) ?? 0;
    this.pos += width(cp);
    return cp;
  }

  /** A single-character escape at the cursor (Go's `parseEscape`). */
  private escapedChar(): number {
    const { src } = this;
    const start = this.pos;
    this.pos += 1;
    if (this.pos >= src.length) throw RegexpError.syntax('trailing backslash at end of expression', '');
    const next = (): number | undefined => {
      const cp = src.codePointAt(this.pos);
      if (cp !== undefined) this.pos += width(cp);
      return cp;
    };
    const invalid = (): RegexpError => RegexpError.syntax('invalid escape sequence', src.slice(start, this.pos));
    const c = next() ?? 0;
    if (c < 0x80 && !isAlnum(c)) return c;
    const isOctal = (x: number): boolean => x >= 0x30 && x <= 0x37;
    if (c >= 0x31 && c <= 0x37 && !isOctal(this.at())) throw invalid(); // a backreference
    if (c >= 0x30 && c <= 0x37) {
      let r = c - 0x30;
      for (let k = 1; k < 3 && isOctal(this.at()); k++) {
        r = r * 8 + this.at() - 0x30;
        this.pos += 1;
      }
      return r;
    }
    if (c === 0x78) {
      // x
      const c2 = next();
      if (c2 === undefined) throw invalid();
      if (c2 === 0x7b) {
        let digits = 0;
        let r = 0;
        for (;;) {
          const d = next();
          if (d === undefined) throw invalid();
          if (d === 0x7d) break;
          const v = unhex(d);
          if (v < 0) throw invalid();
          r = r * 16 + v;
          if (r > 0x10ffff) throw invalid();
          digits += 1;
        }
        if (digits === 0) throw invalid();
        return r;
      }
      const x = unhex(c2);
      const y = unhex(next());
      if (x < 0 || y < 0) throw invalid();
      return x * 16 + y;
    }
    const control = CONTROL_ESCAPES.get(c);
    if (control !== undefined) return control;
    throw invalid();
  }
}

const ESCAPE_ASSERTIONS: ReadonlyMap<number, Assertion> = new Map([
  [0x41, 'beginText'], // \A
  [0x7a, 'endText'], // \z
  [0x62, 'wordBoundary'], // \b
  [0x42, 'noWordBoundary'], // \B
]);

const CONTROL_ESCAPES: ReadonlyMap<number, number> = new Map([
  [0x61, 0x07], // \a
  [0x66, 0x0c], // \f
  [0x6e, 0x0a], // \n
  [0x72, 0x0d], // \r
  [0x74, 0x09], // \t
  [0x76, 0x0b], // \v
]);

function classNode(set: CodePointSet, operands: readonly string[], negated: boolean): ClassNode {
  return { type: 'class', set, operands, negated };
}

/** A literal, or the class of its case variants under `(?i)`. */
function literal(cp: number, flags: Flags): RegexNode {
  if (flags.fold) {
    const orbit = orbitOf(cp);
    if (orbit.length > 1) return classNode(normalize(orbit.flatMap((x) => [x, x])), [], false);
  }
  return { type: 'literal', cp };
}

/** A Perl or POSIX class: folded first, then negated, as Go does. */
function groupPiece(set: CodePointSet, negated: boolean, flags: Flags): ClassPiece {
  const folded = flags.fold ? foldSet(set) : set;
  return { set: negated ? complement(folded) : folded, operands: [] };
}
