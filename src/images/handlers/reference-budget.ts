/** Counts the descriptors a traversal looks at and stops it at {@link MAX_REFERENCES}. */
import { ImagedError } from '../../errdefs/index.js';
import { MAX_REFERENCES } from './limits.js';

/** Charges `n` more references; throws ResourceExhausted once the total passes the cap. */
export type ReferenceBudget = (n: number, root: string) => void;

/** A fresh budget for one traversal. */
export function referenceBudget(): ReferenceBudget {
  let used = 0;
  return (n, root) => {
    used += n;
    if (used > MAX_REFERENCES) {
      throw new ImagedError(
        'ResourceExhausted',
        `image ${root} references more than ${MAX_REFERENCES} descriptors (duplicates and cycles included); refusing to walk it`,
      );
    }
  };
}
