/** Drives Debian's `skopeo` to push local OCI layouts into a test registry. */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The outcome of one skopeo invocation. */
export interface SkopeoResult {
  /** Exit code (0 on success). */
  readonly code: number;
  /** Standard output. */
  readonly stdout: string;
  /** Standard error. */
  readonly stderr: string;
}

/** Runs `skopeo --insecure-policy ...args` (no system signature policy) and returns its result; never throws for a non-zero exit. */
export function skopeo(args: readonly string[]): Promise<SkopeoResult> {
  return new Promise((resolve, reject) => {
    execFile('skopeo', ['--insecure-policy', ...args], { timeout: 120_000, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      if (err !== null && typeof err.code !== 'number') return reject(err);
      resolve({ code: err === null ? 0 : Number(err.code), stdout, stderr });
    });
  });
}

/** How `pushOciLayout` talks to the registry and what it pushes. */
export interface PushOptions {
  /** `user:password` for the registry (or its token server); anonymous without it. */
  readonly creds?: string;
  /** Require HTTPS with a verified certificate; default: true when `certDir` is given, else false (HTTP or unverified HTTPS). */
  readonly tlsVerify?: boolean;
  /** A directory of `*.crt` CA files to trust (e.g. `TestPki.certDir`). */
  readonly certDir?: string;
  /** Convert the manifest: `v2s2` pushes Docker schema 2, `oci` forces OCI; default keeps the source's. */
  readonly format?: 'oci' | 'v2s2';
  /** Push every manifest of an index (`--all`), not only the one for this machine's platform. */
  readonly all?: boolean;
}

/** What a successful push reports. */
export interface PushResult {
  /** The digest of the top-level manifest (or index) as pushed, from `--digestfile`. */
  readonly digest: string;
  /** skopeo's stdout. */
  readonly stdout: string;
  /** skopeo's stderr. */
  readonly stderr: string;
}

/** Copies `oci:LAYOUT:TAG` to `docker://HOST/REPO:TAG`; throws with skopeo's stderr if it fails. */
export async function pushOciLayout(
  layoutDir: string,
  tag: string,
  registryHost: string,
  repo: string,
  opts: PushOptions = {},
): Promise<PushResult> {
  if (layoutDir.includes(':')) throw new Error(`an OCI layout path may not contain ":" for skopeo: ${layoutDir}`);
  const work = mkdtempSync(join(tmpdir(), 'imaged-skopeo-'));
  const digestFile = join(work, 'digest');
  const tlsVerify = opts.tlsVerify ?? opts.certDir !== undefined;
  const args = [
    'copy',
    '--digestfile',
    digestFile,
    `--dest-tls-verify=${tlsVerify}`,
    ...(opts.certDir === undefined ? [] : ['--dest-cert-dir', opts.certDir]),
    ...(opts.creds === undefined ? ['--dest-no-creds'] : ['--dest-creds', opts.creds]),
    ...(opts.format === undefined ? [] : ['--format', opts.format]),
    ...(opts.all ? ['--all'] : []),
    `oci:${layoutDir}:${tag}`,
    `docker://${registryHost}/${repo}:${tag}`,
  ];
  try {
    const r = await skopeo(args);
    if (r.code !== 0) {
      const shown = args.map((a, i) => (args[i - 1] === '--dest-creds' ? a.replace(/:.*$/, ':***') : a));
      throw new Error(`skopeo ${shown.join(' ')} exited ${r.code}:\n${r.stderr.trim()}`);
    }
    return { digest: readFileSync(digestFile, 'utf8').trim(), stdout: r.stdout, stderr: r.stderr };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
