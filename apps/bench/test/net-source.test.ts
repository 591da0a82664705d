/** `--net` accepts every format: the resolver directly, and through `metanet graph stats`. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { countParams } from '@metanet/spec';
import { SpecInferenceError } from '@metanet/nets';
import { netFormat, resolveNet } from '../src/net-source';
import { runCli } from './run-cli';

const FIXTURES = join(__dirname, '..', '..', '..', 'packages', 'nets', 'test', 'fixtures', 'onnx');
const fx = (name: string): string => join(FIXTURES, name);
const dir = mkdtempSync(join(tmpdir(), 'metanet-net-source-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('resolveNet', () => {
  it('reads a .onnx file', async () => {
    const net = await resolveNet(fx('rescnn.onnx'));
    expect(net.format).toBe('onnx');
    expect(net.spec.input).toEqual([8, 8, 3]);
    expect(net.spec.layers.map((l) => l.type)).toEqual(['conv2d', 'activation', 'residual', 'residual', 'globalavgpool', 'dense']);
  });

  it('infers the spec of a state dict, and says what it assumed', async () => {
    const net = await resolveNet(fx('convnet.safetensors'), { input: [6, 6] });
    expect(net.format).toBe('safetensors');
    expect(net.spec.input).toEqual([6, 6, 1]);
    expect(net.notes.join(' ')).toMatch(/relu assumed/);
  });

  it('reads a state dict with --spec into the same weights as the .onnx export of that net', async () => {
    const onnx = await resolveNet(fx('cnn.onnx'));
    const specFile = join(dir, 'cnn-spec.json');
    writeFileSync(specFile, JSON.stringify(onnx.spec));
    const st = await resolveNet(fx('cnn.safetensors'), { spec: specFile });
    expect(st.spec).toEqual(onnx.spec);
    expect(st.params).toEqual(onnx.params);
    expect(st.buffers).toEqual(onnx.buffers);
    await expect(resolveNet(fx('cnn.safetensors'), { input: [12, 12] })).rejects.toBeInstanceOf(SpecInferenceError);
  });

  it('names the accepted formats for anything else', () => {
    expect(() => netFormat(join(dir, 'missing'))).toThrow(/no such file or directory; give a metanet bundle directory .*\.onnx.*model\.json.*\.safetensors/);
    const txt = join(dir, 'net.txt');
    writeFileSync(txt, 'x');
    expect(() => netFormat(txt)).toThrow(/unknown file type "\.txt"/);
    expect(() => netFormat(dir)).toThrow(/neither manifest\.json nor model\.json/);
  });
});

describe('metanet graph stats --net', () => {
  it('takes a .onnx file', () => {
    const r = runCli(['graph', 'stats', '--net', fx('mlp.onnx'), '--json']);
    expect(r.status, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s.source).toEqual({ net: fx('mlp.onnx'), format: 'onnx' });
    expect(s.numParams).toBe(12 * 16 + 16 + 2 * 16 + 16 * 16 + 16 + 16 * 8 + 8 + 8 * 8 + 8 + 8 * 4 + 4);
    expect(s.roundTripExact).toBe(true);
  });

  it('takes a conv state dict with --spec, and without it exits 2 with one line asking for --spec', async () => {
    const onnx = await resolveNet(fx('cnn.onnx'));
    const specFile = join(dir, 'spec.json');
    writeFileSync(specFile, JSON.stringify(onnx.spec));
    const ok = runCli(['graph', 'stats', '--net', fx('cnn.safetensors'), '--spec', specFile, '--json']);
    expect(ok.status, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout).numParams).toBe(countParams(onnx.spec));
    const bad = runCli(['graph', 'stats', '--net', fx('cnn.safetensors'), '--input-size', '12']);
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(/^metanet: cannot infer the spec from the state dict: .*pass the spec \(--spec spec\.json\)$/m);
  });
});
