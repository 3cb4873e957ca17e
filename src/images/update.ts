/** Applies a containerd image update mask (field paths) to a stored image. */
import { invalidArgument } from '../errdefs/index.js';
import type { ImageInput } from './image.js';

/**
 * Returns `current` with the fields named by `paths` taken from `patch`; no paths means the whole
 * patch replaces the image. Paths: `labels`, `labels.<key>`, `target`, `annotations`, `annotations.<key>`.
 */
export function applyImageUpdate(current: ImageInput, patch: ImageInput, paths: readonly string[]): ImageInput {
  if (paths.length === 0) return patch;
  let labels = { ...current.labels };
  let target = current.target;
  for (const path of paths) {
    if (path.startsWith('labels.')) {
      const key = path.slice('labels.'.length);
      labels[key] = patch.labels[key] ?? '';
    } else if (path.startsWith('annotations.')) {
      const key = path.slice('annotations.'.length);
      target = { ...target, annotations: { ...target.annotations, [key]: patch.target.annotations[key] ?? '' } };
    } else if (path === 'labels') {
      labels = { ...patch.labels };
    } else if (path === 'target') {
      target = patch.target;
    } else if (path === 'annotations') {
      target = { ...target, annotations: patch.target.annotations };
    } else {
      throw invalidArgument(
        `cannot update ${JSON.stringify(path)} field on image ${JSON.stringify(current.name)}: ` +
          'allowed paths are labels, labels.<key>, target, annotations, annotations.<key>',
      );
    }
  }
  return { name: current.name, labels, target };
}
