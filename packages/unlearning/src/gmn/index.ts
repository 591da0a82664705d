/** The GMN unlearner: the editor, its training, its files (`@metanet/unlearning/gmn-editor`). */
export {
  GMNEditor,
  createEditor,
  applyEditor,
  prepareNet,
  checkRequest,
  editorOutput,
  editDeltas,
  editedParams,
  deltaScales,
  editorGMNConfig,
  DEFAULT_EDITOR_CONFIG,
  type EditorConfig,
  type EditorInfo,
  type EditorRequestKind,
  type PreparedNet,
  type ApplyEditorOptions,
} from './editor';
export { trainEditor, DEFAULT_EDITOR_LOSS, NO_DELETION, type TrainEditorOptions, type TrainEditorResult, type EditorLossOptions, type GoldNet, type LossParts } from './train';
export { ridgeProbeScore, type RidgeProbeOptions } from './ridge-probe';
export { relearnProxy, linearCka, type RelearnProxyOptions } from './deletion-terms';
export { saveEditor, loadEditor, EDITOR_FORMAT, EDITOR_VERSION, EDITOR_BUNDLE } from './io';
export { architectureFamily } from './family';
export { MissingEditorError, EditorMismatchError, InvalidEditorFileError } from './errors';
export { evaluateEditor, type EvaluateEditorOptions, type EditorEvaluation, type EditorScore } from './evaluate-editor';
export { generateEditorZoo, editorZooRecipe, editorZooGold, trainRecipe, type EditorZooOptions, type EditorZooRecipe } from './editor-zoo';
