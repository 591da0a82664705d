// One graph-network message-passing step (edge MLP, sum aggregation, node MLP),
// forward + backward + Adam, as the benchmark and PyTorch reference define it:
//   edge MLP on [x_dst, x_src, e] -> D -> D, agg = Σ_{edges into v} e',
//   node MLP on [x, agg] -> D -> D, loss = mean(x'^2) + mean(e'^2).
// The first edge layer uses the node-projection trick: [x_dst, x_src, e]·W1 =
// gather(x·W1_dst, dst) + gather(x·W1_src, src) + e·W1_e, so only N rows are
// projected per node part and E-row gathers carry D columns, never 3D.

export function makeGnStep(api, { N, E, D, seed = 1 }) {
  const { tf, gatherRows, segmentSum, createRng, randomNormal } = api;
  const rng = createRng(seed);
  const ints = (n, hi) => tf.tensor1d(Int32Array.from({ length: n }, () => rng.int(hi)), 'int32');
  const x = randomNormal([N, D], rng);
  const e = randomNormal([E, D], rng);
  const src = ints(E, N);
  const dst = ints(E, N);
  const glorot = (fanIn, fanOut) => tf.variable(randomNormal([fanIn, fanOut], rng, 0, Math.sqrt(2 / (fanIn + fanOut))));
  const p = {
    w1dst: glorot(D, D), w1src: glorot(D, D), w1e: glorot(D, D), b1: tf.variable(tf.zeros([D])),
    w2: glorot(D, D), b2: tf.variable(tf.zeros([D])),
    v1x: glorot(D, D), v1agg: glorot(D, D), c1: tf.variable(tf.zeros([D])),
    v2: glorot(D, D), c2: tf.variable(tf.zeros([D])),
  };
  const opt = tf.train.adam(1e-3);
  const loss = () => {
    const h1 = tf.relu(
      tf.add(
        tf.add(gatherRows(tf.matMul(x, p.w1dst), dst), gatherRows(tf.matMul(x, p.w1src), src)),
        tf.add(tf.matMul(e, p.w1e), p.b1),
      ),
    );
    const eNew = tf.add(tf.matMul(h1, p.w2), p.b2);
    const agg = segmentSum(eNew, dst, N);
    const h2 = tf.relu(tf.add(tf.add(tf.matMul(x, p.v1x), tf.matMul(agg, p.v1agg)), p.c1));
    const xNew = tf.add(tf.matMul(h2, p.v2), p.c2);
    return tf.add(tf.mean(tf.square(xNew)), tf.mean(tf.square(eNew)));
  };
  const step = () => {
    const l = opt.minimize(loss, true);
    const v = l.dataSync()[0];
    l.dispose();
    return v;
  };
  const dispose = () => {
    for (const t of [x, e, src, dst, ...Object.values(p)]) t.dispose();
    opt.dispose();
  };
  return { step, dispose };
}
