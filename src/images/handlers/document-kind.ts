/**
 * Guards against ambiguous documents: a blob fetched as a manifest must not look like an index, and
 * the other way round (the same checks containerd applies before trusting a document), and Docker
 * schema 1 manifests are refused.
 */
import { hasKey, type Fail, type JsonObject } from './json-shape.js';
import { isIndex, isManifest } from './media-types.js';

/** Fails unless `doc` can be a manifest (`expected` = 'manifest') or an index (`expected` = 'index'). */
export function checkDocumentKind(doc: JsonObject, expected: 'manifest' | 'index', fail: Fail): void {
  if (hasKey(doc, 'fsLayers')) {
    fail('', 'Docker schema 1 manifests are not supported; rebuild or re-push the image as OCI or Docker schema 2');
  }
  const declared = typeof doc['mediaType'] === 'string' ? doc['mediaType'] : '';
  if (expected === 'manifest' && (hasKey(doc, 'manifests') || isIndex(declared))) {
    fail('', `expected a manifest but the document is an index${declared === '' ? '' : ` (${declared})`}`);
  }
  if (expected === 'index' && (hasKey(doc, 'config') || hasKey(doc, 'layers') || isManifest(declared))) {
    fail('', `expected an index but the document is a manifest${declared === '' ? '' : ` (${declared})`}`);
  }
}
