import type { Command } from 'commander';
import { backendInfo, initBackend } from '@metanet/tensor';
import { emit, table } from '../output';

interface EnvOptions {
  json?: boolean;
}

/** `metanet env`: which tfjs backend metanet picked, and which kernels it replaced. */
export function register(program: Command): void {
  program
    .command('env')
    .description('print the compute backend in use, its version, SIMD/threads flags, registered kernel overrides and whether the compiled kernels loaded')
    .option('--json', 'machine-readable output')
    .action(async (opts: EnvOptions) => {
      await initBackend();
      const info = backendInfo();
      const payload = {
        backend: info.name,
        tfjsVersion: info.tfjsVersion,
        simd: info.simd,
        threads: info.threads,
        node: process.version,
        platform: `${process.platform}-${process.arch}`,
        kernelOverrides: info.overrides,
        nativeKernels: info.nativeKernels,
      };
      emit(opts, payload, () => {
        const flag = (v: boolean | null): string => (v === null ? 'n/a' : v ? 'yes' : 'no');
        return [
          table([
            ['backend', info.name],
            ['tfjs', info.tfjsVersion],
            ['simd', flag(info.simd)],
            ['threads', flag(info.threads)],
            ['compiled kernels', flag(info.nativeKernels)],
            ['node', process.version],
          ]),
          `kernel overrides (${info.overrides.length}): ${info.overrides.join(', ') || 'none'}`,
          'Set METANET_BACKEND=node|wasm|cpu to force a backend.',
        ].join('\n');
      });
    });
}
