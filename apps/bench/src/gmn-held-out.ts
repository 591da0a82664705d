/**
 * Held-out nets for the GMN editor's protocol, shared by `metanet gmn-unlearn eval` and the
 * bench's gmn-unlearning section: generated nets keep their recipe (so gold retrains by it),
 * and nets are grouped as unseen seeds/hyperparameters or unseen widths.
 */
import type { Dataset } from '@metanet/data';
import type { EditorZooRecipe, HeldOutNet, TrainedNet } from '@metanet/unlearning';
import { CliUsageError } from './errors';

/** Group names of the protocol's summary. */
export const UNSEEN_SEEDS = 'unseen seeds';
export const UNSEEN_WIDTHS = 'unseen widths';

/** Parses `A-B` (or `A`) into an inclusive width range. */
export function widthRange(value: string, flag: string): [number, number] {
  const m = /^(\d+)(?:-(\d+))?$/.exec(value.trim());
  const lo = m ? Number(m[1]) : NaN;
  const hi = m ? Number(m[2] ?? m[1]) : NaN;
  if (!(lo >= 1 && hi >= lo)) throw new CliUsageError(`${flag} must be a width range A-B with 1 ≤ A ≤ B, got "${value}"`);
  return [lo, hi];
}

/** A generated net as a held-out net: gold retrains by its recipe (SGD with the zoo's momentum 0.9). */
export function heldOutFromRecipe(id: string, group: string, net: TrainedNet, r: EditorZooRecipe): HeldOutNet {
  return { id, group, net, recipe: { epochs: r.epochs, lr: r.lr, optimizer: r.optimizer, batchSize: 64, momentum: r.optimizer === 'sgd' ? 0.9 : 0, seed: r.seed } };
}

/** Trains `count` held-out nets of widths `widths` from `seed` (recipes unseen when the seed differs from training's). */
export async function generateHeldOut(
  dataset: Dataset,
  o: { count: number; seed: number; epochs: number; widths: [number, number]; group: string; prefix: string; onNet?: (i: number, total: number) => void },
): Promise<HeldOutNet[]> {
  if (o.count === 0) return [];
  const { generateEditorZoo } = await import('@metanet/unlearning');
  const nets = await generateEditorZoo({ dataset, count: o.count, seed: o.seed, epochs: o.epochs, widths: o.widths, onNet: (i, t) => o.onNet?.(i, t) });
  return nets.map((n, i) => heldOutFromRecipe(`${o.prefix}${i}-w${n.recipe.width}`, o.group, n.net, n.recipe));
}
