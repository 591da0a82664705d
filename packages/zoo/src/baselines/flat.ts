/**
 * The flat-weights baseline: every parameter of the net, concatenated in parameter order, into an
 * MLP. It has no notion of the weight-space symmetries, which is what the GMN is measured against.
 * Only for a zoo of one architecture: the inputs must line up, so any other net is refused with
 * MixedArchitectureError.
 */
import { paramInfos } from '@metanet/spec';
import { MixedArchitectureError } from '../predict/errors';
import type { ZooEntry } from '../predict/types';
import { stackRows, vectorMethod, type Featurizer } from './vector-method';

/**
 * The parameter names and shapes of a net, as one comparable string. Only the layout matters to a flat vector:
 * nets that differ in activation or dropout rate (as every small-cnn zoo's do) still line up weight for weight.
 */
export function paramLayout(entry: ZooEntry): string {
  return paramInfos(entry.net.spec).map((p) => `${p.name}:${p.shape.join('x')}`).join(',');
}

function checkLayout(entries: readonly ZooEntry[], layout: string): void {
  const other = entries.find((e) => paramLayout(e) !== layout);
  if (other) {
    throw new MixedArchitectureError(
      `net ${other.record.id} (${other.record.arch}) has another architecture than the training nets; the flat method needs a single-architecture zoo (use statnn or gmn)`,
    );
  }
}

/** The flat-weights featurizer of nets with parameter layout `layout` (`paramLayout`): one column per weight. */
export function flatFeaturizer(layout: string): Featurizer {
  // One column per weight: the product of each `name:AxBxC` entry's dimensions (a scalar's empty shape is 1).
  const cols = layout.split(',').reduce((n, item) => {
    const dims = item.slice(item.lastIndexOf(':') + 1);
    return n + (dims === '' ? 1 : dims.split('x').reduce((a, d) => a * Number(d), 1));
  }, 0);
  return {
    state: { layout },
    features(entries) {
      checkLayout(entries, layout);
      return stackRows(
        entries.map((e) => {
          const row = new Float32Array(cols);
          let at = 0;
          for (const p of e.net.params) {
            row.set(p, at);
            at += p.length;
          }
          return row;
        }),
        cols,
      );
    },
  };
}

/** Flat weights → MLP (512, 512), z-scored inputs. */
export const flat = vectorMethod({
  name: 'flat',
  description: 'all weights flattened → MLP (512, 512); single-architecture zoos only',
  defaults: { hidden: [512, 512], epochs: 50, batchSize: 32, lr: 1e-3, standardize: true },
  fitFeaturizer(train) {
    const layout = paramLayout(train[0]!);
    checkLayout(train, layout);
    return this.restoreFeaturizer({ layout });
  },
  restoreFeaturizer(state) {
    return flatFeaturizer(String(state.layout));
  },
});
