/**
 * Shared fuzz harness for metanet readers.
 *
 * One runner (`runFuzz`) and a set of corruption generators (fast-check
 * arbitraries). A package test builds a valid file in memory, describes its
 * layout (regions, numeric header fields, magic), and lets the generators
 * corrupt it. The runner asserts the contract every reader must keep: each
 * case either succeeds with a result that passes `validate`, or throws one of
 * the allowed typed errors with a non-empty single-line message. Anything else
 * (a TypeError, a RangeError from a lying header, a hang) fails the test.
 *
 * Plain TypeScript, imported by relative path from package tests. See README.md.
 */
import * as fc from 'fast-check';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Default seed, so CI runs are reproducible. Override with env FUZZ_SEED. */
export const DEFAULT_FUZZ_SEED = 20_261_126;
/** Default number of cases per `runFuzz` call. Override with env FUZZ_RUNS. */
export const DEFAULT_FUZZ_RUNS = 200;

// Errors are matched by constructor; abstract classes are allowed too.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ErrorClass = abstract new (...args: any[]) => Error;

/** A file to hand to a reader: bytes, or a directory sitting where the file should be. */
export type FileCase =
  | { readonly label: string; readonly kind: 'bytes'; readonly bytes: Uint8Array }
  | { readonly label: string; readonly kind: 'directory' };

/** A contiguous byte range of a valid file, e.g. header, tensor table, payload. */
export interface Region {
  readonly name: string;
  readonly start: number;
  /** Exclusive. */
  readonly end: number;
}

/** A fixed-width unsigned integer field of the header (dims, lengths, offsets, dtype codes). */
export interface NumericField {
  readonly name: string;
  readonly offset: number;
  readonly size: 1 | 2 | 4 | 8;
  readonly endian: 'be' | 'le';
}

/** What the byte-level generators need to know about a valid file. */
export interface ByteLayout {
  readonly regions: readonly Region[];
  readonly fields?: readonly NumericField[];
  readonly magic?: { readonly offset: number; readonly length: number };
  /** Header end, for header byte flips. Defaults to the end of the first region. */
  readonly headerEnd?: number;
}

export interface FuzzOptions<I, R> {
  /** Shown in failures, e.g. 'idx.gz'. */
  readonly name: string;
  /** The reader under test. May be sync or async. */
  readonly reader: (input: I) => R | Promise<R>;
  readonly generate: fc.Arbitrary<I>;
  /** Error classes the reader may throw. Anything else fails the case. */
  readonly allowedErrors: readonly ErrorClass[];
  /** Throws when a successful result is garbage (wrong shape, out-of-range values...). */
  readonly validate?: (result: R, input: I) => void;
  /** Frees a successful result (e.g. disposes tensors). */
  readonly dispose?: (result: R) => void;
  /** Defaults to env FUZZ_RUNS, else 200. */
  readonly numRuns?: number;
  /** Defaults to env FUZZ_SEED, else DEFAULT_FUZZ_SEED. */
  readonly seed?: number;
  /** Per-case wall-clock bound, ms. Default 2000. */
  readonly timeoutMs?: number;
}

/** What happened across the cases; handy for reporting counts. */
export interface FuzzSummary {
  readonly name: string;
  readonly runs: number;
  readonly ok: number;
  /** Count per error class name. */
  readonly errors: Readonly<Record<string, number>>;
}

function envInt(name: string): number | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return undefined;
  const v = Number(raw);
  if (!Number.isInteger(v) || v <= 0) throw new Error(`${name} must be a positive integer, got '${raw}'`);
  return v;
}

/** Number of runs: explicit option, else env FUZZ_RUNS, else 200. */
export function fuzzRuns(explicit?: number): number {
  return envInt('FUZZ_RUNS') ?? explicit ?? DEFAULT_FUZZ_RUNS;
}

class FuzzTimeoutError extends Error {}

function withTimeout<T>(p: Promise<T>, ms: number, name: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new FuzzTimeoutError(`${name}: case exceeded ${ms} ms`)), ms);
  });
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

