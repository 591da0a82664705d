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
export { ldaProbeRecall, type LdaProbeOptions } from './lda-probe';
export { relearnProxy, linearCka, type RelearnProxyOptions } from './deletion-terms';
export { classSpecificGold, weightTarget, weightToGold, featureToGold, type WeightTarget } from './gold-terms';
export { saveEditor, loadEditor, editorFromBundle, EDITOR_FORMAT, EDITOR_VERSION, EDITOR_BUNDLE } from './io';
export { architectureFamily } from './family';
export { shippedEditorDir, loadShippedEditor, SHIPPED_EDITORS, type ShippedEditorName } from './shipped';
export { MissingEditorError, EditorMismatchError, InvalidEditorFileError } from './errors';
export { generateEditorZoo, editorZooRecipe, editorZooGold, trainRecipe, type EditorZooOptions, type EditorZooRecipe } from './editor-zoo';
export { runProtocol, disposeGolds, EDITOR_ROW, WARMUP_EDITS, type ProtocolOptions, type ProtocolResult, type ProtocolPair, type PairMetrics, type ProtocolRole } from './protocol';
export { trainGold, netWidth, DEFAULT_GOLD_RECIPE, type GoldRecipe, type HeldOutNet, type ProtocolGold } from './protocol-gold';
export { tradeoffCurve, DEFAULT_TRADEOFF_SCALES, type TradeoffPoint } from './protocol-tradeoff';
export { summarizeProtocol, meanStd, type MeanStd, type ProtocolSummary, type ProtocolSummaryRow } from './protocol-summary';
