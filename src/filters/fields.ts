/**
 * Generic adaptors built from plain objects. Following containerd's adaptors, a scalar field is
 * present only when it is not empty, while an entry of a string map (labels, annotations) is
 * present whenever its key exists, and the rest of the path after the map's name is re-joined
 * with "." to form the key, so `labels.io.cri-containerd.image` reads the label
 * `io.cri-containerd.image`.
 */
import type { Adaptor } from './adaptor.js';

const DOTTED = Symbol('dottedKeys');

/** A string map whose keys may contain dots; build one with {@link dottedKeys}. */
export interface DottedKeyMap {
  readonly [DOTTED]: Readonly<Record<string, string>>;
}

/** A value {@link adaptFields} can expose. */
export type FieldValue = string | number | boolean | bigint | null | undefined | DottedKeyMap | FieldTree;

/** Nested plain objects whose leaves are the fields a filter can test. */
export interface FieldTree {
  readonly [name: string]: FieldValue;
}

/**
 * Marks `map` as a string map for {@link adaptFields}: the path below it, re-joined with ".",
 * is looked up as one key, and an entry is present even when its value is empty.
 */
export function dottedKeys(map: Readonly<Record<string, string>>): DottedKeyMap {
  return { [DOTTED]: map };
}

const isDotted = (value: object): value is DottedKeyMap => DOTTED in value;

function lookup(tree: FieldValue, path: readonly string[], from: number): string | undefined {
  let node: FieldValue = tree;
  for (let i = from; i < path.length; i++) {
    if (node === null || typeof node !== 'object') return undefined;
    if (isDotted(node)) return mapEntry(node[DOTTED], path, i);
    const name = path[i] as string;
    if (!Object.hasOwn(node, name)) return undefined;
    node = node[name];
  }
  if (typeof node === 'string') return node === '' ? undefined : node;
  if (typeof node === 'number' || typeof node === 'boolean' || typeof node === 'bigint') return String(node);
  return undefined;
}

function mapEntry(map: Readonly<Record<string, string>>, path: readonly string[], from: number): string | undefined {
  if (from >= path.length) return undefined;
  const key = from === path.length - 1 ? (path[from] as string) : path.slice(from).join('.');
  return Object.hasOwn(map, key) ? map[key] : undefined;
}

/**
 * An adaptor over nested plain objects: `a.b.c` walks own properties `a`, `b`, `c`. Strings
 * (non-empty), numbers, booleans and bigints are values; objects, empty strings, null and
 * undefined are absent. Maps wrapped with {@link dottedKeys} take the rest of the path as a key.
 *
 * @example adaptFields({ name: 'x', labels: dottedKeys({ 'a.b': 'c' }) }).field(['labels', 'a', 'b']) // 'c'
 */
export function adaptFields(tree: FieldTree): Adaptor {
  return { field: (path) => lookup(tree, path, 0) };
}

/**
 * The common shape of containerd objects: top-level string fields plus a `labels` map.
 * `fields` are present when non-empty and read with a one-element path; `labels.<key>` reads a
 * label, with the key re-joined from the rest of the path.
 */
export function labelledFields(
  fields: Readonly<Record<string, string>>,
  labels: Readonly<Record<string, string>>,
): Adaptor {
  return {
    field(path) {
      const head = path[0];
      if (head === undefined) return undefined;
      if (head === 'labels' && path.length > 1) return mapEntry(labels, path, 1);
      if (path.length !== 1 || !Object.hasOwn(fields, head)) return undefined;
      const value = fields[head];
      return value === '' ? undefined : value;
    },
  };
}
