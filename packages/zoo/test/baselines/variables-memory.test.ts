import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, tf } from '@metanet/tensor';
import { architecture, paramInfos } from '@metanet/spec';
import { disposeMlp, mlpFromArrays } from '../../src/baselines/mlp-regressor';
import { StatReadout } from '../../src/predict/gmn-readout';
import { StatnnReadout } from '../../src/predict/gmn-statnn-readout';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

describe('predictor weights own exactly their variables', () => {
  it('a loaded MLP regressor, a GMN readout and the hybrid readout leave no initial tensor behind', () => {
    const before = tf.memory().numTensors;
    const readout = new StatReadout(3, 4, 0);
    expect(tf.memory().numTensors - before).toBe(4);
    tf.dispose([readout.w1, readout.b1, readout.w2, readout.b2]);
    expect(tf.memory().numTensors).toBe(before);
    const spec = architecture('mlp:2-3-1');
    const model = mlpFromArrays(spec, paramInfos(spec).map((p) => new Float32Array(p.shape.reduce((a, b) => a * b, 1))), new Float32Array(2), new Float32Array(2).fill(1));
    expect(model.params).toHaveLength(4);
    expect(tf.memory().numTensors - before).toBe(model.params.length);
    // The hybrid's readout copies StatNN's weights and adds its embedding matrix: exactly one variable each.
    const hybrid = StatnnReadout.fromStatnn(model, 3);
    expect(hybrid.variables).toHaveLength(model.params.length + 1);
    expect(tf.memory().numTensors - before).toBe(2 * model.params.length + 1);
    tf.dispose(hybrid.variables);
    disposeMlp(model);
    expect(tf.memory().numTensors).toBe(before);
  });
});
