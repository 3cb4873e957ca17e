export {
  MAX_IDENTIFIER_LENGTH,
  MAX_LABEL_SIZE,
  validateIdentifier,
  validateLabels,
  validateLabel,
} from './identifiers.js';
