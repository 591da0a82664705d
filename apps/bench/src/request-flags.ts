/**
 * The forget request of a command line: `--request` in the one grammar of
 * @metanet/unlearning's `parseRequest`, or the older `--forget-class` and
 * `--forget-fraction`, which stay as aliases. `concept:@FILE` reads its index
 * file here, so the request the library sees carries its indices.
 */
import { readFileSync } from 'node:fs';
import { conceptFromJson, parseRequest, REQUEST_GRAMMAR, type ForgetRequest } from '@metanet/unlearning';
import { CliUsageError } from './errors';

/** The request flags a command accepts. */
export interface RequestFlags {
  request?: string;
  forgetClass?: string;
  forgetFraction?: string;
}

/** The request of one `--request` string, with a concept's index file read. */
export function requestFromString(raw: string): ForgetRequest {
  const r = parseRequest(raw);
  if (r.kind === 'concept' && r.file !== undefined && r.indices === undefined) {
    let text: string;
    try {
      text = readFileSync(r.file, 'utf8');
    } catch {
      throw new CliUsageError(`concept index file ${r.file} cannot be read; pass concept:@PATH to a JSON array of training indices`);
    }
    return conceptFromJson(text, r.file);
  }
  return r;
}

/** The one request of `--request`, `--forget-class` or `--forget-fraction`; exactly one must be given. */
export function requestFromFlags(opts: RequestFlags): ForgetRequest {
  const given = [opts.request, opts.forgetClass, opts.forgetFraction].filter((v) => v !== undefined).length;
  if (given !== 1) throw new CliUsageError(`pass exactly one of --request ${REQUEST_GRAMMAR}, --forget-class C[,C…] or --forget-fraction P`);
  if (opts.request !== undefined) return requestFromString(opts.request);
  if (opts.forgetClass !== undefined) {
    const classes = opts.forgetClass.split(',').map((c) => {
      const v = Number(c);
      if (c.trim() === '' || !Number.isInteger(v)) throw new CliUsageError(`--forget-class takes integers separated by commas, got "${opts.forgetClass}"`);
      return v;
    });
    return { kind: 'class', classes };
  }
  const p = Number(opts.forgetFraction);
  if (!(p > 0 && p < 1)) throw new CliUsageError(`--forget-fraction must be a number in (0, 1), got "${opts.forgetFraction}"`);
  return { kind: 'random', fraction: p };
}

/** Request kinds whose original must be trained on the request's altered training set (`train.full`). */
export const ALTERS_TRAINING = new Set<ForgetRequest['kind']>(['trigger', 'feature']);
