import { UnknownArchitectureError } from './errors';
import type { ActivationFn, Layer } from './layers/index';
import { namedHeads, type HeadSpec } from './heads';
import type { NetSpec } from './types';
import { validateSpec } from './validate';

/** Options of `architecture`: input channels and size, classes, width, activation, dropout. */
export interface ArchitectureOptions {
  /** Input channels (1 for Fashion-MNIST, 3 for CIFAR-10). Default 1. */
  inChannels?: number;
  /** Input height = width. Default 28 (32 for CIFAR-10). */
  inputSize?: number;
  /** Number of classes. Default 10. */
  classes?: number;
  /** Width c of `small-cnn` / base width of `resnet-mini`. Default 16. */
  width?: number;
  /** Hidden activation of `small-cnn` and MLPs. Default 'relu'. */
  activation?: ActivationFn;
  /** Dropout rate of `homework-cnn`. Default 0.1. */
  dropout?: number;
  /**
   * Heads of a multi-head net, by name (`label`, `group`: see `namedHeads`) or
   * in full. The last dense layer gets their units in all. Default: one head
   * (`small-cnn-mt`: `label`, `group`).
   */
  heads?: readonly (string | HeadSpec)[];
}

type Resolved = Required<Omit<ArchitectureOptions, 'heads'>>;

interface Builder {
  description: string;
  build(o: Resolved): Omit<NetSpec, 'name'>;
  /** Heads used when the options give none. */
  heads?: readonly string[];
}

const conv3 = (filters: number, stride = 1): Layer => ({ type: 'conv2d', filters, kernel: 3, stride, padding: 1 });

const BUILDERS: Record<string, Builder> = {
  'homework-cnn': {
    description: '3× conv3×3-BN-ReLU (32, 64, 64) with avg pools, GAP, Linear 64→32→classes, dropout 0.1',
    build: (o) => {
      const drop: Layer = { type: 'dropout', rate: o.dropout };
      const block = (f: number): Layer[] => [conv3(f), { type: 'batchnorm' }, { type: 'activation', fn: 'relu' }];
      return {
        input: [o.inputSize, o.inputSize, o.inChannels],
        layers: [
          ...block(32), { type: 'avgpool', size: 2 }, drop,
          ...block(64), { type: 'avgpool', size: 2 }, drop,
          ...block(64), { type: 'globalavgpool' }, { type: 'flatten' }, drop,
          { type: 'dense', units: 32 }, { type: 'activation', fn: 'relu' }, drop,
          { type: 'dense', units: o.classes },
        ],
      };
    },
  },
  'small-cnn': {
    description: 'Small CNN Zoo: 3× conv3×3 stride 2 of width c, GAP, dense classes',
    build: (o) => {
      const act: Layer = { type: 'activation', fn: o.activation };
      return {
        input: [o.inputSize, o.inputSize, o.inChannels],
        layers: [conv3(o.width, 2), act, conv3(o.width, 2), act, conv3(o.width, 2), act, { type: 'globalavgpool' }, { type: 'dense', units: o.classes }],
      };
    },
  },
  'small-cnn-mt': {
    description: 'small-cnn with two heads on the shared trunk: label (10-way) and group (Fashion-MNIST garment group, 3-way)',
    build: (o) => (BUILDERS['small-cnn'] as Builder).build(o),
    heads: ['label', 'group'],
  },
  'resnet-mini': {
    description: 'conv3×3-BN-ReLU (c), BasicBlock c, BasicBlock 2c stride 2, GAP, dense classes',
    build: (o) => ({
      input: [o.inputSize, o.inputSize, o.inChannels],
      layers: [
        conv3(o.width), { type: 'batchnorm' }, { type: 'activation', fn: 'relu' },
        { type: 'residual', filters: o.width },
        { type: 'residual', filters: 2 * o.width, stride: 2 },
        { type: 'globalavgpool' },
        { type: 'dense', units: o.classes },
      ],
    }),
  },
};

const MLP_PATTERN = 'mlp:IN-H1-...-OUT';

function mlp(name: string, o: Resolved): Omit<NetSpec, 'name'> | undefined {
  const m = /^mlp:(\d+(?:-\d+)+)$/.exec(name);
  if (!m) return undefined;
  const sizes = (m[1] as string).split('-').map(Number);
  const layers: Layer[] = [];
  sizes.slice(1).forEach((units, k) => {
    if (k > 0) layers.push({ type: 'activation', fn: o.activation });
    layers.push({ type: 'dense', units });
  });
  return { input: [sizes[0] as number], layers };
}

/** Names accepted by `architecture`; MLPs are a pattern, e.g. `mlp:784-64-32-10`. */
export function listArchitectures(): string[] {
  return [...Object.keys(BUILDERS), MLP_PATTERN];
}

/** One-line description of each named architecture. */
export function describeArchitectures(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, b] of Object.entries(BUILDERS)) out[k] = b.description;
  out[MLP_PATTERN] = 'dense layers of the given widths with activations between; input [IN] (images are flattened by forward)';
  return out;
}

/**
 * A named architecture as a validated NetSpec.
 * `homework-cnn` has 58,474 params on 1 channel and 59,050 on 3;
 * `small-cnn` has 4,970 at width 16 on 1 channel; `mlp:784-64-32-10` has 52,650.
 */
export function architecture(name: string, opts: ArchitectureOptions = {}): NetSpec {
  const builder = BUILDERS[name];
  const headOpts = opts.heads ?? builder?.heads;
  const classes = opts.classes ?? 10;
  const heads = headOpts?.map((h) => (typeof h === 'string' ? (namedHeads([h], classes)[0] as HeadSpec) : h));
  const o: Resolved = {
    inChannels: opts.inChannels ?? 1,
    inputSize: opts.inputSize ?? 28,
    classes: heads ? heads.reduce((n, h) => n + h.units, 0) : classes,
    width: opts.width ?? 16,
    activation: opts.activation ?? 'relu',
    dropout: opts.dropout ?? 0.1,
  };
  const body = builder?.build(o) ?? mlp(name, o);
  if (!body) {
    throw new UnknownArchitectureError(`unknown architecture ${JSON.stringify(name)}; known: ${listArchitectures().join(', ')}`);
  }
  return validateSpec({ version: 1, name, ...body, ...(heads ? { heads } : {}) });
}
