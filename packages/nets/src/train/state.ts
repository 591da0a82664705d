/** The training loop's state and its exact (de)serialisation into checkpoints. */
import { tf } from '@metanet/tensor';
import { bufferInfos, paramInfos, type NetSpec } from '@metanet/spec';
import type { NamedArray } from '../io/bundle';
import { CheckpointError } from '../errors';
import type { CheckpointData, LoadedCheckpoint } from './checkpoint';
import { slotNames, type OptimizerConfig, type OptimizerState } from './optimizer';
import type { EpochMetrics } from './options';
import type { PlateauState } from './schedule';

export interface BestSoFar {
  epoch: number;
  valAccuracy: number;
  params: tf.Tensor[];
  buffers: tf.Tensor[];
}

export interface LoopState {
  params: tf.Tensor[];
  buffers: tf.Tensor[];
  opt: OptimizerState;
  lr: number;
  plateau: PlateauState;
  early: PlateauState;
  best: BestSoFar | null;
  history: EpochMetrics[];
  stopped: boolean;
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o).sort().filter((k) => o[k] !== undefined).map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

const host = (name: string, t: tf.Tensor): NamedArray => ({ name, shape: [...t.shape], data: Float32Array.from(t.dataSync()) });

export function checkpointTensors(s: LoopState, spec: NetSpec, fingerprint: Record<string, unknown>): CheckpointData {
  const pn = paramInfos(spec).map((p) => p.name);
  const bn = bufferInfos(spec).map((b) => b.name);
  const tensors: NamedArray[] = [
    ...s.params.map((t, k) => host(pn[k] as string, t)),
    ...s.buffers.map((t, k) => host(bn[k] as string, t)),
  ];
  const slots = slotNames(s.opt.kind, (fingerprint.momentum as number) ?? 0);
  s.opt.slots.forEach((ss, k) => ss.forEach((t, j) => tensors.push(host(`optimizer.${slots[j]}.${pn[k]}`, t))));
  if (s.best) {
    s.best.params.forEach((t, k) => tensors.push(host(`best.${pn[k]}`, t)));
    s.best.buffers.forEach((t, k) => tensors.push(host(`best.${bn[k]}`, t)));
  }
  return {
    spec,
    tensors,
    state: {
      fingerprint,
      lr: s.lr,
      optimizerStep: s.opt.step,
      plateau: s.plateau,
      early: s.early,
      best: s.best ? { epoch: s.best.epoch, valAccuracy: s.best.valAccuracy } : null,
      history: s.history,
      stopped: s.stopped,
    },
  };
}

/** Rebuilds the loop state from a checkpoint made with the same configuration. */
export function restoreLoop(ck: LoadedCheckpoint, spec: NetSpec, fingerprint: Record<string, unknown>, cfg: OptimizerConfig): LoopState {
  const st = ck.state;
  const saved = (st.fingerprint ?? {}) as Record<string, unknown>;
  for (const key of Object.keys(fingerprint)) {
    if (canonical(saved[key]) !== canonical(fingerprint[key])) {
      throw new CheckpointError(`the checkpoint was made with a different ${key}; rerun with the same options or use a fresh output directory`);
    }
  }
  const history = st.history as EpochMetrics[];
  if (!Array.isArray(history) || history.length !== ck.epoch || typeof st.lr !== 'number' || typeof st.optimizerStep !== 'number') {
    throw new CheckpointError('the checkpoint state is inconsistent; delete the checkpoint directory to start over');
  }
  const get = (name: string): tf.Tensor => {
    const t = ck.tensors.get(name);
    if (!t) throw new CheckpointError(`the checkpoint lacks tensor ${name}; delete the checkpoint directory to start over`);
    return tf.tensor(t.data, t.shape, 'float32');
  };
  const pn = paramInfos(spec).map((p) => p.name);
  const bn = bufferInfos(spec).map((b) => b.name);
  const slots = slotNames(cfg.kind, cfg.momentum ?? 0);
  // Before the first SGD-momentum step the slot is unused; the loop treats step 0 specially.
  const bestMeta = st.best as { epoch: number; valAccuracy: number } | null;
  return {
    params: pn.map(get),
    buffers: bn.map(get),
    opt: { kind: cfg.kind, step: st.optimizerStep, slots: pn.map((name) => slots.map((slot) => get(`optimizer.${slot}.${name}`))) },
    lr: st.lr,
    plateau: st.plateau as PlateauState,
    early: st.early as PlateauState,
    best: bestMeta
      ? { epoch: bestMeta.epoch, valAccuracy: bestMeta.valAccuracy, params: pn.map((n) => get(`best.${n}`)), buffers: bn.map((n) => get(`best.${n}`)) }
      : null,
    history,
    stopped: st.stopped === true,
  };
}
