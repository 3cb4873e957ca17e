/**
 * containerd's filter language (`pkg/filters`): parse `name==foo,labels."a b"~=^x` style filters,
 * match them against objects through an {@link Adaptor}, and print them back.
 */
export type { Adaptor } from './adaptor.js';
export type { DottedKeyMap, FieldTree, FieldValue } from './fields.js';
export { adaptFields, dottedKeys, labelledFields } from './fields.js';
export type {
  Clause,
  EqualSelector,
  MatchesSelector,
  NotEqualSelector,
  PresentSelector,
  Selector,
} from './filter.js';
export {
  Filter,
  equalSelector,
  matchClause,
  matchSelector,
  matchesSelector,
  notEqualSelector,
  presentSelector,
} from './filter.js';
export { parseClause, parseFilter, parseFilters, tryParseFilter } from './parser.js';
export { formatClause, formatField, formatFilter, formatFilters, formatSelector } from './format.js';
export { QuoteSyntaxError, quote, unquote } from './quote.js';
export type { ScanError, Token, TokenKind } from './scanner.js';
export { Scanner, tokenize } from './scanner.js';
export { describeParseError } from './parse-error.js';
export { RegexpError } from './regexp/errors.js';
export { compileGoRegexp, translateGoRegexp } from './regexp/compile.js';
