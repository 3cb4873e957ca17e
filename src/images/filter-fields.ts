/** The fields of an image that containerd's filter language can test. */
import type { Adaptor } from '../filters/index.js';
import type { Image } from './image.js';

const present = (value: string): string | undefined => (value === '' ? undefined : value);

/**
 * Exposes `name`, `target.digest`, `target.mediatype`, `labels.<key>` and `annotations.<key>`
 * (target annotations); label and annotation keys may contain dots.
 */
export function imageFields(image: Image): Adaptor {
  return {
    field(path) {
      const [head, ...rest] = path;
      switch (head) {
        case 'name':
          return rest.length === 0 ? present(image.name) : undefined;
        case 'target':
          if (rest.length !== 1) return undefined;
          if (rest[0] === 'digest') return present(image.target.digest);
          if (rest[0] === 'mediatype') return present(image.target.mediaType);
          return undefined;
        case 'labels':
          return rest.length === 0 ? undefined : image.labels[rest.join('.')];
        case 'annotations':
          return rest.length === 0 ? undefined : image.target.annotations[rest.join('.')];
        default:
          return undefined;
      }
    },
  };
}
