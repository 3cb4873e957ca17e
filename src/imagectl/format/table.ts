/** Column-aligned text tables, laid out like Go's tabwriter as crictl configures it. */

/** How a table is laid out. */
export interface TableLayout {
  /** Smallest width of a column, padding included (crictl: 20). */
  readonly minWidth: number;
  /** Spaces after the widest cell of a column (crictl: 3). */
  readonly padding: number;
}

/** crictl's layout. */
const CRICTL_LAYOUT: TableLayout = { minWidth: 20, padding: 3 };

/**
 * Renders `rows` (the header first) as lines: every column but the last is padded to its widest cell plus
 * `padding` (at least `minWidth`); trailing spaces are dropped; each line ends with a newline.
 */
export function renderTable(all: readonly (readonly string[])[], layout: TableLayout = CRICTL_LAYOUT): string {
  const columns = Math.max(0, ...all.map((r) => r.length));
  const widths = Array.from({ length: columns - 1 }, (_, c) =>
    Math.max(layout.minWidth, Math.max(...all.map((r) => (r[c] ?? '').length)) + layout.padding),
  );
  return all
    .map((row) => {
      const cells = Array.from({ length: columns }, (_, c) => row[c] ?? '');
      return `${cells.map((cell, c) => (c < columns - 1 ? cell.padEnd(widths[c] ?? 0) : cell)).join('').trimEnd()}\n`;
    })
    .join('');
}
