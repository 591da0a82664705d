/**
 * Short request strings for the CLI and scripts:
 * `class:0`, `class:0,3`, `random:0.1`, `random:500` (a size), `subpop:3:0.5`,
 * `trigger:0.05:0` (fraction, target; a 3×3 patch of `value` at the bottom right),
 * `task:group` (forget a head of a multi-head net).
 */
import { InvalidRequestError } from '../errors';
import type { ForgetRequest } from './types';

const num = (s: string | undefined, what: string): number => {
  const v = Number(s);
  if (s === undefined || s.trim() === '' || !Number.isFinite(v)) throw new InvalidRequestError(`${what} '${s ?? ''}' is not a number; e.g. class:0, random:0.1, subpop:3:0.5, trigger:0.05:0`);
  return v;
};

/** Parses a request string; `patchValue` is the trigger's pixel value (default 2.5, bright in standardised units). */
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
    default:
      throw new InvalidRequestError(`unknown request '${s}'; use class:C[,C…], random:P, subpop:C:P, trigger:P:T or task:HEAD`);
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
  }
}
