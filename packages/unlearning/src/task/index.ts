/** The `task` request kind: forget one head of a multi-head net (gold, methods, metrics). */
export { trainTaskNet, type TaskTrainOptions } from './gold';
export { unlearnTask, checkTaskMethod, TASK_METHODS, TASK_DEFAULTS, type TaskMethod, type TaskUnlearnInput } from './methods';
export { evaluateTask, type TaskMetrics, type EvaluateTaskOptions } from './evaluate';
