/** The explorer's architecture menu: spec's named architectures plus an attention block (spec has no named one). */
import { architecture, listArchitectures } from '@metanet/spec';

const named = listArchitectures().filter((a) => !a.startsWith('mlp:'));
const attentionBlock = {
  version: 1,
  name: 'attention-block',
  input: [8, 16],
  layers: [{ type: 'layernorm' }, { type: 'attention', heads: 2 }, { type: 'flatten' }, { type: 'dense', units: 10 }],
};

/** id (a folder under public/nets), menu label, spec. homework-cnn first: it is the page's default. */
export const EXPLORER_NETS = [
  ...named.map((a) => ({ id: a, label: `${a} (1 channel)`, spec: architecture(a) })),
  { id: 'mlp', label: 'mlp:784-64-32-10', spec: architecture('mlp:784-64-32-10') },
  { id: 'attention-block', label: 'attention block (8×16, 2 heads)', spec: attentionBlock },
];
