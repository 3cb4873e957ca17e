/**
 * Writes a Go regexp parse tree as the source of a JavaScript RegExp with the `v` flag and no
 * other flags. Every construct is spelled so JavaScript gives it Go's meaning: `.` and `\s` become
 * explicit classes, `$` is end of text, multi-line anchors look only at `\n`, and case folding is
 * already expanded into classes (JavaScript's `i` flag is never used).
 */
import type { Assertion, ClassNode, RegexNode, RepeatNode } from './ast.js';
import { isSingle, rangesSource } from './char-set.js';

const ASSERTIONS: Readonly<Record<Assertion, string>> = {
  beginText: '^',
  endText: '$',
  beginLine: '(?<![^\\n])',
  endLine: '(?![^\\n])',
  wordBoundary: '\\b',
  noWordBoundary: '\\B',
};

const literalSource = (cp: number): string =>
  (cp >= 0x30 && cp <= 0x39) || (cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a)
    ? String.fromCharCode(cp)
    : `\\u{${cp.toString(16)}}`;

function classSource(node: ClassNode): string {
  if (!node.negated && node.operands.length === 0 && isSingle(node.set)) return literalSource(node.set[0] ?? 0);
  return `[${node.negated ? '^' : ''}${rangesSource(node.set)}${node.operands.join('')}]`;
}

function quantifier(node: RepeatNode): string {
  let q: string;
  if (node.op === 'star') q = '*';
  else if (node.op === 'plus') q = '+';
  else if (node.op === 'quest') q = '?';
  else if (node.max === -1) q = `{${node.min},}`;
  else if (node.max === node.min) q = `{${node.min}}`;
  else q = `{${node.min},${node.max}}`;
  return node.greedy ? q : `${q}?`;
}

/** The JavaScript source (for `new RegExp(source, 'v')`) that matches what `node` matches in Go. */
export function emitJavaScript(node: RegexNode): string {
  switch (node.type) {
    case 'literal':
      return literalSource(node.cp);
    case 'class':
      return classSource(node);
    case 'assert':
      return ASSERTIONS[node.assertion];
    case 'empty':
      return '(?:)';
    case 'concat':
      return node.subs.map(emitJavaScript).join('');
    case 'alternate':
      return `(?:${node.subs.map(emitJavaScript).join('|')})`;
    case 'group':
      return `(?:${emitJavaScript(node.sub)})`;
    case 'repeat': {
      const sub = emitJavaScript(node.sub);
      const atom = node.sub.type === 'literal' || node.sub.type === 'class' ? sub : `(?:${sub})`;
      return atom + quantifier(node);
    }
  }
}
