/**
 * Image references as the CRI passes them (`busybox`, `ghcr.io/o/r:tag`, `host:5000/r@sha256:…`),
 * normalised the way Docker and containerd's CRI plugin do: Docker Hub for names without a
 * registry, `library/` for official images, `latest` when neither tag nor digest is given.
 */
import { parseDigest, type Digest } from '../digest/index.js';
import { invalidArgument } from '../errdefs/index.js';
import { DOCKER_HUB } from './hosts-config.js';
import { isRegistryHost } from './host-name.js';

/** A parsed, normalised image reference. */
export interface ImageReference {
  /** The registry host (`docker.io`, `127.0.0.1:5000`). */
  readonly host: string;
  /** The repository path inside the registry (`library/busybox`). */
  readonly repository: string;
  /** The tag, when the reference has one. */
  readonly tag?: string;
  /** The digest, when the reference has one. */
  readonly digest?: Digest;
  /** The normalised full reference (`docker.io/library/busybox:latest`). */
  readonly name: string;
}

const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const MAX_NAME = 255;

/** Parses and normalises `ref`; throws InvalidArgument saying what is wrong with it. */
export function parseReference(ref: string): ImageReference {
  const bad = (why: string): never => {
    throw invalidArgument(`invalid image reference ${JSON.stringify(ref.length > 300 ? `${ref.slice(0, 300)}…` : ref)}: ${why}`);
  };
  if (ref === '') bad('it is empty');
  let rest = ref;
  let digest: Digest | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    try {
      digest = parseDigest(rest.slice(at + 1));
    } catch (err) {
      bad((err as Error).message);
    }
    rest = rest.slice(0, at);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) bad(`tag ${JSON.stringify(tag)} must be 1-128 letters, digits, "_", "." or "-", not starting with "." or "-"`);
  }
  const slash = rest.indexOf('/');
  const first = slash < 0 ? '' : rest.slice(0, slash);
  const hasHost = slash >= 0 && (first.includes('.') || first.includes(':') || first === 'localhost' || first !== first.toLowerCase());
  let host = hasHost ? first : DOCKER_HUB;
  let repository = hasHost ? rest.slice(slash + 1) : rest;
  if (host === 'index.docker.io') host = DOCKER_HUB;
  if (!isRegistryHost(host)) bad(`registry host ${JSON.stringify(host)} is not host[:port]`);
  if (repository === '') bad('the repository name is missing');
  if (host === DOCKER_HUB && !repository.includes('/')) repository = `library/${repository}`;
  for (const part of repository.split('/')) {
    if (!COMPONENT.test(part)) {
      bad(`repository path component ${JSON.stringify(part)} must be lowercase letters and digits separated by ".", "_", "__" or "-"`);
    }
  }
  if (host.length + 1 + repository.length > MAX_NAME) bad(`the name is longer than ${MAX_NAME} characters`);
  if (tag === undefined && digest === undefined) tag = 'latest';
  const name = `${host}/${repository}${tag === undefined ? '' : `:${tag}`}${digest === undefined ? '' : `@${digest}`}`;
  return { host, repository, ...(tag === undefined ? {} : { tag }), ...(digest === undefined ? {} : { digest }), name };
}

/** The token scope that lets a client pull from the reference's repository. */
export const pullScope = (ref: ImageReference): string => `repository:${ref.repository}:pull`;
