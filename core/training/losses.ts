import * as tf from './tf.js';
import type { Task } from '../api/domain.js';
import { fusedSparseSoftmaxXent, hasFusedLoss } from './fusedLoss.js';

/**
 * The training objective and the per-row metric for a task, both on the output of forwardLogits.
 * Classification: labels are int32 class indices; the loss is sparse categorical cross-entropy
 * from logits (log-softmax, stable for any logit size), the metric counts correct rows.
 * Regression: labels are [rows, 1] floats; the loss is mean squared error, the metric sums
 * absolute errors. Sums, not means, so batches of any size add up exactly over an epoch.
 */
export interface TaskLoss {
  /** Mean loss over the rows. */
  loss(output: tf.Tensor, labels: tf.Tensor): tf.Scalar;
  /** Sum over the rows of correct (classification) or |error| (regression). */
  metricSum(output: tf.Tensor, labels: tf.Tensor): tf.Scalar;
  /** Metric names in reports: [train, validation]. */
  metricNames: readonly [string, string];
}

/** `fused`: the one-kernel cross-entropy (fusedLoss.ts) where the backend has it. */
export function taskLoss(task: Task, classCount: number, fused = false): TaskLoss {
  if (task === 'classification') {
    return {
      loss: (logits, labels) => {
        if (fused && hasFusedLoss()) return fusedSparseSoftmaxXent(logits, labels);
        // int32 then cast: wasm 4.22's OneHot writes int bits into a float32 output.
        const oneHot = tf.cast(tf.oneHot(labels as tf.Tensor1D, classCount), 'float32');
        return tf.neg(tf.mean(tf.sum(tf.mul(oneHot, tf.logSoftmax(logits)), 1))) as tf.Scalar;
      },
      metricSum: (logits, labels) => tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), labels), 'float32')),
      metricNames: ['accuracy', 'val_accuracy'],
    };
  }
  return {
    loss: (output, labels) => tf.mean(tf.square(tf.sub(output, labels))),
    metricSum: (output, labels) => tf.sum(tf.abs(tf.sub(output, labels))),
    metricNames: ['mae', 'val_mae'],
  };
}
