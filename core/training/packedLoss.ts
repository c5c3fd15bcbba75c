import * as tf from './tf.js';
import type { Task } from '../api/domain.js';
import { access, fusedBackends, registerOnce } from './fusedUpdates.js';
import { rowExp } from './fusedLoss.js';

/**
 * fusedLoss.ts's cross-entropy for a pack: logits [K, rows, classes] and int32 labels [K, rows]
 * give each member's mean loss as a [K] vector, one kernel forward and one backward (the op
 * chain is about thirty kernels a step, which packing would otherwise pay once per pack but
 * still pay). Member k's gradient is (softmax - onehot) / rows times dy[k]: no member reads
 * another's rows. A second kernel counts each member's correct rows (the accuracy's numerator).
 */
const lossKernel = 'TunebenchPackedSoftmaxXent';
const gradKernel = 'TunebenchPackedSoftmaxXentGrad';
const correctKernel = 'TunebenchPackedCorrect';

function dims(info: tf.TensorInfo): [number, number, number] {
  return [info.shape[0] ?? 0, info.shape[1] ?? 0, info.shape[2] ?? 0];
}

const register = registerOnce(() => {
  for (const backendName of fusedBackends) {
    if (tf.getKernel(lossKernel, backendName)) continue;
    const { read, output } = access[backendName];
    const kernel = (kernelName: string, run: (b: tf.KernelBackend, inputs: tf.NamedTensorInfoMap) => tf.TensorInfo) =>
      tf.registerKernel({ kernelName, backendName, kernelFunc: ({ inputs, backend }) => run(backend as tf.KernelBackend, inputs as tf.NamedTensorInfoMap) });
    kernel(lossKernel, (b, inputs) => {
      const logits = inputs.logits!;
      const [members, rows, classes] = dims(logits);
      const out = output(b, [members]);
      const z = read(b, logits);
      const labels = read(b, inputs.labels!) as unknown as Int32Array;
      const e = new Float64Array(classes);
      for (let k = 0; k < members; k++) {
        let total = 0;
        for (let i = k * rows; i < (k + 1) * rows; i++) {
          const { sum, max } = rowExp(z, i * classes, classes, e);
          total += max + Math.log(sum) - (z[i * classes + (labels[i] as number)] as number);
        }
        out.values[k] = total / Math.max(rows, 1);
      }
      return out.info;
    });
    kernel(gradKernel, (b, inputs) => {
      const logits = inputs.logits!;
      const [members, rows, classes] = dims(logits);
      const out = output(b, logits.shape);
      const z = read(b, logits);
      const labels = read(b, inputs.labels!) as unknown as Int32Array;
      const dy = read(b, inputs.dy!);
      const e = new Float64Array(classes);
      for (let k = 0; k < members; k++) {
        const scale = (dy[k] as number) / Math.max(rows, 1);
        for (let i = k * rows; i < (k + 1) * rows; i++) {
          const { sum } = rowExp(z, i * classes, classes, e);
          for (let j = 0; j < classes; j++) out.values[i * classes + j] = ((e[j] as number) / sum - (j === labels[i] ? 1 : 0)) * scale;
        }
      }
      return out.info;
    });
    kernel(correctKernel, (b, inputs) => {
      const logits = inputs.logits!;
      const [members, rows, classes] = dims(logits);
      const out = output(b, [members]);
      const z = read(b, logits);
      const labels = read(b, inputs.labels!) as unknown as Int32Array;
      for (let k = 0; k < members; k++) {
        let correct = 0;
        for (let i = k * rows; i < (k + 1) * rows; i++) {
          // argMax's rule: the first of equal maxima wins.
          let best = 0;
          for (let j = 1; j < classes; j++) if ((z[i * classes + j] as number) > (z[i * classes + best] as number)) best = j;
          if (best === labels[i]) correct += 1;
        }
        out.values[k] = correct;
      }
      return out.info;
    });
  }
  if (tf.getGradient(lossKernel)) return;
  tf.registerGradient({
    kernelName: lossKernel,
    inputsToSave: ['logits', 'labels'],
    gradFunc: (dy, saved) => {
      const [logits, labels] = saved as [tf.Tensor, tf.Tensor];
      return {
        logits: () => packedSoftmaxXentGrad(logits, labels, dy as tf.Tensor),
        labels: () => tf.zerosLike(labels),
      };
    },
  });
});

/** Each member's mean cross-entropy [K] of labels [K, rows] under logits [K, rows, classes]. */
export function packedSoftmaxXent(logits: tf.Tensor, labels: tf.Tensor): tf.Tensor1D {
  register();
  return tf.engine().runKernel(lossKernel, { logits, labels }) as tf.Tensor1D;
}

/** d(member k's mean loss)/d(logits) times dy[k], [K, rows, classes]: the loss's gradient kernel. */
export function packedSoftmaxXentGrad(logits: tf.Tensor, labels: tf.Tensor, dy: tf.Tensor): tf.Tensor {
  register();
  return tf.engine().runKernel(gradKernel, { logits, labels, dy }) as tf.Tensor;
}

/** Each member's count of rows whose largest logit is its label, [K]. */
export function packedCorrect(logits: tf.Tensor, labels: tf.Tensor): tf.Tensor1D {
  register();
  return tf.engine().runKernel(correctKernel, { logits, labels }) as tf.Tensor1D;
}

/**
 * Per member [K]: the mean loss and the metric's sum (correct rows, or absolute errors) of outputs
 * [K, rows, out] against labels [K, rows] (classes) or [K, rows, 1] (regression).
 */
export function memberLossAndMetric(task: Task, classCount: number, out: tf.Tensor, y: tf.Tensor): { loss: tf.Tensor1D; metric: tf.Tensor1D } {
  if (task === 'classification' && (fusedBackends as readonly string[]).includes(tf.getBackend())) {
    return { loss: packedSoftmaxXent(out, y), metric: packedCorrect(out, y) };
  }
  if (task === 'classification') {
    const picked = tf.sum(tf.mul(tf.cast(tf.oneHot(y as tf.Tensor2D, classCount), 'float32'), out), 2);
    const loss = tf.mean(tf.sub(tf.logSumExp(out, 2), picked), 1) as tf.Tensor1D;
    const metric = tf.sum(tf.cast(tf.equal(tf.argMax(out, 2), y), 'float32'), 1) as tf.Tensor1D;
    return { loss, metric };
  }
  const error = tf.sub(out, y);
  return { loss: tf.mean(tf.square(error), [1, 2]) as tf.Tensor1D, metric: tf.sum(tf.abs(error), [1, 2]) as tf.Tensor1D };
}
