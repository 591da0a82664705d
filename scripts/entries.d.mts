import type { Options } from 'tsup';

/** The entry map { name: 'src/x.ts' } of the package in `dir`, folders expanded. */
export function entriesOf(dir: string): Record<string, string>;
/** tsup's `entry` option for the package built from the current directory. */
export function tsupEntries(dir?: string): Record<string, string>;
/** The tsup options every package builds with, its entries from the list, plus `extra`. */
export function packageTsupConfig(extra?: Options): Options;
