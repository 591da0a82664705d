/**
 * Reads what scripts/unlearn-assets.mjs ships: the trained small-cnn bundle and the Fashion-MNIST sample
 * (uint8 images and labels per split, described by fashion-mnist-sample.json), as @metanet/data datasets
 * normalised with the same constants the net was trained with.
 */
import { createDataset } from '@metanet/data/dataset';
import { normalizeBytes, type ChannelStats } from '@metanet/data/normalization';
import type { Dataset } from '@metanet/data';
import { bufferInfos } from '@metanet/spec';
import { readBundle, UnreadableNetError, type BrowserNet } from '../explorer/load-net';

/** fashion-mnist-sample.json: the images' shape, class names, normalisation, and where each split sits in the .bin. */
export interface SampleIndex {
  format: string;
  shape: [number, number, number];
  classNames: string[];
  normalization: ChannelStats;
  splits: Record<'train' | 'test', { count: number; imagesOffset: number; labelsOffset: number }>;
}

/** The shipped sample as datasets. */
export interface PageData {
  train: Dataset;
  test: Dataset;
  classNames: string[];
}

/** Fetches `url`, refusing an HTTP error with a message that says how to get the file. */
export async function fetchOk(url: string): Promise<Response> {
  const r = await fetch(url);
  if (!r.ok) throw new UnreadableNetError(`${url} answered HTTP ${r.status}; rebuild the docs (npm run build -w @metanet/docs)`);
  return r;
}

/** The sample's datasets from its index (fashion-mnist-sample.json, parsed) and its bytes (fashion-mnist-sample.bin). */
export function decodeSample(index: SampleIndex, bytes: ArrayBuffer): PageData {
  if (index.format !== 'metanet.image-sample') throw new UnreadableNetError('fashion-mnist-sample.json is not a metanet image sample; rerun scripts/unlearn-assets.mjs');
  const [h, w, c] = index.shape;
  const split = (name: 'train' | 'test'): Dataset => {
    const s = index.splits[name];
    const pixels = s.count * h * w * c;
    return createDataset({
      name: `fashion-mnist-sample/${name}`,
      images: normalizeBytes(new Uint8Array(bytes, s.imagesOffset, pixels), index.normalization),
      shape: [s.count, h, w, c],
      labels: Int32Array.from(new Uint8Array(bytes, s.labelsOffset, s.count)),
      classNames: index.classNames,
      source: 'Fashion-MNIST sample shipped with the docs',
    });
  };
  return { train: split('train'), test: split('test'), classNames: index.classNames };
}

/** Fetches and decodes the sample under `base` (the site's /unlearn/ URL). */
export async function fetchSample(base: string): Promise<PageData> {
  const [index, bytes] = await Promise.all([
    fetchOk(`${base}fashion-mnist-sample.json`).then((r) => r.json() as Promise<SampleIndex>),
    fetchOk(`${base}fashion-mnist-sample.bin`).then((r) => r.arrayBuffer()),
  ]);
  return decodeSample(index, bytes);
}

/** Fetches the shipped net bundle under `base`. small-cnn has no buffers; a net with any is refused. */
export async function fetchNet(base: string): Promise<BrowserNet> {
  const [manifest, weights] = await Promise.all([fetchOk(`${base}small-cnn/manifest.json`).then((r) => r.text()), fetchOk(`${base}small-cnn/weights.bin`).then((r) => r.arrayBuffer())]);
  const net = readBundle(manifest, weights);
  if (bufferInfos(net.spec).length > 0) throw new UnreadableNetError('the page runs nets without buffers (no batch norm); ship a small-cnn');
  return net;
}
