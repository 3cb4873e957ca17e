/**
 * Canonical text for parsed filters: bare fields and values where the grammar allows them,
 * double-quoted otherwise. Parsing the text gives back an equal filter.
 */
import { invalidArgument } from '../errdefs/index.js';
import type { Clause, Filter, Selector } from './filter.js';
import { quote } from './quote.js';

const BARE_FIELD = /^[A-Za-z0-9_-]+$/;
/** Conservative: starts like a field and contains no spaces, commas, quotes or escapes. */
const BARE_VALUE = /^[A-Za-z0-9_-][A-Za-z0-9_.:/@+=-]*$/;

/** One path segment, quoted unless it is a bare field name. */
export const formatField = (field: string): string => (BARE_FIELD.test(field) ? field : quote(field));

/** One selector, e.g. `labels."a b"==c` or `name~="^x\\.y$"`. */
export function formatSelector(selector: Selector): string {
  const path = selector.fieldpath.map(formatField).join('.');
  if (selector.kind === 'present') return path;
  const op = selector.kind === 'equal' ? '==' : selector.kind === 'notEqual' ? '!=' : '~=';
  return path + op + (BARE_VALUE.test(selector.value) ? selector.value : quote(selector.value));
}

/** One clause: its selectors joined with ",". An empty clause is the empty string. */
export const formatClause = (clause: Clause): string => clause.map(formatSelector).join(',');

/** One filter string per clause, so that `parseFilters(formatFilters(f))` equals `f`. */
export const formatFilters = (filter: Filter): string[] => filter.clauses.map(formatClause);

/**
 * The canonical filter string of a single-clause filter (anything {@link parseFilter} returns):
 * `parseFilter(formatFilter(f))` equals `f`.
 *
 * @throws ImagedError InvalidArgument when the filter has several clauses (use {@link formatFilters}).
 */
export function formatFilter(filter: Filter): string {
  const [clause, ...rest] = filter.clauses;
  if (clause === undefined || rest.length > 0) {
    throw invalidArgument(
      `a filter with ${filter.clauses.length} alternatives cannot be written as one filter string; use formatFilters`,
    );
  }
  return formatClause(clause);
}
