/**
 * fast-check arbitraries over any protobuf-es message schema: random init objects for `create`
 * (every field kind, oneofs, nested messages to a depth), with strings biased towards values the
 * daemon treats specially (namespaces, digests, references, label keys, filters, over-long text).
 */
import { ScalarType, type DescEnum, type DescField, type DescMessage } from '@bufbuild/protobuf';
import fc from 'fast-check';

const DIGEST = `sha256:${'ab'.repeat(32)}`;

/** Strings a request field may carry, from ordinary to hostile. */
const interestingString: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 24 }),
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc.constantFrom(
    '',
    'default',
    'k8s.io',
    'fuzz',
    DIGEST,
    'sha256:zz',
    'docker.io/library/busybox:latest',
    'busybox',
    '127.0.0.1:1/x/y:z',
    'example.com/a/b@' + DIGEST,
    '../../../etc/passwd',
    'labels.a',
    'labels',
    'target',
    'name',
    'containerd.io/gc.ref.content.l.0',
    'name==x,labels."a"~=b',
    'topic~=/images/',
    'application/vnd.oci.image.manifest.v1+json',
    '\u0000',
    'x'.repeat(5000),
  ),
);

const scalar = (type: ScalarType): fc.Arbitrary<unknown> => {
  switch (type) {
    case ScalarType.STRING:
      return interestingString;
    case ScalarType.BYTES:
      return fc.uint8Array({ maxLength: 64 });
    case ScalarType.BOOL:
      return fc.boolean();
    case ScalarType.DOUBLE:
    case ScalarType.FLOAT:
      return fc.double();
    case ScalarType.INT64:
    case ScalarType.SINT64:
    case ScalarType.SFIXED64:
      return fc.oneof(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), fc.constantFrom(0n, 1n, -1n, 1024n));
    case ScalarType.UINT64:
    case ScalarType.FIXED64:
      return fc.oneof(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), fc.constantFrom(0n, 1n, 1024n));
    case ScalarType.UINT32:
    case ScalarType.FIXED32:
      return fc.nat({ max: 2 ** 32 - 1 });
    default:
      return fc.integer();
  }
};

const enumValue = (e: DescEnum): fc.Arbitrary<number> => fc.oneof(fc.constantFrom(...e.values.map((v) => v.number)), fc.integer({ min: -5, max: 100 }));

/** Arbitrary values of one field (a list, map or single value). */
function fieldValue(field: DescField, depth: number): fc.Arbitrary<unknown> | undefined {
  const element = (kind: { scalar?: ScalarType | undefined; enum?: DescEnum | undefined; message?: DescMessage | undefined }) =>
    kind.message !== undefined ? (depth > 0 ? messageInit(kind.message, depth - 1) : undefined) : kind.enum !== undefined ? enumValue(kind.enum) : scalar(kind.scalar!);
  switch (field.fieldKind) {
    case 'list': {
      const item = element(field);
      return item === undefined ? undefined : fc.array(item, { maxLength: 4 });
    }
    case 'map': {
      const value = element(field);
      const key = field.mapKey === ScalarType.STRING ? interestingString : fc.integer({ min: 0, max: 1000 }).map(String);
      return value === undefined ? undefined : fc.dictionary(key, value, { maxKeys: 4 });
    }
    default:
      return element(field);
  }
}

/** Arbitrary init objects of `desc` (for `create`); message fields nest at most `depth` levels. */
export function messageInit(desc: DescMessage, depth = 3): fc.Arbitrary<Record<string, unknown>> {
  const parts: fc.Arbitrary<Record<string, unknown>>[] = [];
  for (const field of desc.fields) {
    if (field.oneof !== undefined) continue;
    const value = fieldValue(field, depth);
    if (value !== undefined) parts.push(fc.option(value, { nil: undefined, freq: 2 }).map((v) => (v === undefined ? {} : { [field.localName]: v })));
  }
  for (const oneof of desc.oneofs) {
    const members = oneof.fields
      .map((f) => ({ f, value: fieldValue(f, depth) }))
      .filter((m): m is { f: DescField; value: fc.Arbitrary<unknown> } => m.value !== undefined)
      .map(({ f, value }) => value.map((v) => ({ [oneof.localName]: { case: f.localName, value: v } })));
    if (members.length > 0) parts.push(fc.oneof(fc.constant({}), ...members));
  }
  return fc.tuple(...parts).map((objs) => Object.assign({}, ...objs) as Record<string, unknown>);
}

/** Mutations of an encoded message: a flipped byte, a truncation, inserted random bytes, or a duplicated tail. */
export const mutated = (bytes: Uint8Array): fc.Arbitrary<Uint8Array> =>
  fc.oneof(
    fc.nat({ max: Math.max(0, bytes.length - 1) }).chain((at) =>
      fc.integer({ min: 1, max: 255 }).map((x) => {
        const out = Uint8Array.from(bytes);
        if (out.length > 0) out[at] = out[at]! ^ x;
        return out;
      }),
    ),
    fc.nat({ max: bytes.length }).map((n) => bytes.subarray(0, n)),
    fc.tuple(fc.nat({ max: bytes.length }), fc.uint8Array({ minLength: 1, maxLength: 16 })).map(([at, ins]) => Uint8Array.from([...bytes.subarray(0, at), ...ins, ...bytes.subarray(at)])),
    fc.nat({ max: bytes.length }).map((at) => Uint8Array.from([...bytes, ...bytes.subarray(at)])),
  );
