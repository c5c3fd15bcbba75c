import * as tf from './tf.js';
import { access, fusedBackends, registerOnce } from './fusedUpdates.js';

/**
 * Sparse softmax cross-entropy from logits as one kernel forward and one backward, registered
 * for wasm and cpu with its gradient: the op chain (oneHot, cast, logSoftmax's six kernels, mul,
 * sum, mean, neg) is a dozen kernels each way. Same value as the chain: the mean over rows of
 * logsumexp(z) - z[label], computed stably (max subtracted) in float64; the gradient is
 * (softmax(z) - onehot(label)) / rows times the incoming gradient.
 */
export const fusedLossKernelName = 'TunebenchSparseSoftmaxXent';
const gradKernelName = 'TunebenchSparseSoftmaxXentGrad';

/** Rows and classes of a [rows, classes] logits tensor. */
function dims(info: tf.TensorInfo): [number, number] {
  return [info.shape[0] ?? 0, info.shape[1] ?? 0];
}

/** exp(z - max) per class for one row, written into `into`; returns their sum and the max. */
export function rowExp(z: Float32Array, offset: number, classes: number, into: Float64Array): { sum: number; max: number } {
  let max = -Infinity;
  for (let j = 0; j < classes; j++) max = Math.max(max, z[offset + j] as number);
  let sum = 0;
  for (let j = 0; j < classes; j++) {
    const e = Math.exp((z[offset + j] as number) - max);
    into[j] = e;
    sum += e;
  }
  return { sum, max };
}

export const registerFusedLossKernels = registerOnce(() => {
  for (const backendName of fusedBackends) {
    if (tf.getKernel(fusedLossKernelName, backendName)) continue;
    const { read, output } = access[backendName];
    tf.registerKernel({
      kernelName: fusedLossKernelName,
      backendName,
      kernelFunc: ({ inputs, backend }) => {
        const b = backend as tf.KernelBackend;
        const out = output(b, []);
        const z = read(b, inputs.logits as tf.TensorInfo);
        const labels = read(b, inputs.labels as tf.TensorInfo) as unknown as Int32Array;
        const [rows, classes] = dims(inputs.logits as tf.TensorInfo);
        const e = new Float64Array(classes);
        let total = 0;
        for (let i = 0; i < rows; i++) {
          const { sum, max } = rowExp(z, i * classes, classes, e);
          total += max + Math.log(sum) - (z[i * classes + (labels[i] as number)] as number);
        }
        out.values[0] = total / Math.max(rows, 1);
        return out.info;
      },
    });
    tf.registerKernel({
      kernelName: gradKernelName,
      backendName,
      kernelFunc: ({ inputs, backend }) => {
        const b = backend as tf.KernelBackend;
        const logits = inputs.logits as tf.TensorInfo;
        const out = output(b, logits.shape);
        const z = read(b, logits);
        const labels = read(b, inputs.labels as tf.TensorInfo) as unknown as Int32Array;
        // The tape hands in its incoming gradient; a backward pass by hand starts from 1.
        const dy = inputs.dy ? (read(b, inputs.dy)[0] ?? 0) : 1;
        const [rows, classes] = dims(logits);
        const e = new Float64Array(classes);
        const scale = dy / Math.max(rows, 1);
        for (let i = 0; i < rows; i++) {
          const { sum } = rowExp(z, i * classes, classes, e);
          for (let j = 0; j < classes; j++) {
            out.values[i * classes + j] = ((e[j] as number) / sum - (j === labels[i] ? 1 : 0)) * scale;
          }
        }
        return out.info;
      },
    });
  }
  if (tf.getGradient(fusedLossKernelName)) return;
  tf.registerGradient({
    kernelName: fusedLossKernelName,
    inputsToSave: ['logits', 'labels'],
    gradFunc: (dy, saved) => {
      const [logits, labels] = saved as [tf.Tensor, tf.Tensor];
      return {
        logits: () => tf.engine().runKernel(gradKernelName, { logits, labels, dy: dy as tf.Tensor }) as tf.Tensor,
        labels: () => tf.zerosLike(labels),
      };
    },
  });
});

/** Whether the current backend has the fused loss (else the caller runs the op chain). */
export function hasFusedLoss(): boolean {
  return (fusedBackends as readonly string[]).includes(tf.getBackend());
}

/** The mean sparse softmax cross-entropy of int32 `labels` [rows] under `logits` [rows, classes]. */
export function fusedSparseSoftmaxXent(logits: tf.Tensor, labels: tf.Tensor): tf.Scalar {
  registerFusedLossKernels();
  return tf.engine().runKernel(fusedLossKernelName, { logits, labels }) as tf.Scalar;
}

/** d(mean loss)/d(logits) of fusedSparseSoftmaxXent: the gradient kernel with an incoming gradient of 1 (no tensor made for it). */
export function fusedLossGrad(logits: tf.Tensor, labels: tf.Tensor): tf.Tensor {
  registerFusedLossKernels();
  return tf.engine().runKernel(gradKernelName, { logits, labels }) as tf.Tensor;
}
