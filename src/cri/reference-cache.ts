/**
 * The CRI reference cache: every image reference of the CRI namespace mapped to its image ID
 * (config digest), and per ID the merged references, facts and pinned state. CRI reads are answered
 * from here; image events keep it current.
 */
import { DigestSet } from '../digest/index.js';
import { notFound } from '../errdefs/index.js';
import { sortReferences } from '../reference/index.js';
import type { ImageFacts } from './image-facts.js';

/** An image as CRI sees it. */
export interface CriImage {
  /** Facts from its content (ID, chain ID, size, user, config). */
  readonly facts: ImageFacts;
  /** Every reference naming it, in containerd's precedence order. */
  readonly references: readonly string[];
  /** Whether any of its references is pinned. */
  readonly pinned: boolean;
}

interface Entry {
  facts: ImageFacts;
  references: Set<string>;
  pinnedReferences: Set<string>;
  view: CriImage | undefined;
}

/** A reference's current state: what it names, or undefined when it is gone. */
export interface ReferenceState {
  /** Facts of the image the reference points at. */
  readonly facts: ImageFacts;
  /** Whether this reference is pinned. */
  readonly pinned: boolean;
}

/** A cached image as saved for a later start: its facts, every reference naming it, the pinned ones. */
export interface SavedImage {
  /** Facts of the image (those of the first reference that named it). */
  readonly facts: ImageFacts;
  /** Every reference naming it. */
  readonly references: readonly string[];
  /** The references among them that are pinned. */
  readonly pinned: readonly string[];
}

/** References and images of the CRI namespace, in memory. */
export class ReferenceCache {
  private readonly idOf = new Map<string, string>();
  private readonly entries = new Map<string, Entry>();
  private readonly ids = new DigestSet();
  private listView: CriImage[] | undefined;

  /** Records that `reference` now names `state` (or nothing, when undefined). */
  update(reference: string, state: ReferenceState | undefined): void {
    this.listView = undefined;
    const previous = this.idOf.get(reference);
    if (previous !== undefined && previous !== state?.facts.id) this.detach(previous, reference);
    if (state === undefined) {
      this.idOf.delete(reference);
      return;
    }
    const id = state.facts.id;
    this.idOf.set(reference, id);
    let entry = this.entries.get(id);
    if (entry === undefined) {
      entry = { facts: state.facts, references: new Set(), pinnedReferences: new Set(), view: undefined };
      this.entries.set(id, entry);
      this.ids.add(id);
    }
    entry.references.add(reference);
    if (state.pinned) entry.pinnedReferences.add(reference);
    else entry.pinnedReferences.delete(reference);
    entry.view = undefined;
  }

  /** The image ID `reference` names, if any. */
  resolveReference(reference: string): string | undefined {
    return this.idOf.get(reference);
  }

  /** The image with ID `idOrPrefix` (full digest, `sha256:` prefix or bare hex prefix). */
  get(idOrPrefix: string): CriImage {
    // A full ID (what references resolve to) needs no prefix search.
    const entry = this.entries.get(idOrPrefix) ?? this.entries.get(this.ids.lookup(idOrPrefix));
    if (entry === undefined) throw notFound(`image ${idOrPrefix} not found`);
    return this.viewOf(entry);
  }

  /** Every image, by ID. */
  list(): readonly CriImage[] {
    this.listView ??= [...this.entries.keys()].sort().map((id) => this.viewOf(this.entries.get(id)!));
    return this.listView;
  }

  /** Every image with its references, for a later start to restore with {@link ReferenceCache.restore}. */
  saved(): SavedImage[] {
    return [...this.entries.values()].map((e) => ({ facts: e.facts, references: [...e.references], pinned: [...e.pinnedReferences] }));
  }

  /** Adds a saved image, as the updates that built it did. */
  restore(image: SavedImage): void {
    const pinned = new Set(image.pinned);
    for (const reference of image.references) this.update(reference, { facts: image.facts, pinned: pinned.has(reference) });
  }

  /** How many images are cached. */
  get size(): number {
    return this.entries.size;
  }

  /** How many references name a cached image. */
  get referenceCount(): number {
    return this.idOf.size;
  }

  private detach(id: string, reference: string): void {
    const entry = this.entries.get(id);
    if (entry === undefined) return;
    entry.references.delete(reference);
    entry.pinnedReferences.delete(reference);
    entry.view = undefined;
    if (entry.references.size === 0) {
      this.entries.delete(id);
      this.ids.remove(id);
    }
  }

  private viewOf(entry: Entry): CriImage {
    entry.view ??= { facts: entry.facts, references: sortReferences(entry.references), pinned: entry.pinnedReferences.size > 0 };
    return entry.view;
  }
}
