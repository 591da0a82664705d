import type { Command } from 'commander';
import { CliUsageError } from '../errors';
import { emit, table } from '../output';
import { loadSource, positiveInt, sourceOptions, type GraphSourceOptions } from './graph';

interface GmnPlanOptions extends GraphSourceOptions {
  graphs?: string;
  hidden?: string;
  globalHidden?: string;
  layers?: string;
  mlpLayers?: string;
  aggregation?: string;
  direction?: string;
  layerNorm?: string;
  dropout?: string;
  graphOutputs?: string;
  edgeOutputs?: string;
  json?: boolean;
}

type Plan = 'one-step' | 'graph-chunks' | 'edge-chunks' | 'too-big';

const gb = (b: number): string => `${(b / 1e9).toFixed(2)} GB`;
const count = (n: number): string => n.toLocaleString('en-US');

function rate(value: string | undefined): number {
  if (value === undefined) return 0;
  const r = Number(value);
  if (!(r >= 0 && r < 1)) throw new CliUsageError(`--dropout must be a rate in [0, 1), got ${JSON.stringify(value)}`);
  return r;
}

/** `metanet gmn plan`: how a GMN would train on a net's graph within the heap. */
export function register(program: Command): void {
  const gmn = program.command('gmn').description('Graph Metanetworks on parameter graphs');
  sourceOptions(
    gmn
      .command('plan')
      .description('measure a GMN config\'s training memory and say how a batch of a net\'s graphs fits the heap (one step, graph chunks or edge chunks)'),
  )
    .option('--graphs <k>', 'graphs of this net per batch', '1')
    .option('--hidden <h>', 'GMN hidden width', '32')
    .option('--global-hidden <h>', 'GMN global width', '32')
    .option('--layers <l>', 'MetaLayers', '4')
    .option('--mlp-layers <m>', 'linear layers per update MLP', '2')
    .option('--aggregation <how>', 'sum, mean or max', 'sum')
    .option('--direction <which>', 'messages over incoming edges (forward), outgoing (backward) or both', 'forward')
    .option('--layer-norm <where>', 'none, node-global or all', 'node-global')
    .option('--dropout <rate>', 'dropout rate', '0')
    .option('--graph-outputs <n>', 'graph-level outputs', '1')
    .option('--edge-outputs <n>', 'values per edge of the edge-level output', '1')
    .option('--json', 'machine-readable output')
    .action(async (opts: GmnPlanOptions) => {
      const graphs = positiveInt(opts.graphs, '--graphs', 1);
      const { spec, params, source } = await loadSource(opts);
      // tfjs and the models load only for this command.
      const [{ initBackend, backendInfo, tf }, { toParameterGraph }, mpnn] = await Promise.all([
        import('@metanet/tensor'),
        import('@metanet/graph'),
        import('@metanet/mpnn'),
      ]);
      const config = mpnn.resolveConfig({
        hidden: positiveInt(opts.hidden, '--hidden', 32),
        globalHidden: positiveInt(opts.globalHidden, '--global-hidden', 32),
        layers: positiveInt(opts.layers, '--layers', 4),
        mlpLayers: positiveInt(opts.mlpLayers, '--mlp-layers', 2),
        aggregation: opts.aggregation as never,
        direction: opts.direction as never,
        layerNorm: opts.layerNorm as never,
        dropout: rate(opts.dropout),
        graphOutputs: Number(opts.graphOutputs ?? 1),
        edgeOutputs: Number(opts.edgeOutputs ?? 1),
      });
      await initBackend();
      const g = toParameterGraph(spec, params);
      const model = new mpnn.GMN(config);
      try {
        const memory = mpnn.trainingMemory(model);
        if (memory === null) throw new CliUsageError('this tfjs engine cannot report tensor memory, so no plan can be made');
        const edges = g.numEdges * graphs;
        const nodes = g.numNodes * graphs;
        const stepBytes = memory.bytesPerEdge * edges + memory.bytesPerNode * nodes;
        const heapLimit = mpnn.heapLimitBytes();
        const nodesPerEdge = g.numNodes / Math.max(1, g.numEdges);
        const maxEdges = mpnn.maxTrainableEdges(model, { nodesPerEdge });
        // The uploaded inputs of the whole batch stay on the device.
        const inputBytes = edges * mpnn.inputBytesPerEdge(config.features);
        let plan: Plan;
        let chunkEdges: number | null = null;
        if (maxEdges === null || edges <= maxEdges) plan = 'one-step';
        else if (g.numEdges <= maxEdges) {
          plan = 'graph-chunks';
          chunkEdges = Math.floor(maxEdges / g.numEdges) * g.numEdges;
        } else if (config.aggregation === 'max') plan = 'too-big';
        else {
          plan = 'edge-chunks';
          chunkEdges = maxEdges;
        }
        const fitsInputs = heapLimit === null || inputBytes < heapLimit - tf.memory().numBytes;
        const json = {
          source,
          name: spec.name ?? null,
          backend: backendInfo().name,
          graph: { edges: g.numEdges, nodes: g.numNodes },
          graphs,
          batch: { edges, nodes },
          config: { hidden: config.hidden, globalHidden: config.globalHidden, layers: config.layers, mlpLayers: config.mlpLayers, aggregation: config.aggregation, direction: config.direction, layerNorm: config.layerNorm, dropout: config.dropout },
          bytesPerEdge: Math.round(memory.bytesPerEdge),
          bytesPerNode: Math.round(memory.bytesPerNode),
          stepBytes: Math.round(stepBytes),
          heapLimitBytes: heapLimit,
          maxTrainableEdges: maxEdges,
          plan,
          chunkEdges,
          inputsFit: fitsInputs,
        };
        emit(opts, json, () => {
          const head = `${spec.name ?? 'net'}: ${count(g.numEdges)} edges, ${count(g.numNodes)} nodes per graph × ${graphs} = ${count(edges)} edges; GMN hidden ${config.hidden}, ${config.layers} layers, ${config.mlpLayers}-layer MLPs, ${config.aggregation}, ${config.direction} messages`;
          const rows = [
            ['training memory', `${(memory.bytesPerEdge / 1024).toFixed(1)} KiB per edge + ${(memory.bytesPerNode / 1024).toFixed(1)} KiB per node (measured on ${backendInfo().name})`],
            ['one whole-batch step', `about ${gb(stepBytes)}${heapLimit !== null ? ` of a ${gb(heapLimit)} heap` : ' (no fixed heap on this backend)'}`],
            ...(maxEdges !== null ? [['one step holds', `at most about ${count(maxEdges)} edges`]] : []),
          ];
          const advice: Record<Plan, string> = {
            'one-step': 'plan: the batch trains in one step: trainStep(model, opt, [model.graphTensors(graphs)], loss)',
            'graph-chunks': `plan: chunks of ${count(chunkEdges ?? 0)} edges (${Math.floor((chunkEdges ?? 0) / g.numEdges)} graphs each): trainStep(model, opt, model.graphChunks(graphs), loss)`,
            'edge-chunks': `plan: one graph is more than a step holds; train it in edge chunks: trainStepByEdges(model, opt, graph, loss, { maxEdgesPerChunk: ${chunkEdges} })`,
            'too-big': "plan: one graph is more than a step holds, and max aggregation cannot be split into edge chunks; use 'sum' or 'mean', or lower --hidden or --layers",
          };
          return [head, table(rows), advice[plan], ...(fitsInputs ? [] : [`warning: the batch's inputs alone (${gb(inputBytes)}) do not fit the heap; use fewer graphs`])].join('\n');
        });
      } finally {
        model.dispose();
      }
    });
}
