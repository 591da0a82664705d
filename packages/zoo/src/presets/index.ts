/** The preset registry: one line per preset. */
import { UnknownPresetError } from '../errors';
import { diverse } from './diverse';
import { smallCnn } from './small-cnn';
import { tiny } from './tiny';
import type { ZooPreset } from './types';

export type { RunPlan, ZooPreset } from './types';
export { smallCnnSpec } from './small-cnn';

const PRESETS: readonly ZooPreset[] = [smallCnn, diverse, tiny];

/** Names of the known presets. */
export function listPresets(): string[] {
  return PRESETS.map((p) => p.name);
}

/** The preset called `name`; throws UnknownPresetError naming the known ones. */
export function presetByName(name: string): ZooPreset {
  const p = PRESETS.find((x) => x.name === name);
  if (!p) throw new UnknownPresetError(`unknown zoo preset ${JSON.stringify(name)}; use one of ${listPresets().join(', ')}`);
  return p;
}
