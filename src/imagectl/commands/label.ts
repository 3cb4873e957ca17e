/** `imagectl label REF key=value...`: sets labels of an image record; `key=` removes `key`. */
import { invalidArgument } from '../../errdefs/index.js';
import { Images } from '../../../gen/services/images/v1/images_pb.js';
import type { Session } from '../session.js';

/** Parses `key=value` arguments; InvalidArgument for one without `=` or with an empty key. */
function parseLabelArguments(pairs: readonly string[]): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw invalidArgument(`label ${JSON.stringify(pair)}: expected key=value (key= removes the label)`);
    labels[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return labels;
}

/** Applies `pairs` to image `name` and prints its labels afterwards, one `key=value` a line. */
export async function label(session: Session, name: string, pairs: readonly string[]): Promise<void> {
  const changes = parseLabelArguments(pairs);
  const set = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== ''));
  const { image } = await session.client(Images).update(
    { image: { name, labels: set }, updateMask: { paths: Object.keys(changes).map((key) => `labels.${key}`) } },
    session.inNamespace(),
  );
  const labels = Object.entries(image?.labels ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  session.stdout.write(labels.map(([k, v]) => `${k}=${v}\n`).join(''));
}
