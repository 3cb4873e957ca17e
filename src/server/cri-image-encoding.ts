/**
 * A direct protobuf encoder for CRI's runtime.v1.Image (id = 1, repo_tags = 2, repo_digests = 3,
 * size = 4, uid = 5 as Int64Value, username = 6, pinned = 8), writing the same bytes as the generic
 * encoder (checked by a property test) at a fraction of the cost: ListImages right after a restart
 * encodes every image once.
 */
import { BinaryWriter, WireType } from '@bufbuild/protobuf/wire';
import type { CriImage } from '../cri/reference-cache.js';
import { splitReferences } from '../reference/index.js';

/** Encodes `image` as CRI reports it. */
export function encodeCriImage(image: CriImage): Uint8Array {
  const { repoTags, repoDigests } = splitReferences(image.references);
  const { facts } = image;
  const w = new BinaryWriter();
  if (facts.id !== '') w.tag(1, WireType.LengthDelimited).string(facts.id);
  for (const tag of repoTags) w.tag(2, WireType.LengthDelimited).string(tag);
  for (const digest of repoDigests) w.tag(3, WireType.LengthDelimited).string(digest);
  if (facts.size !== 0) w.tag(4, WireType.Varint).uint64(facts.size);
  if ('uid' in facts.user) {
    w.tag(5, WireType.LengthDelimited).fork();
    if (facts.user.uid !== 0n) w.tag(1, WireType.Varint).int64(facts.user.uid);
    w.join();
  }
  if ('username' in facts.user && facts.user.username !== '') w.tag(6, WireType.LengthDelimited).string(facts.user.username);
  if (image.pinned) w.tag(8, WireType.Varint).bool(true);
  return w.finish();
}
