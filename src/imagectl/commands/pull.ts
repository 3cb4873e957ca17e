/**
 * `imagectl pull REF`: CRI PullImage (images land in k8s.io) while following the pull's progress
 * events; prints the image ID last.
 */
import { fromBinary } from '@bufbuild/protobuf';
import { invalidArgument } from '../../errdefs/index.js';
import { TOPIC_PULL_PROGRESS } from '../../events/index.js';
import { parseReference } from '../../pull/index.js';
import { ImageService } from '../../../gen/runtime/v1/api_pb.js';
import { PullProgressSchema } from '../../../gen/imaged/events/v1/pull_pb.js';
import { subscribeLive } from '../event-subscription.js';
import { liveDisplay, lineDisplay } from '../pull-display.js';
import { CRI_NAMESPACE, type Session } from '../session.js';

/** How long to wait, after PullImage answered, for the final progress event still in flight. */
const FINAL_EVENT_WAIT_MS = 2000;

/** `USER:PASSWORD` as CRI AuthConfig fields; InvalidArgument (without echoing it) otherwise. */
function parseUser(user: string): { username: string; password: string } {
  const colon = user.indexOf(':');
  if (colon <= 0) throw invalidArgument('--user needs USER:PASSWORD (a user name, a colon, the password)');
  return { username: user.slice(0, colon), password: user.slice(colon + 1) };
}

/** Pulls `ref` through CRI, showing progress; resolves once the image ID is printed. */
export async function pull(session: Session, ref: string, options: { readonly user?: string }): Promise<void> {
  if (session.namespaceOption !== undefined && session.namespaceOption !== CRI_NAMESPACE) {
    throw invalidArgument(`pull goes through CRI, which stores images in ${CRI_NAMESPACE}; -n ${session.namespaceOption} cannot apply`);
  }
  const auth = options.user === undefined ? undefined : parseUser(options.user);
  const reference = parseReference(ref).name;
  const subscription = await subscribeLive(
    session,
    [`topic==${JSON.stringify(TOPIC_PULL_PROGRESS)},event.reference==${JSON.stringify(reference)}`],
    CRI_NAMESPACE,
  );
  const started = Date.now();
  const display = session.stdout.isTTY ? liveDisplay(session.stdout, started) : lineDisplay(session.stdout);
  const watching = (async () => {
    let ours: string | undefined;
    for await (const envelope of subscription) {
      const progress = fromBinary(PullProgressSchema, envelope.event?.value ?? new Uint8Array());
      // Our pull is the one that starts (no blobs yet) after we subscribed; others of the same reference are skipped.
      if (ours === undefined && progress.blobs.length === 0 && !progress.done) ours = progress.id;
      if (progress.id !== ours) continue;
      display.update(progress, Date.now());
      if (progress.done) return;
    }
  })().catch(() => undefined); // a broken event stream only stops the display; the pull's answer decides
  try {
    const { imageRef } = await session.client(ImageService).pullImage({ image: { image: ref }, ...(auth === undefined ? {} : { auth }) });
    await Promise.race([watching, new Promise((r) => setTimeout(r, FINAL_EVENT_WAIT_MS).unref())]);
    display.end();
    session.stdout.write(`${imageRef}\n`);
  } finally {
    subscription.cancel();
  }
}
