/**
 * `.npz` export, so a Python user loads a zoo with `numpy.load` alone (e.g. to compare a PyTorch model on the same
 * nets). Keys: `id`, `run`, `epoch`, `final`, `seed`, `wallTimeMs`, one per metric (`testAcc`, …), one per
 * hyperparameter (`hp/lr`, …; strings as `<U` arrays), and the weights. A zoo of one architecture stacks each tensor
 * over nets (`w/<tensor>`, shape [nets, …]); a mixed zoo keeps one array per net and tensor (`w/<id>/<tensor>`).
 * Stored uncompressed: float weights barely compress, and numpy memory-maps nothing from a zip either way.
 */
import { bufferInfos, paramInfos } from '@metanet/spec';
import { zipSync, unzipSync, type Zippable } from 'fflate';
import { writeFileAtomic } from '@metanet/data/atomic';
import { readFileSync } from 'node:fs';
import { decodeNpy, encodeNpy, type NpyArray } from './npy';
import { readZoo, readZooNet } from './read';
import type { ZooMetrics } from './record';

/** What `exportNpz` wrote. */
export interface ExportSummary {
  readonly nets: number;
  readonly arrays: number;
  readonly stacked: boolean;
  readonly bytes: number;
}

const METRICS: ReadonlyArray<keyof ZooMetrics> = ['trainAcc', 'trainLoss', 'valAcc', 'valLoss', 'testAcc', 'testLoss'];

/** The arrays of the zoo in `dir`, by npz key (without `.npy`). */
export function zooArrays(dir: string, opts: { finalOnly?: boolean } = {}): Map<string, NpyArray> {
  const zoo = readZoo(dir);
  const records = opts.finalOnly ? zoo.records.filter((r) => r.final) : zoo.records;
  const n = records.length;
  const out = new Map<string, NpyArray>();
  out.set('id', { dtype: 'str', shape: [n], data: records.map((r) => r.id) });
  out.set('arch', { dtype: 'str', shape: [n], data: records.map((r) => r.arch) });
  out.set('run', { dtype: '<i4', shape: [n], data: Int32Array.from(records, (r) => r.run) });
  out.set('epoch', { dtype: '<i4', shape: [n], data: Int32Array.from(records, (r) => r.epoch) });
  out.set('final', { dtype: '|b1', shape: [n], data: Uint8Array.from(records, (r) => (r.final ? 1 : 0)) });
  out.set('seed', { dtype: '<u4', shape: [n], data: Uint32Array.from(records, (r) => r.seed) });
  out.set('wallTimeMs', { dtype: '<f8', shape: [n], data: Float64Array.from(records, (r) => r.wallTimeMs) });
  for (const m of METRICS) out.set(m, { dtype: '<f8', shape: [n], data: Float64Array.from(records, (r) => r.metrics[m]) });
  const keys = [...new Set(records.flatMap((r) => Object.keys(r.hparams)))].sort();
  for (const k of keys) {
    const vs = records.map((r) => r.hparams[k]);
    if (vs.every((v) => typeof v === 'number')) out.set(`hp/${k}`, { dtype: '<f8', shape: [n], data: Float64Array.from(vs as number[]) });
    else if (vs.every((v) => typeof v === 'boolean')) out.set(`hp/${k}`, { dtype: '|b1', shape: [n], data: Uint8Array.from(vs, (v) => (v ? 1 : 0)) });
    else out.set(`hp/${k}`, { dtype: 'str', shape: [n], data: vs.map((v) => (v === undefined ? '' : String(v))) });
  }
  const nets = records.map((r) => readZooNet(dir, r));
  const layout = (i: number): string => {
    const s = (nets[i] as (typeof nets)[number]).spec;
    return JSON.stringify([...paramInfos(s), ...bufferInfos(s)].map((t) => [t.name, t.shape]));
  };
  const stacked = n > 0 && nets.every((_, i) => layout(i) === layout(0));
  if (stacked) {
    const first = nets[0] as (typeof nets)[number];
    const infos = [...paramInfos(first.spec), ...bufferInfos(first.spec)];
    infos.forEach((info, k) => {
      const size = info.shape.reduce((a, b) => a * b, 1);
      const data = new Float32Array(n * size);
      nets.forEach((net, i) => data.set([...net.params, ...net.buffers][k] as Float32Array, i * size));
      out.set(`w/${info.name}`, { dtype: '<f4', shape: [n, ...info.shape], data });
    });
  } else {
    nets.forEach((net, i) => {
      const infos = [...paramInfos(net.spec), ...bufferInfos(net.spec)];
      const values = [...net.params, ...net.buffers];
      infos.forEach((info, k) => out.set(`w/${(records[i] as (typeof records)[number]).id}/${info.name}`, { dtype: '<f4', shape: [...info.shape], data: values[k] as Float32Array }));
    });
  }
  return out;
}

/** Writes the zoo in `dir` as an `.npz` at `file` (atomically). */
export function exportNpz(dir: string, file: string, opts: { finalOnly?: boolean } = {}): ExportSummary {
  const arrays = zooArrays(dir, opts);
  const files: Zippable = {};
  for (const [k, a] of arrays) files[`${k}.npy`] = [encodeNpy(a), { level: 0 }];
  const zip = zipSync(files);
  writeFileAtomic(file, zip);
  return { nets: (arrays.get('id') as NpyArray).shape[0] as number, arrays: arrays.size, stacked: [...arrays.keys()].some((k) => /^w\/[^/]+$/.test(k)), bytes: zip.byteLength };
}

/** Reads an `.npz` back (the arrays this package writes), by key. */
export function readNpz(file: string): Map<string, NpyArray> {
  const entries = unzipSync(readFileSync(file));
  return new Map(Object.entries(entries).map(([name, bytes]) => [name.replace(/\.npy$/, ''), decodeNpy(bytes, `${file}:${name}`)]));
}
