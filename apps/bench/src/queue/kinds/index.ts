import { erase, type RegisteredKind } from '../unit';
import { benchUnit } from './bench-unit';
import { noop } from './noop';
import { zooRun } from './zoo-run';

/** Every unit kind a worker can run, by name. A new kind is one file in this folder and one entry here. */
export const UNIT_KINDS: ReadonlyMap<string, RegisteredKind> = new Map([erase(noop), erase(zooRun), erase(benchUnit)].map((k) => [k.kind, k] as const));
