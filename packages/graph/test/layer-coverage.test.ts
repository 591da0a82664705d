import { LAYER_TYPES } from '@metanet/spec';
import { describe, expect, it } from 'vitest';
import { SUPPORTED_LAYERS } from '../src/index';
import { LAYER_PLANNERS } from '../src/plan/planners';

describe('every layer type of @metanet/spec has a graph planner', () => {
  it('one planner per layer type, none for a type spec does not know', () => {
    const missing = LAYER_TYPES.filter((t) => typeof LAYER_PLANNERS[t] !== 'function');
    expect(missing, `add src/plan/<type>.ts and list it in src/plan/planners.ts for: ${missing.join(', ')}`).toEqual([]);
    expect([...SUPPORTED_LAYERS].sort()).toEqual([...LAYER_TYPES].sort());
  });
});
