/**
 * Editors that ship inside the package (`editors/<name>/`, a saved editor bundle each), so
 * `applyEditor` works without training one first. Each manifest's `meta.command` is the command that
 * reproduces it from a seed; the package README says what it was measured at.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { GMNEditor } from './editor';
import { MissingEditorError } from './errors';
import { loadEditor } from './io';

/** The editors shipped with the package. */
export const SHIPPED_EDITORS = ['small-cnn-fashion-mnist'] as const;
/** Name of a shipped editor. */
export type ShippedEditorName = (typeof SHIPPED_EDITORS)[number];

/**
 * Directory of a shipped editor. Found by walking up from this module (src/gmn/ in the sources,
 * dist/ once built) to the package root that holds `editors/`.
 */
export function shippedEditorDir(name: ShippedEditorName = 'small-cnn-fashion-mnist'): string {
  if (!(SHIPPED_EDITORS as readonly string[]).includes(name)) {
    throw new MissingEditorError(`no shipped editor "${name}"; shipped: ${SHIPPED_EDITORS.join(', ')}`);
  }
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let up = 0; up < 4; up++) {
    const candidate = join(dir, 'editors', name);
    if (existsSync(join(candidate, 'manifest.json'))) return candidate;
    dir = dirname(dir);
  }
  throw new MissingEditorError(`the shipped editor "${name}" is missing from this install of @metanet/unlearning; reinstall the package, or train one with \`metanet gmn-unlearn train\``);
}

/** Loads a shipped editor (the caller disposes it). */
export function loadShippedEditor(name: ShippedEditorName = 'small-cnn-fashion-mnist'): GMNEditor {
  return loadEditor(shippedEditorDir(name));
}
