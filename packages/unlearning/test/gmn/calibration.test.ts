/**
 * The renormalised retain target and the editor's calibrated scale: what the shipped small-cnn editor is
 * trained with and applied at.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '@metanet/tensor';
import { applyEditor, createEditor } from '../../src/gmn/editor';
import { architectureFamily } from '../../src/gmn/family';
import { loadEditor, saveEditor } from '../../src/gmn/io';
import { InvalidEditorFileError } from '../../src/gmn/errors';
import { trainEditor } from '../../src/gmn/train';
import { gmnWithEditor } from '../../src/methods/gmn';
import { shapes } from '../fixtures';
import { disposeNet, initNet, netBytes, tinySmallCnn } from './helpers';

let dir: string;

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
  dir = mkdtempSync(join(tmpdir(), 'gmn-calibration-'));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('retain target', () => {
  it('an identity edit has zero retain loss against the original and a positive one against the renormalised target', () => {
    const ds = shapes(64, 3);
    const net = initNet(tinySmallCnn(6), 1);
    const off = { forget: 0, deletion: 0, relearn: 0, cka: 0 };
    const run = (retainTarget: 'original' | 'renormalised') =>
      trainEditor({ nets: [net], dataset: ds, numClasses: 4, classes: [1], steps: 3, lr: 1e-2, seed: 0, loss: { ...off, retainTarget } });
    const orig = run('original');
    const renorm = run('renormalised');
    // Step 1 edits with the zero-initialised head: the original itself.
    expect(orig.history[0]!.retain).toBeCloseTo(0, 6);
    // The class's mass on the retain rows is the KL to the renormalised target: −log(1 − p_c) > 0.
    expect(renorm.history[0]!.retain).toBeGreaterThan(1e-3);
    // The term's gradient reaches the editor: the loss falls.
    expect(renorm.history[2]!.retain).toBeLessThan(renorm.history[0]!.retain);
    orig.editor.dispose();
    renorm.editor.dispose();
    disposeNet(net);
  });
});

describe('calibrated scale', () => {
  it('applyEditor and method gmn apply scale × info.scale, and the scale survives save and load', async () => {
    const net = initNet(tinySmallCnn(7), 4);
    const editor = createEditor({ seed: 3, zeroInit: false, hidden: 8, layers: 1 });
    editor.info = { family: architectureFamily(net.spec), requestKinds: ['class'], steps: 1 };
    const half = applyEditor(editor, net, [2], { scale: 0.5 });
    const quarter = applyEditor(editor, net, [2], { scale: 0.25 });
    editor.info = { ...editor.info, scale: 0.5 };
    expect(netBytes(applyEditor(editor, net, [2]))).toEqual(netBytes(half));
    expect(netBytes(applyEditor(editor, net, [2], { scale: 0.5 }))).toEqual(netBytes(quarter));
    const ds = shapes(32, 3);
    const viaMethod = await gmnWithEditor(editor).run({ model: net, forget: ds, retain: ds, forgetClasses: [2], numClasses: 4, seed: 0 });
    expect(netBytes(viaMethod.model)).toEqual(netBytes(half));

    saveEditor(join(dir, 'cal'), editor);
    const loaded = loadEditor(join(dir, 'cal'));
    expect(loaded.info.scale).toBe(0.5);
    expect(netBytes(applyEditor(loaded, net, [2]))).toEqual(netBytes(half));
    const m = JSON.parse(readFileSync(join(dir, 'cal', 'manifest.json'), 'utf8'));
    writeFileSync(join(dir, 'cal', 'manifest.json'), JSON.stringify({ ...m, editor: { ...m.editor, info: { ...m.editor.info, scale: -1 } } }));
    expect(() => loadEditor(join(dir, 'cal'))).toThrow(InvalidEditorFileError);
    expect(() => loadEditor(join(dir, 'cal'))).toThrow(/info.scale/);

    // Continuing training drops the calibration: it no longer holds.
    const more = trainEditor({ nets: [net], dataset: ds, numClasses: 4, classes: [2], steps: 1, editor: loaded, seed: 0 });
    expect(more.editor.info.scale).toBeUndefined();
    // An editor saved without a scale keeps its manifest free of one.
    const plain = createEditor({ hidden: 8, layers: 1 });
    saveEditor(join(dir, 'plain'), plain);
    expect(JSON.parse(readFileSync(join(dir, 'plain', 'manifest.json'), 'utf8')).editor.info).not.toHaveProperty('scale');
    [net, half, quarter, viaMethod.model].forEach(disposeNet);
    editor.dispose();
    loaded.dispose();
    plain.dispose();
  });
});
