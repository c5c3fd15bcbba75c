/** core/training: models, optimizers, LR schedules, backend choice and the trial worker. */
export { chooseBackend, wasmDir, type BackendChoice, type BackendName } from './backend.js';
export { saveModelTo, loadModelFrom } from './modelFiles.js';
export { buildModel } from './models.js';
export { createOptimizer, optimizerDefaults, type TunableOptimizer } from './optimizers.js';
export type { EpochReport, FromWorker, ToWorker, TrialEnd, TrialJob } from './protocol.js';
export { runTrial, type RunTrialOptions } from './runTrial.js';
export { lrAt, scheduleDefaults, scheduleUsesHorizon } from './schedules.js';
export { SplitCache } from './splitCache.js';
export { TfjsTrainer, type TfjsTrainerOptions } from './tfjsTrainer.js';
export type { EpochMetrics, EpochResult, Trainer } from './trainer.js';
export { trainInProcess } from './trainInProcess.js';

export { workerEntryPath } from './workerEntry.js';
