import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli';

const plan = (args: string[]) => {
  const r = runCli(['gmn', 'plan', ...args, '--json']);
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
};

describe('metanet gmn plan', () => {
  it('says W2 (4 homework-cnn graphs) trains in one step, with the measured memory', () => {
    const p = plan(['--arch', 'homework-cnn', '--graphs', '4']);
    expect(p.graph).toEqual({ edges: 58_474, nodes: 214 });
    expect(p.batch.edges).toBe(4 * 58_474);
    expect(p.plan).toBe('one-step');
    // The counted peak of this step is 1.89 GB (peakBytesDuring; 2.06 GB before the first layers' per-edge
    // products were computed inside the gather pass); the estimate is within 2% of it.
    expect(p.stepBytes).toBeGreaterThan(1.85e9);
    expect(p.stepBytes).toBeLessThan(1.95e9);
    expect(p.heapLimitBytes).toBe(4294901760);
    expect(p.maxTrainableEdges).toBeGreaterThan(p.batch.edges);
  });

  it('splits a bigger batch into whole graphs, and a graph too big for a step into edge chunks', () => {
    const many = plan(['--arch', 'homework-cnn', '--graphs', '16']);
    expect(many.plan).toBe('graph-chunks');
    expect(many.chunkEdges % 58_474).toBe(0);
    expect(many.chunkEdges).toBeLessThanOrEqual(many.maxTrainableEdges);
    expect(many.chunkEdges).toBeGreaterThan(0);
    const big = plan(['--arch', 'mlp:784-512-256-10']);
    expect(big.graph.edges).toBeGreaterThan(big.maxTrainableEdges);
    expect(big.plan).toBe('edge-chunks');
    expect(big.chunkEdges).toBe(big.maxTrainableEdges);
    // Twice the width needs about twice the memory per edge.
    const wide = plan(['--arch', 'mlp:784-512-256-10', '--hidden', '64']);
    expect(wide.bytesPerEdge / big.bytesPerEdge).toBeGreaterThan(1.8);
    expect(wide.bytesPerEdge / big.bytesPerEdge).toBeLessThan(2.2);
    expect(plan(['--arch', 'mlp:784-512-256-10', '--aggregation', 'max']).plan).toBe('too-big');
  });

  it("plans messages in both directions: one more message MLP per layer costs more per edge", () => {
    const forward = plan(['--arch', 'homework-cnn', '--graphs', '4']);
    const both = plan(['--arch', 'homework-cnn', '--graphs', '4', '--direction', 'both']);
    expect(forward.config.direction).toBe('forward');
    expect(both.config.direction).toBe('both');
    expect(both.bytesPerEdge).toBeGreaterThan(1.05 * forward.bytesPerEdge);
    expect(both.maxTrainableEdges).toBeLessThan(forward.maxTrainableEdges);
    const r = runCli(['gmn', 'plan', '--arch', 'small-cnn', '--direction', 'both']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/sum, both messages/);
  });

  it('prints the plan for people', () => {
    const r = runCli(['gmn', 'plan', '--arch', 'homework-cnn', '--graphs', '16']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/training memory\s+[\d.]+ KiB per edge/);
    expect(r.stdout).toMatch(/plan: chunks of [\d,]+ edges \(\d+ graphs each\): trainStep\(model, opt, model\.graphChunks\(graphs\), loss\)/);
  });

  it.each([
    [['--arch', 'nope'], /unknown architecture "nope"/],
    [['--arch', 'small-cnn', '--aggregation', 'avg'], /aggregation=avg; use one of sum, mean, max/],
    [['--arch', 'small-cnn', '--graphs', '0'], /--graphs must be a positive integer/],
    [['--arch', 'small-cnn', '--direction', 'sideways'], /direction=sideways; use one of forward, backward, both/],
    [['--arch', 'small-cnn', '--dropout', '2'], /--dropout must be a rate in \[0, 1\)/],
    [[], /give exactly one of --arch NAME or --net DIR/],
  ])('bad input %j exits 2 with one line', (args, message) => {
    const r = runCli(['gmn', 'plan', ...args]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});
