import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '@metanet/tensor';
import { applyEditor, createEditor } from '../../src/gmn/editor';
import { architectureFamily } from '../../src/gmn/family';
import { loadEditor, saveEditor } from '../../src/gmn/io';
import { EditorMismatchError, InvalidEditorFileError, MissingEditorError } from '../../src/gmn/errors';
import { gmn, gmnWithEditor } from '../../src/methods/gmn';
import { getMethod } from '../../src/registry';
import { shapes, tinyCnnSpec } from '../fixtures';
import { disposeNet, initNet, netBytes, tinySmallCnn } from './helpers';

let dir: string;

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
  dir = mkdtempSync(join(tmpdir(), 'gmn-editor-'));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('saved GMN editor', () => {
  it('save → load → apply gives bit-identical weights, and keeps what the editor was trained for', () => {
    const net = initNet(tinySmallCnn(7), 4);
    // A non-zero head, so the edit really changes the weights.
    const editor = createEditor({ seed: 3, zeroInit: false, hidden: 16, layers: 2 });
    editor.info = { family: architectureFamily(net.spec), requestKinds: ['class'], steps: 12 };
    const before = applyEditor(editor, net, [2]);
    expect(netBytes(before)).not.toEqual(netBytes(net));
    saveEditor(join(dir, 'e'), editor, { note: 'test' });
    const loaded = loadEditor(join(dir, 'e'));
    expect(loaded.config).toEqual(editor.config);
    expect(loaded.info).toEqual(editor.info);
    const after = applyEditor(loaded, net, [2]);
    expect(netBytes(after)).toEqual(netBytes(before));
    [net, before, after].forEach(disposeNet);
    editor.dispose();
    loaded.dispose();
  });

  it('refuses a corrupt or foreign file, another family, and a request kind it was not trained for', () => {
    const editor = createEditor({ hidden: 8, layers: 1 });
    editor.info = { family: architectureFamily(tinySmallCnn(8)), requestKinds: ['class'], steps: 1 };
    const e = join(dir, 'bad');
    saveEditor(e, editor);
    const w = readFileSync(join(e, 'weights.bin'));
    w[10] = (w[10]! + 1) % 256;
    writeFileSync(join(e, 'weights.bin'), w);
    expect(() => loadEditor(e)).toThrow(InvalidEditorFileError);
    expect(() => loadEditor(e)).toThrow(/sha256/);
    expect(() => loadEditor(join(dir, 'missing'))).toThrow(InvalidEditorFileError);

    saveEditor(e, editor);
    const m = JSON.parse(readFileSync(join(e, 'manifest.json'), 'utf8'));
    writeFileSync(join(e, 'manifest.json'), JSON.stringify({ ...m, editor: { ...m.editor, info: { ...m.editor.info, requestKinds: ['subset'] } } }));
    expect(() => loadEditor(e)).toThrow(/requestKinds/);
    writeFileSync(join(e, 'manifest.json'), JSON.stringify({ ...m, editor: { ...m.editor, config: { ...m.editor.config, hidden: 9 } } }));
    expect(() => loadEditor(e)).toThrow(/does not fit the editor's config/);

    const other = initNet(tinyCnnSpec(), 0);
    expect(() => applyEditor(editor, other, [0])).toThrow(EditorMismatchError);
    editor.info = { ...editor.info, family: null, requestKinds: [] };
    const mine = initNet(tinySmallCnn(8), 0);
    expect(() => applyEditor(editor, mine, [0])).toThrow(/not class-wise ones/);
    [other, mine].forEach(disposeNet);
    editor.dispose();
  });

  it('is the registered method gmn: a typed error without an editor, an edit with one', async () => {
    expect(getMethod('gmn')).toBe(gmn);
    const net = initNet(tinySmallCnn(6), 1);
    const data = shapes(40, 1);
    const input = { model: net, forget: data, retain: data, forgetClasses: [1], numClasses: 4, seed: 0 };
    await expect(gmn.run(input)).rejects.toThrow(MissingEditorError);
    await expect(gmn.run(input)).rejects.toThrow(/editor=DIR/);
    const editor = createEditor({ hidden: 8, layers: 1, zeroInit: false });
    saveEditor(join(dir, 'm'), editor);
    const fromDir = await gmn.run(input, { editor: join(dir, 'm') });
    const inMemory = await gmnWithEditor(editor).run(input);
    expect(fromDir.steps).toBe(0);
    expect(netBytes(fromDir.model)).toEqual(netBytes(inMemory.model));
    expect(netBytes(fromDir.model)).not.toEqual(netBytes(net));
    // scale 0 is the identity.
    const none = await gmnWithEditor(editor).run(input, { scale: 0 });
    expect(netBytes(none.model)).toEqual(netBytes(net));
    [net, fromDir.model, inMemory.model, none.model].forEach(disposeNet);
    editor.dispose();
  });
});
