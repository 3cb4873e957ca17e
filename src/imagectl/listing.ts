/** Printing a list the three ways list commands offer: IDs only (`-q`), a table, or JSON/YAML. */
import { renderStructured, renderTable, type OutputFormat } from './format/index.js';
import type { Output } from './session.js';

/** A list ready to print. */
export interface Listing {
  /** Column titles of the table. */
  readonly header: readonly string[];
  /** Table rows. */
  readonly rows: readonly (readonly string[])[];
  /** What `-q` prints, one per line. */
  readonly ids: readonly string[];
  /** What `--output json|yaml` prints. */
  readonly data: unknown;
}

/** How the user asked for a list. */
export interface ListingOptions {
  /** `-q`: identifiers only. */
  readonly quiet?: boolean;
  /** `--output`. */
  readonly output: OutputFormat;
}

/** Writes `listing` to `out` as asked. */
export function printListing(out: Output, listing: Listing, options: ListingOptions): void {
  if (options.quiet) out.write(listing.ids.map((id) => `${id}\n`).join(''));
  else if (options.output === 'table') out.write(renderTable([listing.header, ...listing.rows]));
  else out.write(renderStructured(listing.data, options.output));
}
