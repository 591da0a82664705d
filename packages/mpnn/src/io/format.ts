/**
 * Saved GMN layout, the same bundle style as nets: `manifest.json` (format, version,
 * config, tensor table, weights checksum, meta) + `weights.bin` (little-endian
 * float32, tensors back to back in the table's order).
 */
import type { GMNConfig } from '../config';

export const GMN_FORMAT = 'metanet.gmn';
export const GMN_VERSION = 1;
export const GMN_MANIFEST_FILE = 'manifest.json';
export const GMN_WEIGHTS_FILE = 'weights.bin';
/** A GMN manifest holds a config and a table of a few hundred entries; anything larger is not one. */
export const MAX_GMN_MANIFEST_BYTES = 4 << 20;

export interface GMNTensorEntry {
  name: string;
  dtype: 'float32';
  shape: number[];
  /** Byte offset into weights.bin. */
  offset: number;
  /** Byte length (4 × elements). */
  length: number;
}

export interface GMNManifest {
  format: typeof GMN_FORMAT;
  version: typeof GMN_VERSION;
  config: GMNConfig;
  tensors: GMNTensorEntry[];
  weights: { file: typeof GMN_WEIGHTS_FILE; byteLength: number; sha256: string };
  meta: Record<string, unknown>;
}
