/**
 * Saved editor: nets' bundle format (`manifest.json` + `weights.bin`, checksummed,
 * atomic), tag 'metanet.gmn-editor' version 1. The manifest's `editor` holds the
 * editor config and what it was trained for (family, request kinds, steps); the
 * table holds the GMN's weights under their own names plus `editor.flag`.
 */
import { InvalidNetFileError, InvalidWeightsError, readBundleBytes, readBundleManifest, readBundleTensors, writeBundle, type BundleKind, type BundleManifest, type NamedArray, type ReadBundle } from '@metanet/nets';
import { GMN } from '@metanet/mpnn';
import { tf } from '@metanet/tensor';
import { DEFAULT_EDITOR_CONFIG, GMNEditor, editorGMNConfig, type EditorConfig, type EditorInfo } from './editor';
import { InvalidEditorFileError } from './errors';

/** Format tag of a saved GMN editor bundle. */
export const EDITOR_FORMAT = 'metanet.gmn-editor';
/** Version of the saved editor format this package writes and reads. */
export const EDITOR_VERSION = 1;
const FLAG = 'editor.flag';

/** The bundle kind of a saved editor. */
export const EDITOR_BUNDLE: BundleKind = { format: EDITOR_FORMAT, version: EDITOR_VERSION, body: 'editor', what: 'GMN editor', saver: 'saveEditor', maxManifestBytes: 4 << 20 };

function asEditorFileError<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof InvalidNetFileError || e instanceof InvalidWeightsError) throw new InvalidEditorFileError(e.message);
    throw e;
  }
}

/** Saves `editor` to `dir` (created if needed). */
export function saveEditor(dir: string, editor: GMNEditor, meta: Record<string, unknown> = {}): void {
  const weights = editor.model.getWeights();
  const arrays = [
    ...editor.model.weightNames().map((name) => {
      const v = weights.get(name)!;
      return { name, shape: [...v.shape], data: v.dataSync() as Float32Array };
    }),
    { name: FLAG, shape: [...editor.flag.shape], data: editor.flag.dataSync() as Float32Array },
  ];
  asEditorFileError(() => writeBundle(dir, { config: editor.config, info: editor.info }, arrays, meta, EDITOR_BUNDLE));
}

type Obj = Record<string, unknown>;
const isObj = (x: unknown): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x);

function checkBody(raw: unknown, fail: (m: string) => never): { config: EditorConfig; info: EditorInfo } {
  if (!isObj(raw) || !isObj(raw.config) || !isObj(raw.info)) return fail('manifest "editor" must hold {config, info}');
  const c = raw.config;
  for (const k of Object.keys(c)) if (!(k in DEFAULT_EDITOR_CONFIG)) fail(`editor config has an unknown field "${k.slice(0, 40)}"`);
  const int = (k: 'hidden' | 'layers' | 'seed', lo: number): number => {
    const v = c[k];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < lo) fail(`editor config ${k}=${String(v).slice(0, 20)}; expected an integer ≥ ${lo}`);
    return v as number;
  };
  if (typeof c.zeroInit !== 'boolean') fail('editor config zeroInit must be true or false');
  const config: EditorConfig = { hidden: int('hidden', 1), layers: int('layers', 0), seed: int('seed', Number.MIN_SAFE_INTEGER), zeroInit: c.zeroInit as boolean };
  const i = raw.info;
  if (i.family !== null && typeof i.family !== 'string') fail('editor info.family must be a string or null');
  if (!Array.isArray(i.requestKinds) || i.requestKinds.some((k) => k !== 'class')) fail('editor info.requestKinds must list known request kinds ("class")');
  if (typeof i.steps !== 'number' || !Number.isInteger(i.steps) || i.steps < 0) fail('editor info.steps must be an integer ≥ 0');
  if (i.scale !== undefined && !(typeof i.scale === 'number' && Number.isFinite(i.scale) && i.scale > 0)) fail('editor info.scale must be a number > 0');
  return { config, info: { family: i.family as string | null, requestKinds: [...(i.requestKinds as 'class'[])], steps: i.steps as number, ...(i.scale !== undefined && { scale: i.scale as number }) } };
}

/** Checks the manifest's editor description and table, reads the tensors, and builds the editor. */
function editorFromManifest(manifest: BundleManifest, readTensors: () => Map<string, NamedArray>, where: string): GMNEditor {
  const fail = (m: string): never => {
    throw new InvalidEditorFileError(`${where}: ${m}`);
  };
  const { body, tensors } = asEditorFileError(() => {
    const parsed = checkBody(manifest.editor, fail);
    const expected = GMN.parameterShapes(editorGMNConfig(parsed.config));
    expected.set(FLAG, [1, parsed.config.hidden]);
    if (manifest.tensors.length !== expected.size) fail(`the tensor table has ${manifest.tensors.length} entries, the config needs ${expected.size}; re-save the editor`);
    for (const t of manifest.tensors) {
      const want = expected.get(t.name);
      if (!want || want.length !== t.shape.length || want.some((d, k) => d !== t.shape[k])) fail(`tensor ${t.name.slice(0, 80)} does not fit the editor's config; re-save the editor`);
    }
    return { body: parsed, tensors: readTensors() };
  });
  const editor = new GMNEditor(body.config, body.info);
  const weights = new Map([...tensors].filter(([n]) => n !== FLAG).map(([n, t]) => [n, tf.tensor(t.data, t.shape, 'float32')]));
  try {
    editor.model.setWeights(weights);
    const flag = tensors.get(FLAG)!;
    weights.set(FLAG, tf.tensor2d(flag.data, flag.shape as [number, number]));
    editor.flag.assign(weights.get(FLAG)!);
  } finally {
    tf.dispose([...weights.values()]);
  }
  return editor;
}

/**
 * Loads a saved editor. Validates the bundle (format, version, sizes, checksum,
 * finite values), the editor's description, and that the table holds exactly the
 * weights its config needs; throws InvalidEditorFileError naming the problem.
 */
export function loadEditor(dir: string): GMNEditor {
  const manifest = asEditorFileError(() => readBundleManifest(dir, EDITOR_BUNDLE));
  return editorFromManifest(manifest, () => readBundleTensors(dir, manifest), dir);
}

/**
 * An editor from its bundle's two files' contents (`manifest.json` as text,
 * `weights.bin` as bytes), where there is no file system: a page that fetched
 * them. The same checks and the same InvalidEditorFileError as `loadEditor`,
 * with messages prefixed by `where` (a URL, say). Async because the checksum goes
 * through Web Crypto (nets' `readBundleBytes`).
 */
export async function editorFromBundle(manifestText: string, weights: ArrayBuffer | Uint8Array, where = 'the editor bundle'): Promise<GMNEditor> {
  let read: ReadBundle;
  try {
    read = await readBundleBytes(manifestText, weights, EDITOR_BUNDLE, where);
  } catch (e) {
    return asEditorFileError(() => {
      throw e;
    });
  }
  return editorFromManifest(read.manifest, () => read.tensors, where);
}
