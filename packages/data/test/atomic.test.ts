import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sweepTempFiles, TEMP_MARKER, tempPath, writeDirAtomic, writeFileAtomic } from '../src/index';

const root = mkdtempSync(join(tmpdir(), 'metanet-atomic-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('writeFileAtomic', () => {
  it('writes text and bytes, replaces an existing file, and leaves no temp file', () => {
    const p = join(root, 'a.json');
    writeFileAtomic(p, '{"v":1}\n');
    expect(readFileSync(p, 'utf8')).toBe('{"v":1}\n');
    writeFileAtomic(p, Uint8Array.from([1, 2, 3]));
    expect([...readFileSync(p)]).toEqual([1, 2, 3]);
    expect(readdirSync(root).filter((f) => f.includes(TEMP_MARKER))).toEqual([]);
  });

  it('a write into a missing directory throws and leaves nothing behind', () => {
    expect(() => writeFileAtomic(join(root, 'no-such-dir', 'x'), 'x')).toThrow(/ENOENT/);
    expect(existsSync(join(root, 'no-such-dir'))).toBe(false);
  });
});

describe('writeDirAtomic', () => {
  it('builds a directory all at once and replaces an existing one', () => {
    const d = join(root, 'out');
    mkdirSync(d);
    writeFileSync(join(d, 'old.txt'), 'old');
    writeDirAtomic(d, (tmp) => {
      expect(tmp).toContain(TEMP_MARKER);
      writeFileSync(join(tmp, 'new.txt'), 'new');
    });
    expect(readdirSync(d)).toEqual(['new.txt']);
    expect(readdirSync(root).filter((f) => f.includes(TEMP_MARKER))).toEqual([]);
  });

  it('a failing build leaves the target as it was and no temp directory', () => {
    const d = join(root, 'kept');
    mkdirSync(d);
    writeFileSync(join(d, 'keep.txt'), 'keep');
    expect(() =>
      writeDirAtomic(d, (tmp) => {
        writeFileSync(join(tmp, 'half.txt'), 'half');
        throw new Error('build failed');
      }),
    ).toThrow('build failed');
    expect(readdirSync(d)).toEqual(['keep.txt']);
    expect(readdirSync(root).filter((f) => f.includes(TEMP_MARKER))).toEqual([]);
  });
});

describe('sweepTempFiles', () => {
  it('removes what a killed writer left (files and directories) and nothing else', () => {
    const d = join(root, 'sweep');
    mkdirSync(d);
    writeFileSync(join(d, 'keep.bin'), 'k');
    writeFileSync(tempPath(join(d, 'weights.bin')), 'torn');
    mkdirSync(tempPath(join(d, 'epoch-0001')));
    expect(sweepTempFiles(d)).toBe(2);
    expect(readdirSync(d)).toEqual(['keep.bin']);
    expect(sweepTempFiles(join(root, 'absent'))).toBe(0);
  });
});
