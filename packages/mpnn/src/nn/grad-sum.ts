import { tf } from '@metanet/tensor';

/** acc + g, either may be null; the operands are disposed when a sum replaces them. */
export function addInto(acc: tf.Tensor | null, g: tf.Tensor | null): tf.Tensor | null {
  if (g === null) return acc;
  if (acc === null) return g;
  const s = tf.add(acc, g);
  acc.dispose();
  g.dispose();
  return s;
}

/** sums[name] += g, taking ownership of g (gradients accumulated over chunks). */
export function addGradient(sums: Map<string, tf.Tensor>, name: string, g: tf.Tensor): void {
  sums.set(name, addInto(sums.get(name) ?? null, g)!);
}
