/** `imagectl tag SRC DST`: a new image record DST with SRC's target and labels (in the `-n` namespace). */
import { status } from '@grpc/grpc-js';
import { Images } from '../../../gen/services/images/v1/images_pb.js';
import type { Session } from '../session.js';

/** Creates `target` pointing where `source` points; `force` replaces an existing `target`. */
export async function tag(session: Session, source: string, target: string, options: { readonly force: boolean }): Promise<void> {
  const images = session.client(Images);
  const { image } = await images.get({ name: source }, session.inNamespace());
  const copy = { name: target, labels: { ...image?.labels }, ...(image?.target === undefined ? {} : { target: image.target }) };
  try {
    await images.create({ image: copy }, session.inNamespace());
  } catch (err) {
    if (!options.force || (err as { code?: number }).code !== status.ALREADY_EXISTS) throw err;
    await images.update({ image: copy, updateMask: { paths: ['target', 'labels'] } }, session.inNamespace());
  }
  session.stdout.write(`${target}\n`);
}
