/**
 * Parsed filters and how they match. A {@link Filter} is an OR of clauses; a clause is an AND of
 * selectors; one filter string parses to one clause, and a list of filter strings to one clause
 * each. An empty clause matches everything.
 */
import type { Adaptor } from './adaptor.js';
import { compileGoRegexp } from './regexp/compile.js';

/** Tests that the field is present. Written `labels.foo`. */
export interface PresentSelector {
  readonly kind: 'present';
  readonly fieldpath: readonly string[];
}

/** `==`: the field is present and equal to `value`. */
export interface EqualSelector {
  readonly kind: 'equal';
  readonly fieldpath: readonly string[];
  readonly value: string;
}

/** `!=`: the field, read as "" when absent, differs from `value` (containerd's definition). */
export interface NotEqualSelector {
  readonly kind: 'notEqual';
  readonly fieldpath: readonly string[];
  readonly value: string;
}

/** `~=`: the field, read as "" when absent, contains a match of the Go regexp `value`. */
export interface MatchesSelector {
  readonly kind: 'matches';
  readonly fieldpath: readonly string[];
  /** The pattern as written (Go syntax). */
  readonly value: string;
  /** `value` compiled to JavaScript once, when the selector was made. */
  readonly regexp: RegExp;
}

/** One condition on one field. */
export type Selector = PresentSelector | EqualSelector | NotEqualSelector | MatchesSelector;

/** Selectors that must all hold (the comma-separated parts of one filter string). */
export type Clause = readonly Selector[];

/** Makes a presence selector. */
export const presentSelector = (fieldpath: readonly string[]): PresentSelector =>
  Object.freeze({ kind: 'present', fieldpath: Object.freeze([...fieldpath]) });

/** Makes an `==` selector. */
export const equalSelector = (fieldpath: readonly string[], value: string): EqualSelector =>
  Object.freeze({ kind: 'equal', fieldpath: Object.freeze([...fieldpath]), value });

/** Makes a `!=` selector. */
export const notEqualSelector = (fieldpath: readonly string[], value: string): NotEqualSelector =>
  Object.freeze({ kind: 'notEqual', fieldpath: Object.freeze([...fieldpath]), value });

/**
 * Makes a `~=` selector, compiling `pattern` now.
 *
 * @throws ImagedError InvalidArgument when the pattern is not a valid (or not a supported) Go regexp.
 */
export const matchesSelector = (fieldpath: readonly string[], pattern: string): MatchesSelector =>
  Object.freeze({ kind: 'matches', fieldpath: Object.freeze([...fieldpath]), value: pattern, regexp: compileGoRegexp(pattern) });

/** Whether `selector` holds for the object behind `adaptor`. Never throws unless the adaptor does. */
export function matchSelector(selector: Selector, adaptor: Adaptor): boolean {
  const value = adaptor.field(selector.fieldpath);
  switch (selector.kind) {
    case 'present':
      return value !== undefined;
    case 'equal':
      return value !== undefined && value === selector.value;
    case 'notEqual':
      return (value ?? '') !== selector.value;
    case 'matches':
      try {
        return selector.regexp.test(value ?? '');
      } catch {
        // Only an engine limit (e.g. backtracking stack) can get here; containerd also treats
        // a regexp it cannot run as "no match".
        return false;
      }
  }
}

/** Whether every selector of `clause` holds. */
export function matchClause(clause: Clause, adaptor: Adaptor): boolean {
  for (const selector of clause) if (!matchSelector(selector, adaptor)) return false;
  return true;
}

/** A parsed filter: it matches an object when any of its clauses does. */
export class Filter {
  /** A filter that matches everything (what "" and an empty list parse to). */
  static readonly always: Filter = new Filter([[]]);

  /** The alternatives; each is a conjunction of selectors. */
  readonly clauses: readonly Clause[];

  /** Wraps `clauses` (copied and frozen). Zero clauses match nothing. */
  constructor(clauses: readonly Clause[]) {
    this.clauses = Object.freeze(clauses.map((clause) => Object.freeze([...clause])));
    Object.freeze(this);
  }

  /** True when the filter matches every object (some clause is empty), so callers can skip it. */
  get matchesEverything(): boolean {
    return this.clauses.some((clause) => clause.length === 0);
  }

  /** Whether the object behind `adaptor` passes the filter. */
  match(adaptor: Adaptor): boolean {
    for (const clause of this.clauses) if (matchClause(clause, adaptor)) return true;
    return false;
  }
}
