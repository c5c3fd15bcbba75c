import type { ModelSpec, OptimizerName, TrialParams } from '../api/spec.js';
import { trialModel } from '../space/modelParams.js';

/**
 * Which trials may train as one packed model (packedTrainer.ts): the same layer shapes
 * (model type, hidden widths, activation, dropout) and batch size, and an optimizer whose
 * update the packed kernel knows. Learning rate, schedule, momentum, L2 and seed may differ.
 * One rule for the engine (which groups asks) and the worker (which checks what it is sent).
 */
export const packableOptimizers: readonly OptimizerName[] = ['sgd', 'momentum', 'nesterov', 'adam'];

/** The pack a trial may join, or null when it must train alone (a cnn, another optimizer). */
export function packKey(model: ModelSpec, params: Readonly<TrialParams>): string | null {
  if (model.type === 'cnn' || !packableOptimizers.includes(params.optimizer)) return null;
  const shaped = trialModel(model, params);
  const hidden = shaped.type === 'mlp' ? shaped.hidden : [];
  return JSON.stringify([shaped.type, hidden, hidden.length > 0 ? shaped.activation : null, hidden.length > 0 ? shaped.dropout : 0, params.batchSize]);
}
