/** How a filter reads the object it is tested against. */

/**
 * Maps field paths to values for one object. A path is the filter's field path split on `.`
 * (quoted parts stay whole), e.g. `labels."a.b"` → `['labels', 'a.b']`.
 */
export interface Adaptor {
  /** The value at `path`, or undefined when the object has no such field (it is absent). */
  field(path: readonly string[]): string | undefined;
}
