/**
 * The sections of `metanet bench`, in report order. A new section is one file and one entry
 * here (move it from PENDING when its package work lands).
 */
import type { PendingSection, Section } from '../section';
import type { Executor } from '../units';
import { accuracyPrediction } from './accuracy-prediction';
import { epsilon } from './epsilon';
import { gmnUnlearning } from './gmn-unlearning';
import { graph } from './graph';
import { homework } from './homework';
import { methods } from './methods';
import { speed } from './speed';
import { zoo } from './zoo';

export const SECTIONS: readonly Section[] = [graph, homework, methods, epsilon, zoo, accuracyPrediction, gmnUnlearning, speed];

/** Sections whose package work has not landed: listed in every report, never silently dropped. */
export const PENDING: readonly PendingSection[] = [
];

/** Every section name --only accepts. */
export const SECTION_NAMES: readonly string[] = [...SECTIONS.map((s) => s.name), ...PENDING.map((p) => p.name)];

/** Every unit kind's executor, for the pool's workers. */
export const EXECUTORS: Readonly<Record<string, Executor>> = Object.assign({}, ...SECTIONS.map((s) => s.executors)) as Record<string, Executor>;
