/**
 * The course protocol on homework-cnn: the original, gold and every registered method, for
 * class 0 and a 10% random subset, with relearn time. Seed 0 only, as the course reports it.
 */
import { protocolSection } from './protocol';

export const homework = protocolSection({
  name: 'homework',
  title: 'Homework protocol (homework-cnn)',
  arch: 'homework-cnn',
  requests: ['class:0', 'random:0.1'],
  seeds: () => 1,
  sizes: (s) => s.sizes.homework,
  plots: ['forget-utility', 'mia'],
});
