import { createRng, tf, variableFrom, type Rng } from '@metanet/tensor';

/** Stands in for every variable of a dry store; never read. */
const DRY_VARIABLE = Object.freeze({}) as unknown as tf.Variable;

/** How a parameter is initialised. */
export type Init = 'glorot' | 'zeros' | 'ones';

/**
 * The trainable variables of a model, by stable name ('layers.0.edge.lin1.source', ...).
 * Names are the model's own: tfjs variable names are global and must stay unique, so
 * they are left to tfjs. Initialisation draws from one seeded generator in creation
 * order, so the same config and seed give bit-identical weights on every backend.
 */
export class ParamStore {
  private readonly vars = new Map<string, tf.Variable>();
  private readonly shapes = new Map<string, number[]>();
  private readonly rng: Rng;

  /**
   * @param dry record names and shapes only, allocating nothing (a loader uses it to
   *   check a file's tensor table against a config before trusting the config).
   */
  constructor(
    seed: number,
    readonly dry = false,
  ) {
    this.rng = createRng(seed);
  }

  /** Creates a variable. Glorot-uniform uses fanIn/fanOut of a (in × out) matrix, or `fan` when given. */
  add(name: string, shape: number[], init: Init, fan?: { fanIn: number; fanOut: number }): tf.Variable {
    if (this.shapes.has(name)) throw new Error(`duplicate parameter name ${name}`);
    this.shapes.set(name, [...shape]);
    if (this.dry) return DRY_VARIABLE;
    const size = shape.reduce((a, b) => a * b, 1);
    const values = new Float32Array(size);
    if (init === 'ones') values.fill(1);
    else if (init === 'glorot') {
      const fanIn = fan?.fanIn ?? shape[0] ?? 1;
      const fanOut = fan?.fanOut ?? shape[1] ?? 1;
      const limit = Math.sqrt(6 / (fanIn + fanOut));
      for (let i = 0; i < size; i++) values[i] = (2 * this.rng.uniform() - 1) * limit;
    }
    const v = variableFrom(tf.tensor(values, shape, 'float32'));
    this.vars.set(name, v);
    return v;
  }

  /** The variable called `name`; throws when there is none. */
  get(name: string): tf.Variable {
    const v = this.vars.get(name);
    if (v === undefined) throw new Error(`no parameter named ${name}`);
    return v;
  }

  /** The variables' names, in creation order. */
  names(): string[] {
    return [...this.shapes.keys()];
  }

  /** Name → shape, in creation order (available in dry mode too). */
  shapeTable(): Map<string, number[]> {
    return new Map([...this.shapes].map(([k, v]) => [k, [...v]]));
  }

  /** The variables, in creation order. */
  variables(): tf.Variable[] {
    return [...this.vars.values()];
  }

  /** Derives an independent generator (for dropout seeds). */
  nextSeed(): number {
    return this.rng.next();
  }

  /** Frees every variable. */
  dispose(): void {
    for (const v of this.vars.values()) v.dispose();
    this.vars.clear();
    this.shapes.clear();
  }
}