/**
 * Runs `numRuns` generated cases against `reader` and asserts the reader
 * contract on each (see file comment). Throws (failing the test) with the
 * shrunk counterexample when a case breaks it. A synchronous reader that spins
 * cannot be interrupted, so elapsed time is also checked after the fact.
 */
export async function runFuzz<I, R>(opts: FuzzOptions<I, R>): Promise<FuzzSummary> {
  const numRuns = envInt('FUZZ_RUNS') ?? opts.numRuns ?? DEFAULT_FUZZ_RUNS;
  const seed = envInt('FUZZ_SEED') ?? opts.seed ?? DEFAULT_FUZZ_SEED;
  const timeoutMs = opts.timeoutMs ?? 2000;
  let ok = 0;
  const errors: Record<string, number> = {};
  let counting = true;

  const details = await fc.check(
    fc.asyncProperty(opts.generate, async (input) => {
      const started = performance.now();
      let result: R;
      try {
        result = await withTimeout(Promise.resolve().then(() => opts.reader(input)), timeoutMs, opts.name);
      } catch (err) {
        const elapsed = performance.now() - started;
        if (err instanceof FuzzTimeoutError) throw err;
        if (!(err instanceof Error)) throw new Error(`${opts.name}: threw a non-Error: ${String(err)}`);
        const allowed = opts.allowedErrors.some((cls) => err instanceof cls);
        if (!allowed) {
          throw new Error(`${opts.name}: untyped error ${err.constructor.name}: ${err.message}`, { cause: err });
        }
        if (err.message.length === 0 || /[\r\n]/.test(err.message)) {
          throw new Error(`${opts.name}: ${err.constructor.name} message must be one non-empty line: ${JSON.stringify(err.message)}`);
        }
        if (elapsed > timeoutMs) throw new Error(`${opts.name}: case took ${elapsed.toFixed(0)} ms (> ${timeoutMs})`);
        if (counting) errors[err.constructor.name] = (errors[err.constructor.name] ?? 0) + 1;
        return;
      }
      try {
        const elapsed = performance.now() - started;
        if (elapsed > timeoutMs) throw new Error(`${opts.name}: case took ${elapsed.toFixed(0)} ms (> ${timeoutMs})`);
        opts.validate?.(result, input);
        if (counting) ok++;
      } finally {
        opts.dispose?.(result);
      }
    }),
    { numRuns, seed },
  );
  counting = false;
  if (details.failed) {
    const cause = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
    const example = details.counterexample?.[0] as { label?: unknown } | undefined;
    const label = example && typeof example === 'object' && 'label' in example ? String(example.label) : JSON.stringify(details.counterexample);
    throw new Error(
      `${cause}\n  case: ${label}\n  after ${details.numRuns} runs (seed ${seed}, path "${details.counterexamplePath ?? ''}"); replay with FUZZ_SEED=${seed}`,
      { cause: details.errorInstance },
    );
  }
  return { name: opts.name, runs: numRuns, ok, errors };
}

// ---------------------------------------------------------------------------
// Byte-level corruption generators
// ---------------------------------------------------------------------------

const bytesCase = (label: string, bytes: Uint8Array): FileCase => ({ label, kind: 'bytes', bytes });

/** The untouched file, so the success path is exercised too. */
export function validFile(valid: Uint8Array): fc.Arbitrary<FileCase> {
  return fc.constant(bytesCase('valid', valid));
}

/** A zero-byte file. */
export function emptyFile(): fc.Arbitrary<FileCase> {
  return fc.constant(bytesCase('empty file', new Uint8Array(0)));
}

/** A directory where the file should be. */
export function directoryInsteadOfFile(): fc.Arbitrary<FileCase> {
  return fc.constant<FileCase>({ label: 'directory instead of file', kind: 'directory' });
}

/** Truncation at a random point inside each region (header, table, payload...). */
export function truncations(valid: Uint8Array, layout: ByteLayout): fc.Arbitrary<FileCase> {
  const regions = layout.regions.filter((r) => r.end > r.start);
  return fc.oneof(
    ...regions.map((r) =>
      fc.integer({ min: r.start, max: r.end - 1 }).map((at) => bytesCase(`truncated in ${r.name} at ${at}`, valid.slice(0, at))),
    ),
  );
}

