/**
 * Typed errors of the GMN unlearner. One line each: the problem, then the fix.
 */
import { UnlearningError } from '../errors';

/** The `gmn` method ran without a trained editor. */
export class MissingEditorError extends UnlearningError {}

/** An editor was asked to edit a net of another architecture family, or a request kind it was not trained for. */
export class EditorMismatchError extends UnlearningError {}

/** A saved editor directory is missing, corrupt, or not an editor. */
export class InvalidEditorFileError extends UnlearningError {}
