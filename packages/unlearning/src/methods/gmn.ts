/**
 * gmn: the GMN unlearner as a registered method. One forward pass of a trained
 * editor (see src/gmn/) maps the net and the class-wise request to w' = w + Δw;
 * no data is read. The editor comes from `hp.editor`, a directory written by
 * `saveEditor` (`metanet gmn-unlearn train`), or bound in memory with
 * `gmnWithEditor(editor)`. Timing covers building the parameter graph, so RTE
 * counts the feature computation.
 */
import { defineMethod } from '../define-method';
import { InvalidRequestError } from '../errors';
import { applyEditor, type GMNEditor } from '../gmn/editor';
import { MissingEditorError } from '../gmn/errors';
import { loadEditor } from '../gmn/io';
import type { UnlearningMethod } from '../types';

/** Options of method `gmn`: the saved editor to apply (`editor=DIR`) and the scale on its Δw. */
export type GmnHyperparameters = {
  /** Directory of a saved editor. */
  editor: string;
  /** Multiplies the editor's calibrated Δw (its `info.scale`, else 1); the trade-off curve varies it. */
  scale: number;
};

const DESCRIPTION = 'GMN editor: one forward pass maps the net and the request to w + Δw (needs a trained editor)';

function define(bound?: GMNEditor): UnlearningMethod<GmnHyperparameters> {
  return defineMethod<GmnHyperparameters>({
    name: 'gmn',
    description: DESCRIPTION,
    defaults: { editor: '', scale: 1 },
    needsForget: false,
    unlearn(input, hp) {
      const classes = input.forgetClasses ?? [];
      if (classes.length === 0) throw new InvalidRequestError('gmn edits class-wise requests only; use --forget-class');
      if (bound === undefined && hp.editor === '') {
        throw new MissingEditorError('gmn needs a trained editor: pass the hyperparameter editor=DIR (a directory from `metanet gmn-unlearn train`), or use gmnWithEditor(editor)');
      }
      const editor = bound ?? loadEditor(hp.editor);
      try {
        return { model: applyEditor(editor, input.model, classes, { scale: hp.scale }), steps: 0 };
      } finally {
        if (bound === undefined) editor.dispose();
      }
    },
  });
}

/** The GMN unlearner as a registered method: one forward pass of a trained editor per request. */
export const gmn = define();

/** The `gmn` method with an editor already in memory (not disposed by the method). */
export function gmnWithEditor(editor: GMNEditor): UnlearningMethod<GmnHyperparameters> {
  return define(editor);
}
