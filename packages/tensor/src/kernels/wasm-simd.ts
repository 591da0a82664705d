/**
 * A tiny hand-assembled WebAssembly module (about 200 bytes) that imports
 * tfjs-backend-wasm's own memory, so it reads and writes tensors in place on the
 * wasm heap. It holds the two inner loops of message passing:
 *   gather(x, idx, n, rowBytes, out)  — out row i = x row idx[i];
 *   segsum(x, ids, n, rowBytes, out)  — out row ids[e] += x row e (f32; negative ids skipped);
 *   addrows(x, _, n, rowBytes, out)   — out row 0 += every x row (a column sum).
 * Rows move in 16-byte SIMD lanes with a 4-byte tail, so rowBytes must be a
 * multiple of 4. Pointers are byte offsets into the heap. (memory.copy per row
 * was slower than the TypeScript loop: V8 calls out of wasm for it.)
 * No toolchain is needed: the bytes below are the module, spelled out.
 */

const I32 = 0x7f;
const op = {
  block: [0x02, 0x40], loop: [0x03, 0x40], end: [0x0b], brIf: 0x0d,
  get: 0x20, set: 0x21, tee: 0x22, i32const: 0x41,
  i32load: [0x28, 0x02, 0x00], i32store: [0x36, 0x02, 0x00], f32load: [0x2a, 0x02, 0x00], f32store: [0x38, 0x02, 0x00],
  eqz: [0x45], ltS: [0x48], ltU: [0x49], geU: [0x4f], add: [0x6a], mul: [0x6c], and: [0x71], shl: [0x74], f32add: [0x92],
  v128load: [0xfd, 0x00, 0x04, 0x00], v128store: [0xfd, 0x0b, 0x04, 0x00], f32x4add: [0xfd, 0xe4, 0x01],
};
const get = (i: number): number[] => [op.get, i];
const set = (i: number): number[] => [op.set, i];
const tee = (i: number): number[] => [op.tee, i];
/** i32.const with its signed LEB128 immediate. */
const i32c = (v: number): number[] => {
  const out: number[] = [op.i32const];
  for (;;) {
    const b = v & 0x7f;
    v >>= 7;
    const done = (v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0);
    out.push(done ? b : b | 0x80);
    if (done) return out;
  }
};
const brIf = (depth: number): number[] => [op.brIf, depth];

// Params of both functions: 0 x, 1 idx/ids, 2 n, 3 rowBytes, 4 out.
// Locals: 5 e (row), 6 index value, 7 dst, 8 src, 9 j (byte in row), 10 vecEnd.
const rowPrologue = [
  ...get(4), ...get(5), ...get(3), ...op.mul, ...op.add, ...set(7),
];
const gatherBody = [
  0x01, 0x06, I32,
  ...get(3), ...i32c(-16), ...op.and, ...set(10),
  ...op.block,
  ...get(2), ...op.eqz, ...brIf(0),
  ...op.loop,
  ...rowPrologue,
  ...get(0), ...get(1), ...get(5), ...i32c(2), ...op.shl, ...op.add, ...op.i32load, ...get(3), ...op.mul, ...op.add, ...set(8),
  ...i32c(0), ...set(9),
  ...op.block,
  ...get(10), ...op.eqz, ...brIf(0),
  ...op.loop,
  ...get(7), ...get(9), ...op.add,
  ...get(8), ...get(9), ...op.add, ...op.v128load,
  ...op.v128store,
  ...get(9), ...i32c(16), ...op.add, ...tee(9), ...get(10), ...op.ltU, ...brIf(0),
  ...op.end,
  ...op.end,
  ...op.block,
  ...get(9), ...get(3), ...op.geU, ...brIf(0),
  ...op.loop,
  ...get(7), ...get(9), ...op.add,
  ...get(8), ...get(9), ...op.add, ...op.i32load,
  ...op.i32store,
  ...get(9), ...i32c(4), ...op.add, ...tee(9), ...get(3), ...op.ltU, ...brIf(0),
  ...op.end,
  ...op.end,
  ...get(5), ...i32c(1), ...op.add, ...tee(5), ...get(2), ...op.ltU, ...brIf(0),
  ...op.end,
  ...op.end,
  ...op.end,
];

