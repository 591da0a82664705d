/** The entry map { name: 'src/x.ts' } of the package in `dir`, folders expanded. */
export function entriesOf(dir: string): Record<string, string>;
/** tsup's `entry` option for the package built from the current directory. */
export function tsupEntries(dir?: string): Record<string, string>;
