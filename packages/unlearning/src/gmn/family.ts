/**
 * The architecture family an editor serves: the sequence of layer types and the
 * number of classes, without widths. One editor reads every width of small-cnn
 * (the parameter graph has no fixed size), but a layer sequence it never saw puts
 * edges in (layer, type) positions its encoder never met, so it refuses those.
 */
import { outputShape, type NetSpec } from '@metanet/spec';

/** `small-cnn` at any width on 10 classes → 'conv2d-activation-…-dense/10'. */
export function architectureFamily(spec: NetSpec): string {
  const out = outputShape(spec);
  return `${spec.layers.map((l) => l.type).join('-')}/${out[out.length - 1] ?? 0}`;
}
