/** The `--output` formats and rendering of structured values as JSON or YAML. */
import { stringify } from 'yaml';
import { invalidArgument } from '../../errdefs/index.js';

/** The formats `--output` accepts. */
export const OUTPUT_FORMATS = ['table', 'json', 'yaml'] as const;

/** One of {@link OUTPUT_FORMATS}. */
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** Checks an `--output` value; InvalidArgument naming the accepted ones otherwise. */
export function parseOutputFormat(value: string): OutputFormat {
  const format = OUTPUT_FORMATS.find((f) => f === value);
  if (format === undefined) throw invalidArgument(`--output ${JSON.stringify(value)}: expected one of ${OUTPUT_FORMATS.join(', ')}`);
  return format;
}

/** `value` as indented JSON or as YAML, ending with a newline. */
export function renderStructured(value: unknown, format: 'json' | 'yaml'): string {
  return format === 'json' ? `${JSON.stringify(value, null, 2)}\n` : stringify(value);
}
