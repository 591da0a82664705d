/**
 * Saved GMN layout: nets' bundle format (`manifest.json` + `weights.bin`, the
 * one save format of metanet) with the GMN config under `config`, tag
 * 'metanet.gmn', version 1.
 */
import { MANIFEST_FILE, WEIGHTS_FILE, type BundleKind, type BundleManifest, type TensorEntry } from '@metanet/nets';
import type { GMNConfig } from '../config';

/** The `format` tag of a saved GMN's manifest. */
export const GMN_FORMAT = 'metanet.gmn';
/** The version of the saved-GMN format this code reads and writes. */
export const GMN_VERSION = 1;
/** The manifest's file name in a saved GMN's directory. */
export const GMN_MANIFEST_FILE = MANIFEST_FILE;
/** The weights' file name in a saved GMN's directory. */
export const GMN_WEIGHTS_FILE = WEIGHTS_FILE;
/** A GMN manifest holds a config and a table of a few hundred entries; anything larger is not one. */
export const MAX_GMN_MANIFEST_BYTES = 4 << 20;

export const GMN_BUNDLE: BundleKind = { format: GMN_FORMAT, version: GMN_VERSION, body: 'config', what: 'GMN', saver: 'saveGMN', maxManifestBytes: MAX_GMN_MANIFEST_BYTES };

/** One row of a saved GMN's tensor table. */
export type GMNTensorEntry = TensorEntry;

/** A saved GMN's manifest: the bundle manifest with the GMN's config. */
export type GMNManifest = BundleManifest & { format: typeof GMN_FORMAT; version: typeof GMN_VERSION; config: GMNConfig };
