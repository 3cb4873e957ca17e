/**
 * Loads small, distinct OCI images into a containerd-API server (containerd or imaged) in the
 * `k8s.io` namespace, so the CRI ImageService of either server lists them: per image a distinct
 * config blob and a manifest, all sharing one tiny gzip layer; the image record is labelled
 * `io.cri-containerd.image=managed`.
 */
import { gzipSync } from 'node:zlib';
import { createServiceClient } from '../../src/client/index.js';
import { Content } from '../../gen/services/content/v1/content_pb.js';
import { Images } from '../../gen/services/images/v1/images_pb.js';
import { ingest, sha256Digest, type Blob, type ContentClient } from './content-ops.js';

/** The namespace the CRI plugin (and imaged's CRI service) uses. */
export const K8S_NAMESPACE: Readonly<Record<string, string>> = { 'containerd-namespace': 'k8s.io' };

/** The image reference of benchmark image `n`. */
export const benchImageName = (n: number): string => `bench.example.com/img/app-${n}:v1`;

const blob = (data: Uint8Array): Blob => ({ data, digest: sha256Digest(data) });
const json = (value: unknown): Blob => blob(Buffer.from(JSON.stringify(value)));

/** The shared layer: an empty tar (two zero blocks), gzipped; and its diff id. */
const emptyTar = Buffer.alloc(1024);
const LAYER = blob(gzipSync(emptyTar));
const LAYER_DIFF_ID = sha256Digest(emptyTar);

/** The config and manifest blobs of image `n`. */
function imageBlobs(n: number): { config: Blob; manifest: Blob } {
  const config = json({
    architecture: 'amd64',
    os: 'linux',
    config: { Env: [`I=${n}`] },
    rootfs: { type: 'layers', diff_ids: [LAYER_DIFF_ID] },
  });
  const manifest = json({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: config.digest, size: config.data.byteLength },
    layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: LAYER.digest, size: LAYER.data.byteLength }],
  });
  return { config, manifest };
}

/** Loads images into one server through its containerd API. */
export class ImageLoader {
  private readonly content: ContentClient;
  private readonly images;
  private layerWritten = false;
  private refs = 0;

  constructor(socket: string) {
    this.content = createServiceClient(Content, socket);
    this.images = createServiceClient(Images, socket);
  }

  private write(b: Blob): Promise<void> {
    return ingest(this.content, b, { ref: `bench-cri-${process.pid}-${this.refs++}`, metadata: K8S_NAMESPACE, chunk: 1 << 20 });
  }

  /** Loads images `from` … `to - 1` with `concurrency` in flight. */
  async load(from: number, to: number, concurrency: number): Promise<void> {
    if (!this.layerWritten) {
      await this.write(LAYER);
      this.layerWritten = true;
    }
    let next = from;
    const worker = async () => {
      while (next < to) {
        const n = next++;
        const { config, manifest } = imageBlobs(n);
        await this.write(config);
        await this.write(manifest);
        await this.images.create(
          {
            image: {
              name: benchImageName(n),
              labels: { 'io.cri-containerd.image': 'managed' },
              target: {
                mediaType: 'application/vnd.oci.image.manifest.v1+json',
                digest: manifest.digest,
                size: BigInt(manifest.data.byteLength),
              },
            },
          },
          { metadata: K8S_NAMESPACE },
        );
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, to - from) }, worker));
  }

  close(): void {
    this.content.close();
    this.images.close();
  }
}