/** XOR one to four bytes of the header with random non-zero masks. */
export function headerFlips(valid: Uint8Array, layout: ByteLayout): fc.Arbitrary<FileCase> {
  const end = Math.max(1, Math.min(valid.length, layout.headerEnd ?? layout.regions[0]?.end ?? valid.length));
  const flip = fc.record({ at: fc.integer({ min: 0, max: end - 1 }), mask: fc.integer({ min: 1, max: 255 }) });
  return fc.array(flip, { minLength: 1, maxLength: 4 }).map((flips) => {
    const b = valid.slice();
    for (const { at, mask } of flips) b[at] = (b[at] ?? 0) ^ mask;
    return bytesCase(`header flips ${flips.map((f) => `${f.at}^${f.mask}`).join(',')}`, b);
  });
}

/** Random bytes in place of the magic number. */
export function wrongMagic(valid: Uint8Array, layout: ByteLayout): fc.Arbitrary<FileCase> {
  const magic = layout.magic;
  if (!magic) throw new Error('wrongMagic needs layout.magic');
  return fc
    .uint8Array({ minLength: magic.length, maxLength: magic.length })
    .filter((m) => m.some((v, i) => v !== valid[magic.offset + i]))
    .map((m) => {
      const b = valid.slice();
      b.set(m, magic.offset);
      return bytesCase(`wrong magic ${Array.from(m).join(',')}`, b);
    });
}

/**
 * Values that break size arithmetic: 0, 1, just past the real value, the
 * file size, 2^31 - 1, 2^31 (negative as int32), 2^32 - 1 (-1 as int32),
 * plus random ones.
 */
export function hostileNumbers(size: 1 | 2 | 4 | 8, current: bigint, fileSize: number): fc.Arbitrary<bigint> {
  const max = (1n << BigInt(size * 8)) - 1n;
  const specials = [0n, 1n, current + 1n, current - 1n, current * 2n, BigInt(fileSize), BigInt(fileSize) + 1n, 0x7fffffffn, 0x80000000n, 0xffffffffn, max, max >> 1n]
    .filter((v) => v >= 0n && v <= max);
  return fc.oneof(fc.constantFrom(...specials), fc.bigInt({ min: 0n, max }));
}

function readUint(b: Uint8Array, f: NumericField): bigint {
  let v = 0n;
  for (let i = 0; i < f.size; i++) {
    const byte = b[f.endian === 'be' ? f.offset + i : f.offset + f.size - 1 - i] ?? 0;
    v = (v << 8n) | BigInt(byte);
  }
  return v;
}

/** Writes `value` into field `f` of `b` (in place). */
export function writeUint(b: Uint8Array, f: NumericField, value: bigint): void {
  let v = value;
  for (let i = f.size - 1; i >= 0; i--) {
    b[f.endian === 'be' ? f.offset + i : f.offset + f.size - 1 - i] = Number(v & 0xffn);
    v >>= 8n;
  }
}

/**
 * One header field (a dim, length, offset, dtype code...) set to a hostile
 * value: past the end, overflowing, huge, negative as a signed int, zero.
 */
export function hostileFields(valid: Uint8Array, layout: ByteLayout): fc.Arbitrary<FileCase> {
  const fields = layout.fields ?? [];
  if (fields.length === 0) throw new Error('hostileFields needs layout.fields');
  return fc.oneof(
    ...fields.map((f) =>
      hostileNumbers(f.size, readUint(valid, f), valid.length)
        .filter((v) => v !== readUint(valid, f))
        .map((v) => {
          const b = valid.slice();
          writeUint(b, f, v);
          return bytesCase(`${f.name} = ${v}`, b);
        }),
    ),
  );
}

/** Extra bytes appended after a valid file. */
export function trailingGarbage(valid: Uint8Array): fc.Arbitrary<FileCase> {
  return fc
    .uint8Array({ minLength: 1, maxLength: 64 })
    .map((extra) => {
      const b = new Uint8Array(valid.length + extra.length);
      b.set(valid);
      b.set(extra, valid.length);
      return bytesCase(`${extra.length} trailing bytes`, b);
    });
}

