import { describe, expect, it } from 'vitest';
import { InvalidOptionError } from '../src/errors.js';
import { formatMetricsTable } from '../src/table.js';

const rows = [
  { method: 'retrain', UA: 100, RA: 99.5, MIA: 1 },
  { method: 'FT', UA: 70.123, RA: 98, MIA: NaN, note: 'a|b' },
];

describe('formatMetricsTable', () => {
  it('renders markdown with right-aligned numbers, — for missing and n/a for NaN', () => {
    expect(formatMetricsTable(rows)).toBe(
      [
        '| method  |     UA |    RA |  MIA | note |',
        '| ------- | -----: | ----: | ---: | ---- |',
        '| retrain | 100.00 | 99.50 | 1.00 | —    |',
        '| FT      |  70.12 | 98.00 |  n/a | a\\|b |',
      ].join('\n'),
    );
  });

  it('renders plain text with chosen columns and digits', () => {
    expect(formatMetricsTable(rows, { format: 'plain', columns: ['UA'], digits: 1 })).toBe(['method      UA', 'retrain  100.0', 'FT        70.1'].join('\n'));
  });

  it('rejects bad options', () => {
    expect(() => formatMetricsTable(rows, { digits: -1 })).toThrow(InvalidOptionError);
  });
});
