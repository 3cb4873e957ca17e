/** Helpers for the pull tests: collecting blob streams, hosts.toml dirs, free ports, and a scriptable node:http registry. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { ImagedError } from '../../src/errdefs/index.js';
import type { BlobStream } from '../../src/pull/index.js';
import { tempDir } from '../support/temp-dir.js';

/** Reads a blob stream to the end. */
export async function collect(stream: BlobStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

/** Expects `actual` to be exactly `expected` (a byte comparison: jest's deep equality is slow on large buffers). */
export function expectBytes(actual: Uint8Array, expected: Uint8Array): void {
  expect(actual.length).toBe(expected.length);
  expect(Buffer.compare(Buffer.from(actual), Buffer.from(expected))).toBe(0);
}

/** Writes `<configDir>/<dirName>/hosts.toml` (plus extra files) and returns the config dir. */
export function hostsDir(dirName: string, toml: string, files: Readonly<Record<string, string>> = {}): string {
  const root = tempDir('imaged-certsd-');
  const dir = join(root, dirName);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'hosts.toml'), toml);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return root;
}

/** A 127.0.0.1 port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Resolves with the ImagedError `p` rejects with (fails the test if it resolves or rejects otherwise). */
export async function failure(p: Promise<unknown>): Promise<ImagedError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof ImagedError)) throw new Error(`expected an ImagedError, got ${err === undefined ? 'success' : String(err)}`);
  return err;
}

/** A request the fake server received. */
export interface SeenRequest {
  /** Method. */
  readonly method: string;
  /** Path and query. */
  readonly url: string;
  /** Headers. */
  readonly headers: IncomingHttpHeaders;
  /** Body text. */
  readonly body: string;
}

/** A scriptable HTTP server on 127.0.0.1. */
export interface FakeServer {
  /** `127.0.0.1:PORT`. */
  readonly host: string;
  /** `http://127.0.0.1:PORT`. */
  readonly url: string;
  /** Requests so far. */
  readonly seen: SeenRequest[];
  /** Stops the server. */
  stop(): Promise<void>;
}

/** Starts a node:http server whose requests go to `handle` (with the body already read). */
export async function startFake(handle: (req: IncomingMessage, res: ServerResponse, seen: SeenRequest) => void): Promise<FakeServer> {
  const seen: SeenRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const s = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString() };
      seen.push(s);
      try {
        handle(req, res, s);
      } catch (err) {
        res.writeHead(500).end(String(err));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    host,
    url: `http://${host}`,
    seen,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
