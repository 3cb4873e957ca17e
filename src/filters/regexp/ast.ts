/**
 * The parse tree of a Go (RE2) regular expression, after flags have been applied: case folding
 * is already expanded into classes, `.` is already a class, and `^`/`$` already know whether
 * they are line or text anchors.
 */
import type { CodePointSet } from './char-set.js';

/** A single code point, matched exactly. */
export interface LiteralNode {
  readonly type: 'literal';
  readonly cp: number;
}

/**
 * One code point from a set: the union of `set` and the `v`-mode class-set `operands`
 * (Unicode property escapes and bracketed expressions), complemented when `negated`.
 */
export interface ClassNode {
  readonly type: 'class';
  readonly set: CodePointSet;
  readonly operands: readonly string[];
  readonly negated: boolean;
}

/** The zero-width assertions Go supports. */
export type Assertion = 'beginText' | 'endText' | 'beginLine' | 'endLine' | 'wordBoundary' | 'noWordBoundary';

/** A zero-width assertion. */
export interface AssertNode {
  readonly type: 'assert';
  readonly assertion: Assertion;
}

/** The empty string. */
export interface EmptyNode {
  readonly type: 'empty';
}

/** A sequence. */
export interface ConcatNode {
  readonly type: 'concat';
  readonly subs: readonly RegexNode[];
}

/** A choice, preferring earlier branches. */
export interface AlternateNode {
  readonly type: 'alternate';
  readonly subs: readonly RegexNode[];
}

/** A parenthesized group; captures only count towards Go's size limit, nothing else uses them. */
export interface GroupNode {
  readonly type: 'group';
  readonly sub: RegexNode;
  readonly capture: boolean;
}

/** How a repetition was written: `*`, `+`, `?` or a counted `{n,m}`. */
export type RepeatOp = 'star' | 'plus' | 'quest' | 'counted';

/** A repetition; `max` is -1 when unbounded. */
export interface RepeatNode {
  readonly type: 'repeat';
  readonly op: RepeatOp;
  readonly sub: RegexNode;
  readonly min: number;
  readonly max: number;
  readonly greedy: boolean;
}

/** Any node of the tree. */
export type RegexNode =
  | LiteralNode
  | ClassNode
  | AssertNode
  | EmptyNode
  | ConcatNode
  | AlternateNode
  | GroupNode
  | RepeatNode;
