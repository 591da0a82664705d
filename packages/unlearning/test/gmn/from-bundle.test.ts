// editorFromBundle: an editor from its bundle's bytes (what a page fetches) is the editor loadEditor reads from
// the directory, bit for bit, and a bad bundle fails with the same typed error.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { architecture } from '@metanet/spec';
import { initBackend } from '@metanet/tensor';
import { applyEditor, createEditor } from '../../src/gmn/editor';
import { architectureFamily } from '../../src/gmn/family';
import { editorFromBundle, loadEditor, saveEditor } from '../../src/gmn/io';
import { loadShippedEditor, shippedEditorDir } from '../../src/gmn/shipped';
import { InvalidEditorFileError } from '../../src/gmn/errors';
import { disposeNet, initNet, netBytes, tinySmallCnn } from './helpers';

let dir: string;

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
  dir = mkdtempSync(join(tmpdir(), 'gmn-editor-bytes-'));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const filesOf = (d: string): { text: string; bytes: Uint8Array } => ({
  text: readFileSync(join(d, 'manifest.json'), 'utf8'),
  bytes: new Uint8Array(readFileSync(join(d, 'weights.bin'))),
});

describe('editorFromBundle', () => {
  it('reads a saved editor from its files\' bytes: the same config, info and edit, bit for bit, as loadEditor', async () => {
    const net = initNet(tinySmallCnn(6), 2);
    const editor = createEditor({ seed: 5, zeroInit: false, hidden: 16, layers: 2 });
    editor.info = { family: architectureFamily(net.spec), requestKinds: ['class'], steps: 3, scale: 0.5 };
    saveEditor(join(dir, 'e'), editor);
    const fromDir = loadEditor(join(dir, 'e'));
    const { text, bytes } = filesOf(join(dir, 'e'));
    const fromBytes = await editorFromBundle(text, bytes.slice().buffer);
    expect(fromBytes.config).toEqual(fromDir.config);
    expect(fromBytes.info).toEqual(fromDir.info);
    const a = applyEditor(fromDir, net, [1]);
    const b = applyEditor(fromBytes, net, [1]);
    expect(netBytes(a)).not.toEqual(netBytes(net));
    expect(netBytes(b)).toEqual(netBytes(a));
    [net, a, b].forEach(disposeNet);
    [editor, fromDir, fromBytes].forEach((e) => e.dispose());
  });

  it('reads the shipped editor the same way (its calibrated scale included)', async () => {
    const net = initNet(architecture('small-cnn', { inChannels: 1, inputSize: 12, classes: 10, width: 8 }), 4);
    const shipped = loadShippedEditor();
    const { text, bytes } = filesOf(shippedEditorDir());
    const fetched = await editorFromBundle(text, bytes, 'https://example.org/editors/small-cnn-fashion-mnist');
    expect(fetched.info).toEqual(shipped.info);
    expect(fetched.info.scale).toBe(0.7);
    const a = applyEditor(shipped, net, [3]);
    const b = applyEditor(fetched, net, [3]);
    expect(netBytes(a)).not.toEqual(netBytes(net));
    expect(netBytes(b)).toEqual(netBytes(a));
    [net, a, b].forEach(disposeNet);
    [shipped, fetched].forEach((e) => e.dispose());
  });

  it('refuses corrupt bytes and a table that does not fit, with loadEditor\'s InvalidEditorFileError', async () => {
    const editor = createEditor({ hidden: 8, layers: 1 });
    editor.info = { family: architectureFamily(tinySmallCnn(8)), requestKinds: ['class'], steps: 1 };
    saveEditor(join(dir, 'bad'), editor);
    const { text, bytes } = filesOf(join(dir, 'bad'));
    const flipped = bytes.slice();
    flipped[10] = ((flipped[10] as number) + 1) % 256;
    await expect(editorFromBundle(text, flipped, 'fetched')).rejects.toThrow(InvalidEditorFileError);
    await expect(editorFromBundle(text, flipped, 'fetched')).rejects.toThrow(/^fetched: weights.bin does not match the sha256/);
    await expect(editorFromBundle(text, bytes.subarray(0, 64))).rejects.toThrow(InvalidEditorFileError);
    await expect(editorFromBundle('not json', bytes)).rejects.toThrow(InvalidEditorFileError);

    const m = JSON.parse(text);
    const wider = JSON.stringify({ ...m, editor: { ...m.editor, config: { ...m.editor.config, hidden: 9 } } });
    await expect(editorFromBundle(wider, bytes)).rejects.toThrow(InvalidEditorFileError);
    await expect(editorFromBundle(wider, bytes)).rejects.toThrow(/does not fit the editor's config/);
    const otherKind = JSON.stringify({ ...m, editor: { ...m.editor, info: { ...m.editor.info, requestKinds: ['subset'] } } });
    await expect(editorFromBundle(otherKind, bytes)).rejects.toThrow(/requestKinds/);
    editor.dispose();
  });
});
