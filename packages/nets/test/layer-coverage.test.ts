import { LAYER_TYPES } from '@metanet/spec';
import { describe, expect, it } from 'vitest';
import { LAYER_FORWARDS } from '../src/forward/layers/index';
import { KERAS_CLASSES, KERAS_IMPORTERS } from '../src/import/keras/index';

describe('every layer type of @metanet/spec has its handlers in nets', () => {
  it('forward: one handler per layer type, none for a type spec does not know', () => {
    const missing = LAYER_TYPES.filter((t) => typeof LAYER_FORWARDS[t] !== 'function');
    expect(missing, `add src/forward/layers/<type>.ts and list it in src/forward/layers/index.ts for: ${missing.join(', ')}`).toEqual([]);
    expect(Object.keys(LAYER_FORWARDS).sort()).toEqual([...LAYER_TYPES].sort());
  });

  it('Keras import: importers are keyed by known layer types and claim each Keras class once', () => {
    for (const t of Object.keys(KERAS_IMPORTERS)) expect(LAYER_TYPES).toContain(t);
    const classes = Object.values(KERAS_IMPORTERS).flatMap((imp) => imp.classes);
    expect(new Set(classes).size).toBe(classes.length);
    expect([...KERAS_CLASSES.keys()]).toEqual(classes);
  });
});
