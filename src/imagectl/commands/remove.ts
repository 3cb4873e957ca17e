/**
 * `imagectl rm REF...`. Without `-n`: CRI RemoveImage (every reference of the image goes, then a
 * synchronous collection). With `-n NS`: Images.Delete of each name, collecting synchronously with `--sync`.
 */
import { notFound } from '../../errdefs/index.js';
import { ImageService } from '../../../gen/runtime/v1/api_pb.js';
import { Images } from '../../../gen/services/images/v1/images_pb.js';
import { forEachTarget } from '../error-message.js';
import type { Session } from '../session.js';

/** Removes each of `refs`, printing `Deleted: REF` for each; the others still go when one fails. */
export async function remove(session: Session, refs: readonly string[], options: { readonly sync: boolean }): Promise<void> {
  await forEachTarget(refs, session.stderr, async (ref) => {
    if (session.namespaceOption === undefined) {
      const cri = session.client(ImageService);
      // RemoveImage succeeds for an unknown image; say so instead.
      if ((await cri.imageStatus({ image: { image: ref } })).image === undefined) throw notFound(`image ${JSON.stringify(ref)} not found (CRI, namespace k8s.io)`);
      await cri.removeImage({ image: { image: ref } });
    } else {
      await session.client(Images).delete({ name: ref, sync: options.sync }, session.inNamespace());
    }
    session.stdout.write(`Deleted: ${ref}\n`);
  });
}