/** Random bytes flipped anywhere in the file (payload included). */
export function anywhereFlips(valid: Uint8Array): fc.Arbitrary<FileCase> {
  if (valid.length === 0) return emptyFile();
  const flip = fc.record({ at: fc.integer({ min: 0, max: valid.length - 1 }), mask: fc.integer({ min: 1, max: 255 }) });
  return fc.array(flip, { minLength: 1, maxLength: 8 }).map((flips) => {
    const b = valid.slice();
    for (const { at, mask } of flips) b[at] = (b[at] ?? 0) ^ mask;
    return bytesCase(`flips ${flips.map((f) => `${f.at}^${f.mask}`).join(',')}`, b);
  });
}

/** Random bytes of random length: no structure at all. */
export function randomBytes(maxLength = 256): fc.Arbitrary<FileCase> {
  return fc.uint8Array({ maxLength }).map((b) => bytesCase(`random ${b.length} bytes`, b));
}

/**
 * Every byte-level corruption for a binary format, weighted so each kind gets
 * a fair share of the runs. `extra` adds format-specific generators.
 */
export function byteCorruptions(
  valid: Uint8Array,
  layout: ByteLayout,
  extra: readonly fc.Arbitrary<FileCase>[] = [],
): fc.Arbitrary<FileCase> {
  const gens: fc.Arbitrary<FileCase>[] = [
    validFile(valid),
    emptyFile(),
    directoryInsteadOfFile(),
    truncations(valid, layout),
    headerFlips(valid, layout),
    trailingGarbage(valid),
    anywhereFlips(valid),
    randomBytes(),
    ...extra,
  ];
  if (layout.magic) gens.push(wrongMagic(valid, layout));
  if (layout.fields && layout.fields.length > 0) gens.push(hostileFields(valid, layout), hostileFields(valid, layout));
  return fc.oneof(...gens);
}

// ---------------------------------------------------------------------------
// JSON corruption generators
// ---------------------------------------------------------------------------

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonPath = readonly (string | number)[];

/** Every path to a value inside `doc` (objects and arrays included), root excluded. */
export function jsonPaths(doc: Json, maxPaths = 500): JsonPath[] {
  const out: JsonPath[] = [];
  const walk = (v: Json, path: JsonPath): void => {
    if (out.length >= maxPaths) return;
    if (Array.isArray(v)) v.forEach((c, i) => { out.push([...path, i]); walk(c, [...path, i]); });
    else if (v !== null && typeof v === 'object') for (const [k, c] of Object.entries(v)) { out.push([...path, k]); walk(c, [...path, k]); }
  };
  walk(doc, []);
  return out;
}

function setAt(doc: Json, path: JsonPath, value: Json | undefined): Json {
  const copy = structuredClone(doc);
  let cur: Json = copy;
  for (let i = 0; i < path.length - 1; i++) cur = (cur as Record<string | number, Json>)[path[i] as string] as Json;
  const last = path[path.length - 1] as string | number;
  if (value === undefined) {
    if (Array.isArray(cur)) cur.splice(last as number, 1);
    else delete (cur as Record<string, Json>)[last as string];
  } else (cur as Record<string | number, Json>)[last] = value;
  return copy;
}

function getAt(doc: Json, path: JsonPath): Json {
  let cur: Json = doc;
  for (const p of path) cur = (cur as Record<string | number, Json>)[p as string] as Json;
  return cur;
}

const typeOf = (v: Json): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

/** Values of every JSON type plus awkward numbers. */
export function anyJsonValue(): fc.Arbitrary<Json> {
  return fc.oneof<fc.Arbitrary<Json>[]>(
    fc.constant(null),
    fc.boolean(),
    fc.constantFrom(0, -1, 1.5, 1e308, -1e308, 2 ** 31, 2 ** 53 + 2, Number.MAX_SAFE_INTEGER),
    fc.string({ maxLength: 8 }),
    fc.constant<Json>([]),
    fc.constant<Json>({}),
    fc.array(fc.integer(), { maxLength: 3 }),
  );
}