/** segsum, or with `withIds` false, addrows: every row is added into out row 0 (a column sum). */
const accumulateBody = (withIds: boolean): number[] => [
  0x01, 0x06, I32,
  ...get(3), ...i32c(-16), ...op.and, ...set(10),
  ...op.block,
  ...get(2), ...op.eqz, ...brIf(0),
  ...op.loop,
  ...op.block, // skip target for negative ids
  ...(withIds
    ? [...get(1), ...get(5), ...i32c(2), ...op.shl, ...op.add, ...op.i32load, ...tee(6), ...i32c(0), ...op.ltS, ...brIf(0)]
    : [...i32c(0), ...set(6)]),
  ...get(4), ...get(6), ...get(3), ...op.mul, ...op.add, ...set(7),
  ...get(0), ...get(5), ...get(3), ...op.mul, ...op.add, ...set(8),
  ...i32c(0), ...set(9),
  ...op.block,
  ...get(10), ...op.eqz, ...brIf(0),
  ...op.loop,
  ...get(7), ...get(9), ...op.add,
  ...get(7), ...get(9), ...op.add, ...op.v128load,
  ...get(8), ...get(9), ...op.add, ...op.v128load,
  ...op.f32x4add, ...op.v128store,
  ...get(9), ...i32c(16), ...op.add, ...tee(9), ...get(10), ...op.ltU, ...brIf(0),
  ...op.end,
  ...op.end,
  ...op.block,
  ...get(9), ...get(3), ...op.geU, ...brIf(0),
  ...op.loop,
  ...get(7), ...get(9), ...op.add,
  ...get(7), ...get(9), ...op.add, ...op.f32load,
  ...get(8), ...get(9), ...op.add, ...op.f32load,
  ...op.f32add, ...op.f32store,
  ...get(9), ...i32c(4), ...op.add, ...tee(9), ...get(3), ...op.ltU, ...brIf(0),
  ...op.end,
  ...op.end,
  ...op.end, // skip target
  ...get(5), ...i32c(1), ...op.add, ...tee(5), ...get(2), ...op.ltU, ...brIf(0),
  ...op.end,
  ...op.end,
  ...op.end,
];
const segsumBody = accumulateBody(true);
const addrowsBody = accumulateBody(false);

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}
const str = (s: string): number[] => [...uleb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];
const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];

function moduleBytes(): Uint8Array {
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec([[0x60, 0x05, I32, I32, I32, I32, I32, 0x00]])),
    ...section(2, vec([[...str('env'), ...str('memory'), 0x02, 0x00, 0x00]])),
    ...section(3, vec([[0x00], [0x00], [0x00]])),
    ...section(7, vec([[...str('gather'), 0x00, 0x00], [...str('segsum'), 0x00, 0x01], [...str('addrows'), 0x00, 0x02]])),
    ...section(10, vec([gatherBody, segsumBody, addrowsBody].map((b) => [...uleb(b.length), ...b]))),
  ]);
}

export interface HeapKernels {
  gather(x: number, idx: number, n: number, rowBytes: number, out: number): void;
  segsum(x: number, ids: number, n: number, rowBytes: number, out: number): void;
  /** out row 0 += every row of x (`ids` is ignored). */
  addrows(x: number, ids: number, n: number, rowBytes: number, out: number): void;
}

/** The slice of the WebAssembly JS API we use (the project's TS lib has no DOM/wasm typings). */
interface WasmJsApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
  Memory: abstract new (...args: never[]) => object;
  validate(bytes: Uint8Array): boolean;
}
const wasmApi = (globalThis as unknown as { WebAssembly?: WasmJsApi }).WebAssembly;

/** The WebAssembly.Memory of a tfjs-backend-wasm backend (its heap), or undefined for any other backend. */
export function wasmMemoryOf(backend: unknown): unknown {
  return (backend as { wasm?: { asm?: { memory?: unknown } } } | null)?.wasm?.asm?.memory;
}

/** Whether `value` is a WebAssembly.Memory. */
export function isWasmMemory(value: unknown): value is object {
  return wasmApi !== undefined && value instanceof wasmApi.Memory;
}

/**
 * A module that imports `env.memory`, compiled on first use (null for good where
 * the host cannot validate it, e.g. no WebAssembly SIMD) and instantiated once per
 * memory: `instancesOnMemory(bytes)(memory)` gives the exports bound to that heap.
 */
export function instancesOnMemory<T>(bytes: () => Uint8Array): (memory: unknown) => T | null {
  let compiled: object | null | undefined;
  const instances = new WeakMap<object, T>();
  return (memory) => {
    if (wasmApi === undefined || !isWasmMemory(memory)) return null;
    if (compiled === undefined) {
      const b = bytes();
      compiled = wasmApi.validate(b) ? new wasmApi.Module(b) : null;
    }
    if (compiled === null) return null;
    let k = instances.get(memory);
    if (k === undefined) {
      k = new wasmApi.Instance(compiled, { env: { memory } }).exports as T;
      instances.set(memory, k);
    }
    return k;
  };
}

const heapInstances = instancesOnMemory<HeapKernels>(moduleBytes);

/** The heap kernels bound to this WebAssembly.Memory, or null where WebAssembly SIMD or bulk memory is unavailable. */
export function heapKernelsFor(memory: object): HeapKernels | null {
  return heapInstances(memory);
}
