/**
 * imaged's Prometheus metrics in a registry of their own: RPCs, pulls, garbage collection, the
 * content store and the CRI cache (the last two read at scrape time), plus the process metrics.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics, exponentialBuckets } from 'prom-client';
import type { GcResult } from '../gc/index.js';
import type { PullMeter } from '../pull/index.js';

/** What the gauges read when scraped. */
export interface MetricSources {
  /** Bytes and distinct blobs of the content store. */
  readonly content: () => { bytes: number; blobs: number };
  /** Images and references in the CRI reference cache. */
  readonly criCache: () => { images: number; references: number };
}

/** The metrics of one daemon. */
export interface ImagedMetrics {
  /** The registry to expose. */
  readonly registry: Registry;
  /** Records a finished RPC: service and method names, status code name, duration. */
  rpc(service: string, method: string, code: string, seconds: number): void;
  /** Counts pulls in flight, bytes fetched, pull durations and throughput. */
  readonly pulls: PullMeter;
  /** Records one garbage collection (or its failure). */
  gc(result: GcResult | Error): void;
  /** Starts reading the gauges from `sources` at every scrape. */
  collectFrom(sources: MetricSources): void;
}

/** Latency buckets for RPCs, in seconds: sub-millisecond reads to long streams. */
const RPC_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];
/** Duration buckets for pulls and collections, in seconds. */
const LONG_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800];

/** Creates the metrics; process metrics (`process_*`, `nodejs_*`) are collected from now on. */
export function createImagedMetrics(): ImagedMetrics {
  const registry = new Registry();
  const registers = [registry];
  collectDefaultMetrics({ register: registry });
  const rpcLabels = ['grpc_service', 'grpc_method', 'grpc_code'] as const;
  const handled = new Counter({ name: 'imaged_grpc_server_handled_total', help: 'RPCs completed, by service, method and status code.', labelNames: rpcLabels, registers });
  const handling = new Histogram({ name: 'imaged_grpc_server_handling_seconds', help: 'Time from the start of an RPC to its status.', labelNames: rpcLabels, buckets: RPC_BUCKETS, registers });
  const inFlight = new Gauge({ name: 'imaged_pulls_in_flight', help: 'Image pulls running now.', registers });
  const pulledBytes = new Counter({ name: 'imaged_pull_bytes_total', help: 'Bytes fetched from registries by pulls.', registers });
  const pullSeconds = new Histogram({ name: 'imaged_pull_duration_seconds', help: 'Duration of image pulls, by result.', labelNames: ['result'], buckets: LONG_BUCKETS, registers });
  const throughput = new Histogram({
    name: 'imaged_pull_throughput_bytes_per_second',
    help: 'Bytes fetched per second of successful pulls that fetched anything.',
    buckets: exponentialBuckets(64 << 10, 4, 10),
    registers,
  });
  const gcRuns = new Counter({ name: 'imaged_gc_runs_total', help: 'Garbage collections, by result.', labelNames: ['result'], registers });
  const gcSeconds = new Histogram({ name: 'imaged_gc_duration_seconds', help: 'Duration of successful garbage collections.', buckets: LONG_BUCKETS, registers });
  const gcBytes = new Counter({ name: 'imaged_gc_freed_bytes_total', help: 'Bytes of blob files deleted by garbage collection.', registers });
  const gcBlobs = new Counter({ name: 'imaged_gc_deleted_blobs_total', help: 'Blob files deleted by garbage collection.', registers });
  const gcRecords = new Counter({ name: 'imaged_gc_removed_records_total', help: 'Metadata records removed by garbage collection, by kind.', labelNames: ['kind'], registers });
  let sources: MetricSources | undefined;
  /** A gauge set from `sources` at every scrape (0 until they are given). */
  const scraped = (name: string, help: string, read: (from: MetricSources) => number): void =>
    void new Gauge({
      name,
      help,
      registers,
      collect() {
        if (sources !== undefined) this.set(read(sources));
      },
    });
  scraped('imaged_content_bytes', 'Bytes in the content store (each blob once).', (from) => from.content().bytes);
  scraped('imaged_content_blobs', 'Blobs in the content store.', (from) => from.content().blobs);
  scraped('imaged_cri_images', 'Images in the CRI reference cache.', (from) => from.criCache().images);
  scraped('imaged_cri_references', 'References in the CRI reference cache.', (from) => from.criCache().references);

  return {
    registry,
    rpc(service, method, code, seconds) {
      const labels = { grpc_service: service, grpc_method: method, grpc_code: code };
      handled.inc(labels);
      handling.observe(labels, seconds);
    },
    pulls: {
      started() {
        inFlight.inc();
        const started = performance.now();
        let bytes = 0;
        return {
          fetched(n) {
            bytes += n;
            pulledBytes.inc(n);
          },
          finished(ok) {
            inFlight.dec();
            const seconds = (performance.now() - started) / 1000;
            pullSeconds.observe({ result: ok ? 'success' : 'error' }, seconds);
            if (ok && bytes > 0) throughput.observe(bytes / seconds);
          },
        };
      },
    },
    gc(result) {
      if (result instanceof Error) return void gcRuns.inc({ result: 'error' });
      gcRuns.inc({ result: 'success' });
      gcSeconds.observe(result.durationMs / 1000);
      gcBytes.inc(result.freedBytes);
      gcBlobs.inc(result.deletedBlobs);
      gcRecords.inc({ kind: 'content' }, result.removedContent);
      gcRecords.inc({ kind: 'image' }, result.removedImages);
      gcRecords.inc({ kind: 'lease' }, result.removedLeases);
    },
    collectFrom(given) {
      sources = given;
    },
  };
}
