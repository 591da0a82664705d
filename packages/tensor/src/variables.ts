/**
 * `variableFrom`: a variable that takes over its initial value.
 *
 * `tf.variable(x)` keeps its own reference to x's data, so x stays a live tensor until
 * someone disposes it; written inline, `tf.variable(tf.zeros(…))` leaks that tensor for
 * the life of the program. Every package that makes weights goes through this instead.
 */
import * as tf from '@tensorflow/tfjs-core';

/** A variable holding `initial`'s values; `initial` is disposed (do not use it afterwards). */
export function variableFrom(initial: tf.Tensor, trainable = true, name?: string): tf.Variable {
  const v = tf.variable(initial, trainable, name);
  initial.dispose();
  return v;
}
