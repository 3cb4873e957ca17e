export type { Image, ImageInput } from './image.js';
export { validateImage, withoutEmptyValues } from './image.js';
export { applyImageUpdate } from './update.js';
export { imageFields } from './filter-fields.js';
