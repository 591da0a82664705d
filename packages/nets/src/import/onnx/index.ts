/**
 * ONNX import, one importer per op kind, found by the op it reads, and the
 * multi-node patterns tried where a tensor feeds several nodes. Ops missing
 * here have no counterpart in the spec's layer types.
 */
import { onnxActivation } from './activation';
import { onnxAttention } from './attention';
import { onnxBatchnorm } from './batchnorm';
import type { OnnxImporter, OnnxPattern } from './context';
import { onnxConv } from './conv';
import { onnxFlatten } from './flatten';
import { onnxGeluErf } from './gelu';
import { onnxGemm } from './gemm';
import { onnxGlobalavgpool } from './globalavgpool';
import { onnxLayernorm } from './layernorm';
import { onnxMatmul } from './matmul';
import { onnxPassthrough } from './passthrough';
import { onnxPool } from './pool';
import { onnxResidual } from './residual';
import { onnxSoftmax } from './softmax';

export const ONNX_IMPORTERS: readonly OnnxImporter[] = [onnxConv, onnxBatchnorm, onnxLayernorm, onnxActivation, onnxPool, onnxGlobalavgpool, onnxFlatten, onnxGemm, onnxMatmul, onnxPassthrough, onnxSoftmax];

export const ONNX_PATTERNS: readonly OnnxPattern[] = [onnxResidual, onnxGeluErf, onnxAttention];

/** ONNX op type → its importer. */
export const ONNX_OPS: ReadonlyMap<string, OnnxImporter> = new Map(ONNX_IMPORTERS.flatMap((imp) => imp.ops.map((op) => [op, imp] as const)));
