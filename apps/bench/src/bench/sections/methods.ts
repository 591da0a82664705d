/**
 * Every method × request kind (class, random, sub-population, trigger, feature, concept, task) on small-cnn, mean ± std
 * over --seeds: each seed trains its own original, draws its own request split and seeds the method. The task row
 * forgets the group head of small-cnn-mt (heads label and group) with the methods `unlearnTask` adapts.
 */
import { protocolSection } from './protocol';

export const methods = protocolSection({
  name: 'methods',
  title: 'Every method × request kind (small-cnn)',
  arch: 'small-cnn',
  requests: ['class:0', 'random:0.1', 'subpop:0:0.5', 'trigger:0.05:0', 'feature:watermark:3:0.6', 'concept:footwear', 'task:group'],
  taskArch: 'small-cnn-mt',
  seeds: (s) => s.seeds,
  sizes: (s) => ({ ...s.sizes.methods, relearnSteps: 0 }),
  plots: ['forget-utility', 'score-runtime'],
});
