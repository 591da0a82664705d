import { z } from 'zod';
import { encodeRunResult, parseSettings, type EncodedRunResult, type ZooSettings } from '@metanet/zoo';
import runTask from '@metanet/zoo/worker';
import type { UnitKind } from '../unit';

function validSettings(v: unknown): boolean {
  try {
    parseSettings(v, 'a queued zoo run');
    return true;
  } catch {
    return false;
  }
}

/** One training run of a zoo (every checkpoint of it), as `metanet zoo build --queue` enqueues it. */
export const zooRunPayload = z.strictObject({
  settings: z.custom<ZooSettings>(validSettings, { message: 'not the settings of a metanet zoo (zoo.json)' }),
  run: z.number().int().min(0),
});

/**
 * The same function the local pool runs (@metanet/zoo's worker: data loaded once per thread), so a queued zoo equals
 * a local one byte for byte. The worker reads the dataset from its own machine (auto-detect or METANET_DATA_DIR).
 */
export const zooRun: UnitKind<z.infer<typeof zooRunPayload>, EncodedRunResult> = {
  kind: 'zoo-run',
  payload: zooRunPayload,
  async run(p) {
    return encodeRunResult(await runTask({ settings: p.settings, run: p.run }));
  },
};
