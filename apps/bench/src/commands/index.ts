import type { Command } from 'commander';
import { register as bench } from './bench';
import { register as data } from './data';
import { register as demo } from './demo';
import { register as env } from './env';
import { register as gmn } from './gmn';
import { register as gmnUnlearn } from './gmn-unlearn';
import { register as graph } from './graph';
import { register as predictAcc } from './predict-acc';
import { register as train } from './train';
import { register as unlearn } from './unlearn';
import { register as worker } from './worker';
import { register as zoo } from './zoo';

/** Every `metanet <command>`, in help order. */
export const commands: ReadonlyArray<(program: Command) => void> = [bench, demo, env, data, train, unlearn, graph, gmn, zoo, predictAcc, gmnUnlearn, worker];
