import { describe, expect, it } from 'vitest';
import { createPhases, createProgress } from '../src/progress';

/** A stream that records what is drawn; `isTTY` picks the bar (true) or the sparse lines (false). */
function recorder(isTTY: boolean): { stream: { isTTY: boolean; columns: number; write(s: string): boolean; on(): void; removeListener(): void }; text(): string } {
  let out = '';
  return {
    stream: {
      isTTY,
      columns: 100,
      write(s: string) {
        out += s;
        return true;
      },
      on() {},
      removeListener() {},
    },
    text: () => out,
  };
}

// cli-progress draws with ANSI cursor codes; the tests read the text between them.
const plain = (s: string): string => s.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '');

describe('createProgress on a pipe (sparse lines)', () => {
  it('prints one line per tenth of the work, with done/total', () => {
    const r = recorder(false);
    const p = createProgress({ label: 'train', total: 20, stream: r.stream });
    for (let i = 0; i <= 20; i++) p.update(i);
    p.stop();
    const lines = r.text().trim().split('\n');
    expect(lines).toHaveLength(11);
    expect(lines[0]).toBe('train: 0/20');
    expect(lines[5]).toMatch(/^train: 10\/20, ETA \d+s$/);
    expect(lines[10]).toMatch(/^train: 20\/20, ETA 0s$/);
  });

  it('prints nothing before a real total is known, then counts against it', () => {
    const r = recorder(false);
    const p = createProgress({ label: 'ft', total: 0, stream: r.stream });
    p.update(0);
    expect(r.text()).toBe('');
    p.setTotal(4);
    p.update(1, { loss: 0.123456 });
    expect(r.text()).toMatch(/^ft: 1\/4(, ETA \d+s)? loss 0\.1235\n$/);
    expect(r.text()).not.toMatch(/\/0\b|0\/1\b/);
  });

  it('is silent when quiet (--json)', () => {
    const r = recorder(false);
    const p = createProgress({ label: 'x', total: 5, quiet: true, stream: r.stream });
    for (let i = 0; i <= 5; i++) p.update(i);
    p.stop();
    expect(r.text()).toBe('');
  });
});

describe('createProgress on a terminal (bar)', () => {
  it('never draws a placeholder total: the first frame already shows the real one', () => {
    const r = recorder(true);
    const p = createProgress({ label: 'retrain', total: 1, stream: r.stream });
    p.setTotal(0);
    p.update(0);
    expect(r.text()).toBe('');
    p.setTotal(50);
    p.update(1);
    p.update(50);
    p.stop();
    const text = plain(r.text());
    expect(text).toMatch(/retrain \[.*\] \d+% \| 1\/50/);
    expect(text).toMatch(/100% \| 50\/50/);
    expect(text).not.toMatch(/\b0\/1\b|\/1 /);
  });
});

describe('createPhases', () => {
  it('one bar per label: a new label stops the previous bar, the same label updates its total', () => {
    const r = recorder(false);
    const phases = createPhases(false, r.stream);
    phases.phase('ft', 10).update(10);
    phases.phase('scoring', 3).update(0);
    phases.phase('scoring', 4).update(4);
    phases.stop();
    expect(r.text().trim().split('\n')).toEqual(['ft: 10/10, ETA 0s', 'scoring: 0/3', 'scoring: 4/4, ETA 0s']);
  });

  it('prints nothing with quiet', () => {
    const r = recorder(false);
    const phases = createPhases(true, r.stream);
    phases.phase('ft', 10).update(5);
    phases.stop();
    expect(r.text()).toBe('');
  });
});
