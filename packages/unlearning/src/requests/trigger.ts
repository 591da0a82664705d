/**
 * Stamping a trigger patch into images (the backdoor of a trigger request).
 */
import { tf } from '@metanet/tensor';
import { InvalidRequestError } from '../errors';
import type { TriggerPatch } from './types';

/** Top-left pixel of the patch in an H×W image; throws when it does not fit. */
export function patchOrigin(patch: TriggerPatch, h: number, w: number): { row: number; col: number } {
  const s = patch.size;
  if (!Number.isInteger(s) || s < 1 || s > Math.min(h, w)) throw new InvalidRequestError(`patch size ${s} does not fit ${h}×${w} images; use an integer in [1, ${Math.min(h, w)}]`);
  if (!Number.isFinite(patch.value)) throw new InvalidRequestError(`patch value ${patch.value} is not finite; use e.g. the dataset's largest pixel value`);
  const p = patch.position;
  const at =
    p === 'top-left' ? { row: 0, col: 0 }
    : p === 'top-right' ? { row: 0, col: w - s }
    : p === 'bottom-left' ? { row: h - s, col: 0 }
    : p === 'bottom-right' ? { row: h - s, col: w - s }
    : p;
  if (!Number.isInteger(at.row) || !Number.isInteger(at.col) || at.row < 0 || at.col < 0 || at.row + s > h || at.col + s > w) {
    throw new InvalidRequestError(`patch at (${at.row}, ${at.col}) of size ${s} leaves the ${h}×${w} image; move it inside`);
  }
  return at;
}

/** The patch's pixel mask of an H×W×C image, row-major (1 on the patch, 0 elsewhere). */
export function patchMask(patch: TriggerPatch, h: number, w: number, c: number): Float32Array {
  const { row, col } = patchOrigin(patch, h, w);
  const mask = new Float32Array(h * w * c);
  for (let i = row; i < row + patch.size; i++) for (let j = col; j < col + patch.size; j++) for (let k = 0; k < c; k++) mask[(i * w + j) * c + k] = 1;
  return mask;
}

/** `images` (N, H, W, C) with the patch written into every channel; a new tensor. */
export function stampPatch(images: tf.Tensor4D, patch: TriggerPatch): tf.Tensor4D {
  const [, h, w, c] = images.shape;
  const mask = patchMask(patch, h, w, c);
  return tf.tidy(() => {
    const m = tf.tensor3d(mask, [h, w, c]);
    return tf.add(tf.mul(images, tf.sub(1, m)), tf.mul(m, patch.value)) as tf.Tensor4D;
  });
}

/** `images` with the patch stamped on the rows in `rows` only (the others unchanged); a new tensor. */
export function stampRows(images: tf.Tensor4D, rows: Int32Array, patch: TriggerPatch): tf.Tensor4D {
  const n = images.shape[0];
  const flag = new Float32Array(n);
  for (const i of rows) flag[i] = 1;
  return tf.tidy(() => {
    const stamped = stampPatch(images, patch);
    const f = tf.tensor4d(flag, [n, 1, 1, 1]);
    return tf.add(tf.mul(stamped, f), tf.mul(images, tf.sub(1, f))) as tf.Tensor4D;
  });
}
