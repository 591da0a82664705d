import { existsSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { z } from 'zod';
import type { BenchSettings } from '../../bench/settings';
import type { Json } from '../../bench/units';
import runBenchTask from '../../bench/worker';
import type { UnitKind } from '../unit';

const jsonObject = z.record(z.string(), z.json());

/** One `metanet bench` unit (a trained original, a gold retrain, one method × request × seed). */
export const benchUnitPayload = z.strictObject({
  unit: z.strictObject({ id: z.string().min(1).max(300), kind: z.string().min(1).max(100), params: jsonObject }),
  settings: jsonObject,
  /** The run's --out, as an absolute path: units share trained nets through out/nets/. */
  out: z.string().refine(isAbsolute, { message: 'must be an absolute path' }),
});

/**
 * Runs a bench unit with the same executor the local pool uses. Bench units hand trained nets to later units
 * through `out/nets/`, so a worker must see the run's --out at the same path: one machine, or a shared mount.
 */
export const benchUnit: UnitKind<z.infer<typeof benchUnitPayload>, Json> = {
  kind: 'bench-unit',
  payload: benchUnitPayload,
  async run(p) {
    if (!existsSync(p.out)) {
      throw new Error(`the bench output ${p.out} is not visible on this worker; run bench workers where --out is on a shared filesystem at the same path`);
    }
    return runBenchTask({ unit: p.unit, settings: p.settings as unknown as BenchSettings, out: p.out });
  },
};
