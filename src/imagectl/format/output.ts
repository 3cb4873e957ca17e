/** The `--output` formats and rendering of structured values as JSON or YAML. */
import { stringify } from 'yaml';

/** The formats `--output` accepts. */
export const OUTPUT_FORMATS = ['table', 'json', 'yaml'] as const;

/** One of {@link OUTPUT_FORMATS}. */
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** `value` as indented JSON or as YAML, ending with a newline. */
export function renderStructured(value: unknown, format: 'json' | 'yaml'): string {
  return format === 'json' ? `${JSON.stringify(value, null, 2)}\n` : stringify(value);
}
