/**
 * `imagectl inspect REF`: JSON about one image. Without `-n`: CRI ImageStatus (verbose) — the CRI
 * image plus its info (chain ID, OCI config). With `-n NS`: the image record, the manifest chosen
 * for this platform with its layers, the parsed config and the size.
 */
import { toJson } from '@bufbuild/protobuf';
import { notFound } from '../../errdefs/index.js';
import { descriptorJson, imageConfig, imageSize } from '../../images/handlers/index.js';
import { ImageService, ImageSchema } from '../../../gen/runtime/v1/api_pb.js';
import { Images, ImageSchema as RecordSchema } from '../../../gen/services/images/v1/images_pb.js';
import { renderStructured } from '../format/index.js';
import { remoteProvider } from '../remote-provider.js';
import type { Session } from '../session.js';

/** `text` parsed as JSON, or the text itself when it is not JSON. */
function jsonOrText(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

async function inspectCri(session: Session, ref: string): Promise<unknown> {
  const { image, info } = await session.client(ImageService).imageStatus({ image: { image: ref }, verbose: true });
  if (image === undefined) throw notFound(`image ${JSON.stringify(ref)} not found (CRI, namespace k8s.io)`);
  return { status: toJson(ImageSchema, image), info: Object.fromEntries(Object.entries(info).map(([k, v]) => [k, jsonOrText(v)])) };
}

async function inspectRecord(session: Session, name: string): Promise<unknown> {
  const { image } = await session.client(Images).get({ name }, session.inNamespace());
  if (image?.target === undefined) throw notFound(`image ${JSON.stringify(name)} has no target`);
  const provider = remoteProvider(session, session.namespace);
  const target = { ...image.target, size: Number(image.target.size) };
  const resolved = await imageConfig(provider, target);
  return {
    image: toJson(RecordSchema, image),
    manifest: { ...descriptorJson(resolved.manifest.descriptor), layers: resolved.manifest.manifest.layers.map(descriptorJson) },
    config: { ...descriptorJson(resolved.descriptor), content: resolved.config },
    size: await imageSize(provider, target),
  };
}

/** Prints what is known about `ref` as JSON (or YAML). */
export async function inspect(session: Session, ref: string, output: 'json' | 'yaml'): Promise<void> {
  const found = session.namespaceOption === undefined ? await inspectCri(session, ref) : await inspectRecord(session, ref);
  session.stdout.write(renderStructured(found, output));
}
