// Probe: run forward+backward of every op family the nets and GN blocks use on one
// backend, and list the ones that fail (e.g. a kernel not registered on wasm).
const { tf, initBackend, gatherRows, segmentSum, segmentMean, segmentMax } = await import('../dist/index.js');
const backend = process.argv[2] ?? 'wasm';
await initBackend({ backend });
const x4 = tf.randomNormal([2, 8, 8, 3]);
const x2 = tf.randomNormal([6, 5]);
const ids = tf.tensor1d([0, 2, 2, 1, 0, 3], 'int32');
const cases = {
  conv_same: (x) => tf.conv2d(x, tf.ones([3, 3, 3, 4]), 1, 'same'),
  conv_s2_valid: (x) => tf.conv2d(x, tf.ones([3, 3, 3, 4]), 2, 'valid'),
  conv_pad1: (x) => tf.conv2d(tf.pad(x, [[0, 0], [1, 1], [1, 1], [0, 0]]), tf.ones([3, 3, 3, 4]), 1, 'valid'),
  conv_filter_grad: (x) => tf.conv2d(tf.ones([2, 8, 8, 3]), tf.reshape(tf.slice(tf.reshape(x, [-1]), 0, 108), [3, 3, 3, 4]), 2, 'same'),
  maxpool: (x) => tf.maxPool(x, 2, 2, 'valid'),
  avgpool: (x) => tf.avgPool(x, 2, 2, 'valid'),
  avgpool_s1: (x) => tf.avgPool(x, 3, 1, 'same'),
  globalavg: (x) => tf.mean(x, [1, 2]),
  batchnorm: (x) => { const { mean, variance } = tf.moments(x, [0, 1, 2]); return tf.batchNorm(x, mean, variance, tf.zeros([3]), tf.ones([3]), 1e-5); },
  layernorm: (x) => { const { mean, variance } = tf.moments(x, [-1], true); return tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, 1e-5))); },
  relu: (x) => tf.relu(x), tanh: (x) => tf.tanh(x), sigmoid: (x) => tf.sigmoid(x), leaky: (x) => tf.leakyRelu(x, 0.01),
  gelu: (x) => tf.mul(tf.mul(x, 0.5), tf.add(1, tf.erf(tf.div(x, Math.SQRT2)))),
  elu: (x) => tf.elu(x), selu: (x) => tf.selu(x), softplus: (x) => tf.softplus(x),
  transpose_nchw: (x) => tf.transpose(x, [0, 3, 1, 2]),
  dropout: (x) => tf.dropout(x, 0.3),
  dense: (x) => tf.matMul(tf.reshape(x, [2, -1]), tf.ones([192, 4])),
  softmax_ce: (x) => tf.losses.softmaxCrossEntropy(tf.oneHot(tf.tensor1d([1, 0], 'int32'), 4), tf.matMul(tf.reshape(x, [2, -1]), tf.ones([192, 4]))),
  log_softmax: (x) => tf.logSoftmax(tf.reshape(x, [2, -1])),
  attention: (x) => { const s = tf.reshape(x, [2, 64, 3]); const a = tf.softmax(tf.matMul(s, s, false, true)); return tf.matMul(a, s); },
  concat_slice: (x) => tf.concat([x, tf.slice(x, [0, 0, 0, 0], [2, 8, 8, 1])], 3),
  abs_sign_clip: (x) => tf.add(tf.abs(x), tf.clipByValue(x, -0.5, 0.5)),
  kl_logs: (x) => tf.sum(tf.mul(tf.softmax(tf.reshape(x, [2, -1])), tf.logSoftmax(tf.reshape(x, [2, -1])))),
  square_norm: (x) => tf.norm(x),
  max_reduce: (x) => tf.max(x, [1, 2]),
};
// Cases over a 2-D input (message passing).
const cases2 = {
  gather_rows: (v) => gatherRows(v, ids),
  segment_sum: (v) => segmentSum(v, ids, 4),
  segment_mean: (v) => segmentMean(v, ids, 4),
  segment_max: (v) => segmentMax(v, ids, 4),
  tf_gather_axis1: (v) => tf.gather(v, tf.tensor1d([4, 0], 'int32'), 1),
  sin_cos: (v) => tf.add(tf.sin(v), tf.cos(v)),
  matmul_tA: (v) => tf.matMul(v, v, true, false),
  matmul_tB: (v) => tf.matMul(v, v, false, true),
};
const failed = {};
for (const [input, table] of [[x4, cases], [x2, cases2]]) {
  for (const [name, f] of Object.entries(table)) {
    try {
      tf.grad((v) => tf.sum(f(v)))(input).dataSync();
    } catch (e) {
      failed[name] = String(e.message).split('\n')[0];
    }
  }
}
// Adam over variables.
try {
  const v = tf.variable(tf.ones([3, 3]));
  tf.train.adam(0.01).minimize(() => tf.sum(tf.square(v)));
} catch (e) { failed.adam = e.message; }
console.log(JSON.stringify({ backend, failed }, null, 1));