/** A JSON document with one field (any depth) replaced by a value of another type, or removed. */
export function jsonWrongTypes(doc: Json): fc.Arbitrary<{ label: string; doc: Json }> {
  const paths = jsonPaths(doc);
  if (paths.length === 0) throw new Error('jsonWrongTypes needs a document with fields');
  return fc.tuple(fc.constantFrom(...paths), fc.option(anyJsonValue(), { nil: undefined, freq: 8 })).filter(
    ([path, v]) => v === undefined || typeOf(v) !== typeOf(getAt(doc, path)),
  ).map(([path, v]) => ({
    label: v === undefined ? `removed ${path.join('.')}` : `${path.join('.')} = ${JSON.stringify(v)}`,
    doc: setAt(doc, path, v),
  }));
}

/** JSON text nested `depth` levels deep, e.g. [[[[...]]]] (stack-overflow bait). */
export function deeplyNestedJson(minDepth = 1_000, maxDepth = 100_000): fc.Arbitrary<{ label: string; text: string }> {
  return fc.tuple(fc.integer({ min: minDepth, max: maxDepth }), fc.boolean()).map(([depth, obj]) => ({
    label: `nested ${obj ? 'objects' : 'arrays'} depth ${depth}`,
    text: obj ? '{"a":'.repeat(depth) + '1' + '}'.repeat(depth) : '['.repeat(depth) + ']'.repeat(depth),
  }));
}

/** The document with a version field set to an unknown value. */
export function unknownVersions(doc: Json, versionPath: JsonPath): fc.Arbitrary<{ label: string; doc: Json }> {
  const current = getAt(doc, versionPath);
  return fc.oneof(fc.integer({ min: -5, max: 1_000 }), fc.string({ maxLength: 6 }), fc.constant(null))
    .filter((v) => v !== current)
    .map((v) => ({ label: `version = ${JSON.stringify(v)}`, doc: setAt(doc, versionPath, v) }));
}

/** The document with one array entry's name copied onto another (duplicate names). */
export function duplicateNames(doc: Json, arrayPath: JsonPath, nameKey = 'name'): fc.Arbitrary<{ label: string; doc: Json }> {
  const arr = getAt(doc, arrayPath);
  if (!Array.isArray(arr) || arr.length < 2) throw new Error('duplicateNames needs an array of at least 2 entries');
  return fc.tuple(fc.nat({ max: arr.length - 1 }), fc.nat({ max: arr.length - 1 })).filter(([a, b]) => a !== b).map(([a, b]) => {
    const name = (arr[a] as Record<string, Json>)[nameKey] as Json;
    return { label: `entry ${b} renamed to entry ${a}'s name`, doc: setAt(doc, [...arrayPath, b, nameKey], name) };
  });
}

/** JSON text cut short or with garbage: not parseable. */
export function brokenJsonText(doc: Json): fc.Arbitrary<{ label: string; text: string }> {
  const text = JSON.stringify(doc);
  return fc.oneof(
    fc.integer({ min: 0, max: Math.max(0, text.length - 1) }).map((at) => ({ label: `json truncated at ${at}`, text: text.slice(0, at) })),
    fc.constantFrom('', 'null', '[]', '"str"', '42', 'NaN', '{"a":}', '\u0000').map((t) => ({ label: `json text ${JSON.stringify(t)}`, text: t })),
  );
}

// ---------------------------------------------------------------------------
// Putting cases on disk
// ---------------------------------------------------------------------------

/** A fresh temp directory; call `cleanup()` in afterAll. */
export function fuzzTempDir(prefix = 'metanet-fuzz-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

let fileCounter = 0;

/**
 * Writes a case to a new path under `dir` (a directory for 'directory' cases)
 * and returns the path. `name` keeps the file name the reader expects, e.g.
 * 'manifest.json', inside a fresh sub-directory.
 */
export function materialise(dir: string, c: FileCase, name = 'file.bin'): string {
  const sub = join(dir, `case-${process.pid}-${fileCounter++}`);
  mkdirSync(sub, { recursive: true });
  const path = join(sub, name);
  if (c.kind === 'directory') mkdirSync(path);
  else writeFileSync(path, c.bytes);
  return path;
}
