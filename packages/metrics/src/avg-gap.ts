import { NonFiniteInputError } from './errors.js';

/** The four numbers Avg Gap compares, all in percent (multiply a [0, 1] MIA by 100). */
export interface GapMetrics {
  readonly UA: number;
  readonly RA: number;
  readonly TA: number;
  readonly MIA: number;
}

/** Per-metric |method − retrain| and their mean. */
export interface AvgGapResult {
  readonly avgGap: number;
  readonly gaps: GapMetrics;
}

/**
 * Avg Gap (SalUn, Fan et al. 2024): the mean absolute difference to Retrain
 * over UA, RA, TA and MIA-efficacy. Lower is better; Retrain itself scores 0.
 * All four inputs must be on one scale, percent in the SalUn tables.
 */
export function avgGap(method: GapMetrics, retrain: GapMetrics): AvgGapResult {
  const keys = ['UA', 'RA', 'TA', 'MIA'] as const;
  for (const k of keys) {
    if (!Number.isFinite(method[k]) || !Number.isFinite(retrain[k])) {
      throw new NonFiniteInputError(`avgGap: ${k} is ${method[k]} for the method and ${retrain[k]} for retrain; every metric must be a finite percentage`);
    }
  }
  const gaps = {
    UA: Math.abs(method.UA - retrain.UA),
    RA: Math.abs(method.RA - retrain.RA),
    TA: Math.abs(method.TA - retrain.TA),
    MIA: Math.abs(method.MIA - retrain.MIA),
  };
  return { avgGap: (gaps.UA + gaps.RA + gaps.TA + gaps.MIA) / 4, gaps };
}
