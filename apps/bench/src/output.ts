/** Human output by default, one JSON document with --json. */
export interface OutputOptions {
  json?: boolean;
}

export function emit(opts: OutputOptions, json: unknown, human: () => string): void {
  if (opts.json) {
    process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
  } else {
    process.stdout.write(`${human().replace(/\n?$/, '\n')}`);
  }
}

/** Right-pads a table of strings into aligned columns. */
export function table(rows: string[][]): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) => row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ').trimEnd()).join('\n');
}
