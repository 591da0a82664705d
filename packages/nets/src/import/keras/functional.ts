/**
 * Keras functional models (class 'Model' / 'Functional') as the chain the
 * spec is: walked from the one input to the one output, each layer feeding
 * the next, except where a tensor forks into a ResNet BasicBlock (see
 * residual.ts), which becomes one synthetic 'ResidualBlock' entry holding its
 * layers' configs. Any other branching has no spec counterpart.
 */
import { UnsupportedLayerError } from '@metanet/spec';
import type { Obj } from './context';

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The class name of the synthetic entry a matched residual block becomes. */
export const RESIDUAL_BLOCK = 'ResidualBlock';

/** Names of the layers feeding `layer` (tfjs / Keras 2 nested arrays, or Keras 3 keras_history). */
function inboundOf(layer: Obj, bad: (m: string) => never): string[] {
  const nodes = layer.inbound_nodes;
  if (!Array.isArray(nodes) || nodes.length === 0) return [];
  if (nodes.length > 1) throw new UnsupportedLayerError(`tf.LayersModel layer ${String(layer.name)} is called ${nodes.length} times (a shared layer); a NetSpec uses each layer once`);
  const node = nodes[0] as unknown;
  if (Array.isArray(node)) return node.map((t) => (Array.isArray(t) && typeof t[0] === 'string' ? t[0] : bad(`layer ${String(layer.name)} has a malformed inbound node`)));
  const args = isObj(node) && Array.isArray(node.args) ? (node.args as unknown[]).flat() : bad(`layer ${String(layer.name)} has a malformed inbound node`);
  return args.map((a) => {
    const h = isObj(a) && isObj(a.config) ? a.config.keras_history : undefined;
    return Array.isArray(h) && typeof h[0] === 'string' ? h[0] : bad(`layer ${String(layer.name)} has a malformed inbound tensor`);
  });
}

const isRelu = (l: Obj | undefined): boolean => !!l && (l.class_name === 'ReLU' || (l.class_name === 'Activation' && (l.config as Obj).activation === 'relu'));
const linear = (l: Obj): boolean => ((l.config as Obj).activation ?? 'linear') === 'linear';

/** Walks the functional config into the layer list importLayersModel reads. */
export function functionalLayers(cfg: Obj, bad: (m: string) => never): Obj[] {
  const layers = Array.isArray(cfg.layers) ? (cfg.layers as unknown[]) : bad('functional config needs a "layers" array');
  const byName = new Map<string, Obj>();
  const users = new Map<string, Obj[]>();
  for (const l of layers) {
    if (!isObj(l) || typeof l.name !== 'string' || !isObj(l.config)) return bad('each functional layer needs "name", "class_name" and "config"');
    byName.set(l.name, l);
  }
  for (const l of byName.values()) for (const from of inboundOf(l, bad)) users.set(from, [...(users.get(from) ?? []), l]);
  const ends = (key: string): string[] => (Array.isArray(cfg[key]) ? (cfg[key] as unknown[]).map((e) => (Array.isArray(e) && typeof e[0] === 'string' ? e[0] : bad(`malformed ${key}`))) : bad(`functional config needs "${key}"`));
  const inputs = ends('input_layers');
  const outputs = ends('output_layers');
  if (inputs.length !== 1) throw new UnsupportedLayerError(`tf.LayersModel has ${inputs.length} inputs (${inputs.join(', ')}); a NetSpec has one input, so merge them into one tensor before importing`);
  if (outputs.length !== 1) throw new UnsupportedLayerError(`tf.LayersModel has ${outputs.length} outputs; a NetSpec has one output`);
  const sole = (name: string): Obj | undefined => {
    const u = users.get(name) ?? [];
    return u.length === 1 ? u[0] : undefined;
  };
  /** Conv2D then an optional BatchNormalization: the names, and the layer their output leaves from. */
  const convBn = (conv: Obj | undefined): { conv: Obj; bn?: Obj; out: Obj } | null => {
    if (conv?.class_name !== 'Conv2D' || !linear(conv)) return null;
    const next = sole(conv.name as string);
    return next?.class_name === 'BatchNormalization' ? { conv, bn: next, out: next } : { conv, out: conv };
  };
  const block = (at: string, first: Obj): Obj | null => {
    const c1 = convBn(first);
    const relu = c1 ? sole(c1.out.name as string) : undefined;
    const c2 = isRelu(relu) ? convBn(sole((relu as Obj).name as string)) : null;
    const add = c2 && sole(c2.out.name as string);
    if (!c1 || !c2 || add?.class_name !== 'Add') return null;
    const into = inboundOf(add, bad);
    const short = into.find((n) => n !== c2.out.name);
    const other = (users.get(at) ?? []).filter((u) => u !== first);
    if (into.length !== 2 || other.length !== 1) return null;
    const down = short === at ? null : convBn(other[0]);
    if (short !== at && (!down || down.out.name !== short)) return null;
    if (short === at && other[0] !== add) return null;
    const out = sole(add.name as string);
    if (!isRelu(out)) return null;
    const parts = { conv1: c1.conv, bn1: c1.bn, conv2: c2.conv, bn2: c2.bn, ...(down ? { down: down.conv, downBn: down.bn } : {}) };
    return { class_name: RESIDUAL_BLOCK, config: { name: (add.name as string), ...parts }, last: (out as Obj).name };
  };
  const order: Obj[] = [byName.get(inputs[0] as string) ?? bad(`input layer ${inputs[0]} is not in the config`)];
  let at = inputs[0] as string;
  for (let steps = 0; at !== outputs[0]; steps++) {
    if (steps > byName.size) bad('the functional graph has a cycle');
    const u = users.get(at) ?? [];
    if (u.length === 1) {
      order.push(u[0] as Obj);
      at = (u[0] as Obj).name as string;
      continue;
    }
    if (u.length === 0) bad(`layer ${at} feeds nothing and is not the output`);
    const matched = u.map((f) => block(at, f)).find((b) => b !== null);
    if (!matched) throw new UnsupportedLayerError(`tf.LayersModel layer ${at} feeds ${u.length} layers (${u.map((x) => x.class_name).join(', ')}), a branching a NetSpec expresses only as a ResNet BasicBlock (Conv2D, BatchNormalization, ReLU, Conv2D, BatchNormalization, Add, ReLU)`);
    order.push(matched);
    at = matched.last as string;
  }
  return order;
}
