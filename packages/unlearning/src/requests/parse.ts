/**
 * Short request strings for the CLI and scripts, one case per kind:
 * `class:0`, `class:0,3`, `random:0.1`, `random:500` (a size), `subpop:3:0.5`,
 * `trigger:0.05:0` (fraction, target; a 3×3 patch at the bottom right),
 * `feature:watermark:3:0.6` (a 3×3 patch at the top left on 60 % of class 3;
 * `feature:patch@R,C,S:3:0.6` places an S×S patch at row R, column C),
 * `concept:footwear` (a named concept) or `concept:@indices.json` (an index
 * file the caller reads), and `task:group` (forget a head of a multi-head net).
 */
import { InvalidRequestError } from '../errors';
import type { ForgetRequest, TriggerPatch } from './types';

/** The grammar, as one line for error messages and --help. */
export const REQUEST_GRAMMAR = 'class:C[,C…] | random:P | subpop:C:P | trigger:P:T | feature:watermark:C:P | concept:NAME | concept:@FILE.json | task:HEAD';

const num = (s: string | undefined, what: string): number => {
  const v = Number(s);
  if (s === undefined || s.trim() === '' || !Number.isFinite(v)) throw new InvalidRequestError(`${what} '${s ?? ''}' is not a number; use ${REQUEST_GRAMMAR}`);
  return v;
};

/** The patch a feature name stands for: `watermark` (3×3, top left) or `patch@R,C,S`. */
function featurePatch(name: string, value: number): TriggerPatch {
  if (name === 'watermark') return { size: 3, value, position: 'top-left' };
  const m = /^patch@(\d+),(\d+),(\d+)$/.exec(name);
  if (m) return { size: Number(m[3]), value, position: { row: Number(m[1]), col: Number(m[2]) } };
  throw new InvalidRequestError(`unknown feature '${name}'; use feature:watermark:C:P or feature:patch@ROW,COL,SIZE:C:P`);
}

/** Parses a request string; `patchValue` is the trigger's and feature's pixel value (default 2.5, bright in standardised units). */
export function parseRequest(s: string, patchValue = 2.5): ForgetRequest {
  const [kind, ...rest] = s.trim().split(':');
  switch (kind) {
    case 'class':
      return { kind: 'class', classes: (rest[0] ?? '').split(',').map((c) => num(c, 'class')) };
    case 'random': {
      const v = num(rest[0], 'random fraction or size');
      return v >= 1 ? { kind: 'random', size: v } : { kind: 'random', fraction: v };
    }
    case 'subpop':
    case 'subpopulation':
      return { kind: 'subpopulation', class: num(rest[0], 'class'), fraction: num(rest[1], 'fraction') };
    case 'trigger':
      return { kind: 'trigger', fraction: num(rest[0], 'fraction'), targetClass: num(rest[1], 'target class'), patch: { size: 3, value: patchValue, position: 'bottom-right' } };
    case 'task': {
      const head = (rest[0] ?? '').trim();
      if (!head || rest.length > 1) throw new InvalidRequestError(`task request '${s}' needs one head name; e.g. task:group`);
      return { kind: 'task', head };
    }
    case 'feature': {
      const name = rest[0] ?? '';
      return { kind: 'feature', feature: name, class: num(rest[1], 'feature class'), fraction: num(rest[2], 'feature fraction'), patch: featurePatch(name, patchValue) };
    }
    case 'concept': {
      const arg = rest.join(':');
      if (arg.startsWith('@') && arg.length > 1) return { kind: 'concept', file: arg.slice(1) };
      if (/^[a-z][a-z0-9-]*$/.test(arg)) return { kind: 'concept', name: arg };
      throw new InvalidRequestError(`concept request '${s}' names no concept; use concept:NAME (e.g. concept:footwear) or concept:@FILE.json`);
    }
    default:
      throw new InvalidRequestError(`unknown request '${s}'; use ${REQUEST_GRAMMAR}`);
  }
}

/** A short label for tables and file names, e.g. 'class-0', 'random-0.1'. */
export function requestLabel(r: ForgetRequest): string {
  switch (r.kind) {
    case 'class':
      return `class-${r.classes.join('+')}`;
    case 'random':
      return r.size !== undefined ? `random-${r.size}` : `random-${r.fraction}`;
    case 'subpopulation':
      return `subpop-${r.class}-${r.fraction}`;
    case 'trigger':
      return `trigger-${r.fraction}-to-${r.targetClass}`;
    case 'task':
      return `task-${r.head}`;
    case 'feature':
      return `feature-${r.feature.replace(/[^a-z0-9]+/gi, '-')}-${r.class}-${r.fraction}`;
    case 'concept':
      return r.name !== undefined ? `concept-${r.name}` : `concept-${(r.file ?? 'indices').replace(/^.*\//, '').replace(/\.json$/, '')}`;
  }
}
