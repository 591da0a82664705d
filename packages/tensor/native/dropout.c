/*
 * Dropout with a counter-based mask for tfjs-backend-wasm: element i is kept
 * when hash(seed, i) ≥ threshold, so the mask is never stored, uploaded or
 * saved for the backward pass (which is the same kernel applied to dy). The
 * hash is ops/hash-dropout.ts's hashKeepMask, word for word in uint32.
 */
#define EXPORT(name) __attribute__((export_name(#name)))

typedef unsigned int u32;

/* y[i] = x[i]·(keep(i) ? scale : 0), as x·(mask/(1 − rate)) with mask in {0, 1}; rate < 1, so threshold fits. */
EXPORT(hash_dropout)
void hash_dropout(const float *x, float *y, int n, u32 seed, u32 threshold, float scale) {
  for (int i = 0; i < n; i++) {
    u32 z = seed + (u32)i * 0x9e3779b9u;
    z = (z ^ (z >> 16)) * 0x85ebca6bu;
    z = (z ^ (z >> 13)) * 0xc2b2ae35u;
    z ^= z >> 16;
    y[i] = x[i] * (z >= threshold ? scale : 0.0f);
  }
}
