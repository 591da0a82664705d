import { createRng, tf, type Rng } from '@metanet/tensor';

export type Init = 'glorot' | 'zeros' | 'ones';

/**
 * The trainable variables of a model, by stable name ('layers.0.edge.lin1.source', ...).
 * Names are the model's own: tfjs variable names are global and must stay unique, so
 * they are left to tfjs. Initialisation draws from one seeded generator in creation
 * order, so the same config and seed give bit-identical weights on every backend.
 */
export class ParamStore {
  private readonly vars = new Map<string, tf.Variable>();
  private readonly rng: Rng;

  constructor(seed: number) {
    this.rng = createRng(seed);
  }

  /** Creates a variable. Glorot-uniform uses fanIn/fanOut of a (in × out) matrix, or `fan` when given. */
  add(name: string, shape: number[], init: Init, fan?: { fanIn: number; fanOut: number }): tf.Variable {
    if (this.vars.has(name)) throw new Error(`duplicate parameter name ${name}`);
    const size = shape.reduce((a, b) => a * b, 1);
    const values = new Float32Array(size);
    if (init === 'ones') values.fill(1);
    else if (init === 'glorot') {
      const fanIn = fan?.fanIn ?? shape[0] ?? 1;
      const fanOut = fan?.fanOut ?? shape[1] ?? 1;
      const limit = Math.sqrt(6 / (fanIn + fanOut));
      for (let i = 0; i < size; i++) values[i] = (2 * this.rng.uniform() - 1) * limit;
    }
    const v = tf.variable(tf.tensor(values, shape, 'float32'), true);
    this.vars.set(name, v);
    return v;
  }

  get(name: string): tf.Variable {
    const v = this.vars.get(name);
    if (v === undefined) throw new Error(`no parameter named ${name}`);
    return v;
  }

  names(): string[] {
    return [...this.vars.keys()];
  }

  variables(): tf.Variable[] {
    return [...this.vars.values()];
  }

  /** Derives an independent generator (for dropout seeds). */
  nextSeed(): number {
    return this.rng.next();
  }

  dispose(): void {
    for (const v of this.vars.values()) v.dispose();
    this.vars.clear();
  }
}
