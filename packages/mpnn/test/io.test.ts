import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend, tf } from '@metanet/tensor';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { GMN, InvalidGMNFileError, loadGMN, readGMN, saveGMN, trainStep, type GMNConfig } from '../src/index';
import { mlpGraph, randomMlp } from './helpers';

const dir = mkdtempSync(join(tmpdir(), 'mpnn-io-'));
const CONFIG: Partial<GMNConfig> = { hidden: 6, globalHidden: 4, layers: 2, graphOutputs: 2, edgeOutputs: 1, edgeHeadZeroInit: false, seed: 8, aggregation: 'mean' };
const graph = mlpGraph(randomMlp([3, 4, 2], 4));

function bits(t: tf.Tensor): Buffer {
  return Buffer.from((t.dataSync() as Float32Array).slice().buffer);
}

describe('saveGMN / loadGMN', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'wasm' });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('round trip: config, weights and outputs are bit-identical; no temp files remain', () => {
    const model = new GMN(CONFIG);
    const gt = model.graphTensors(graph);
    // Train a step first so the weights are not just the seeded initialisation.
    trainStep(model, tf.train.adam(1e-2), [gt], (o) => tf.mean(tf.square(o.graph!)) as tf.Scalar);
    const out = join(dir, 'a');
    const manifest = saveGMN(out, model, { note: 'test' });
    expect(manifest.format).toBe('metanet.gmn');
    expect(readdirSync(out).sort()).toEqual(['manifest.json', 'weights.bin']);
    const loaded = loadGMN(out);
    expect(loaded.config).toEqual(model.config);
    expect(loaded.weightNames()).toEqual(model.weightNames());
    for (const [name, v] of model.getWeights()) expect(bits(loaded.getWeights().get(name)!).equals(bits(v))).toBe(true);
    tf.tidy(() => {
      const a = model.apply(gt);
      const b = loaded.apply(gt);
      expect(bits(a.graph!).equals(bits(b.graph!))).toBe(true);
      expect(bits(a.edge!).equals(bits(b.edge!))).toBe(true);
    });
    expect(readGMN(out).meta).toEqual({ note: 'test' });
    gt.dispose();
    model.dispose();
    loaded.dispose();
  });

  test("the message direction is saved; a file saved without it loads as 'forward'", () => {
    const both = new GMN({ ...CONFIG, direction: 'both' });
    const gt = both.graphTensors(graph);
    saveGMN(join(dir, 'both'), both);
    const loaded = loadGMN(join(dir, 'both'));
    expect(loaded.config.direction).toBe('both');
    tf.tidy(() => {
      expect(bits(loaded.apply(gt).edge!).equals(bits(both.apply(gt).edge!))).toBe(true);
    });
    // A file from before the field: the same manifest with config.direction removed.
    const old = new GMN(CONFIG);
    const out = join(dir, 'old');
    saveGMN(out, old);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as { config: Record<string, unknown> };
    expect(manifest.config.direction).toBe('forward');
    delete manifest.config.direction;
    writeFileSync(join(out, 'manifest.json'), JSON.stringify(manifest));
    const back = loadGMN(out);
    expect(back.config.direction).toBe('forward');
    tf.tidy(() => {
      expect(bits(back.apply(gt).edge!).equals(bits(old.apply(gt).edge!))).toBe(true);
    });
    gt.dispose();
    [both, loaded, old, back].forEach((m) => m.dispose());
  });

  test('an encoder with extra node columns (features.nodeExtra) saves and loads to the same outputs', () => {
    const extra = new GMN({ ...CONFIG, features: { frequencies: 8, valueFrequencies: 8, nodeExtra: 2 } });
    saveGMN(join(dir, 'extra'), extra);
    const loaded = loadGMN(join(dir, 'extra'));
    expect(loaded.config.features).toEqual({ frequencies: 8, valueFrequencies: 8, nodeExtra: 2 });
    const gt = extra.graphTensors({ ...graph, nodeExtra: Float32Array.from({ length: 2 * graph.numNodes }, (_, i) => Math.sin(i)) });
    tf.tidy(() => {
      expect(bits(loaded.apply(gt).graph!).equals(bits(extra.apply(gt).graph!))).toBe(true);
    });
    gt.dispose();
    [extra, loaded].forEach((m) => m.dispose());
  });

  test('a head-aware encoder (features.heads) is saved; a default config saves no heads field', () => {
    const aware = new GMN({ ...CONFIG, features: { frequencies: 8, valueFrequencies: 8, heads: 3 } });
    saveGMN(join(dir, 'heads'), aware);
    const loaded = loadGMN(join(dir, 'heads'));
    expect(loaded.config.features).toEqual({ frequencies: 8, valueFrequencies: 8, heads: 3 });
    const gt = aware.graphTensors(graph);
    tf.tidy(() => {
      expect(bits(loaded.apply(gt).graph!).equals(bits(aware.apply(gt).graph!))).toBe(true);
    });
    const plain = new GMN(CONFIG);
    saveGMN(join(dir, 'no-heads'), plain);
    const manifest = JSON.parse(readFileSync(join(dir, 'no-heads', 'manifest.json'), 'utf8')) as { config: { features: Record<string, unknown> } };
    expect(Object.keys(manifest.config.features).sort()).toEqual(['frequencies', 'valueFrequencies']);
    gt.dispose();
    [aware, loaded, plain].forEach((m) => m.dispose());
  });

  test('determinism: two loads of a saved model give bit-identical outputs and weights after a training step', () => {
    const src = new GMN({ ...CONFIG, dropout: 0.1 });
    const out = join(dir, 'b');
    saveGMN(out, src);
    src.dispose();
    const once = () => {
      const m = loadGMN(out);
      const gt = m.graphTensors(graph);
      const y = tf.tidy(() => bits(m.apply(gt, { training: true, seed: 3 }).edge!));
      trainStep(m, tf.train.adam(1e-2), [gt], (o) => tf.add(tf.mean(tf.square(o.edge!)), tf.mean(tf.square(o.graph!))) as tf.Scalar, { seed: 5 });
      const w = m.trainableVariables.map(bits);
      gt.dispose();
      m.dispose();
      return { y, w };
    };
    const a = once();
    const b = once();
    expect(a.y.equals(b.y)).toBe(true);
    a.w.forEach((w, k) => expect(w.equals(b.w[k]!)).toBe(true));
  });

  test('the format is nets\' bundle with the config under "config", and a manifest without the final newline (as version 1 was first written) loads', () => {
    const model = new GMN(CONFIG);
    const out = join(dir, 'v1');
    const manifest = saveGMN(out, model);
    const doc = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as Record<string, unknown>;
    expect(Object.keys(doc)).toEqual(['format', 'version', 'config', 'tensors', 'weights', 'meta']);
    expect(doc).toMatchObject({ format: 'metanet.gmn', version: 1, weights: { file: 'weights.bin', byteLength: manifest.weights.byteLength } });
    let end = 0;
    for (const t of manifest.tensors) {
      expect(Object.keys(t)).toEqual(['name', 'dtype', 'shape', 'offset', 'length']);
      expect(t.offset).toBe(end);
      end += t.length;
    }
    expect(end).toBe(manifest.weights.byteLength);
    writeFileSync(join(out, 'manifest.json'), JSON.stringify(doc, null, 1));
    const loaded = loadGMN(out);
    for (const [name, v] of model.getWeights()) expect(bits(loaded.getWeights().get(name)!).equals(bits(v))).toBe(true);
    model.dispose();
    loaded.dispose();
  });

  test('refuses to save non-finite weights, and a torn write is detected on load', () => {
    const model = new GMN(CONFIG);
    const out = join(dir, 'c');
    saveGMN(out, model);
    // A weights file from another save, with this manifest: the checksum catches it.
    const w = readFileSync(join(out, 'weights.bin'));
    w[0] = w[0]! ^ 0xff;
    writeFileSync(join(out, 'weights.bin'), w);
    expect(() => loadGMN(out)).toThrow(InvalidGMNFileError);
    expect(() => loadGMN(out)).toThrow(/checksum/);
    const v = model.trainableVariables[0]!;
    v.assign(tf.fill(v.shape, NaN));
    expect(() => saveGMN(join(dir, 'd'), model)).toThrow(InvalidGMNFileError);
    expect(() => loadGMN(join(dir, 'missing'))).toThrow(/missing/);
    model.dispose();
  });
});
