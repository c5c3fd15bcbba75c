import * as tf from './tf.js';
import { afterAll, describe, expect, it } from 'vitest';
import { chooseBackend } from './backend.js';
import { fusedLossKernelName, fusedSparseSoftmaxXent } from './fusedLoss.js';
import { taskLoss } from './losses.js';

const plain = taskLoss('classification', 5, false);

function lossAndGrad(loss: (z: tf.Tensor, y: tf.Tensor) => tf.Scalar, scale: number): { value: number; grad: Float32Array } {
  return tf.tidy(() => {
    const logits = tf.mul(tf.randomNormal([7, 5], 0, 1, 'float32', 4), scale);
    const labels = tf.tensor1d([0, 1, 2, 3, 4, 2, 1], 'int32');
    const { value, grad } = tf.valueAndGrad((z: tf.Tensor) => tf.mul(loss(z, labels), 3) as tf.Scalar)(logits);
    return { value: value.dataSync()[0]!, grad: grad.dataSync() as Float32Array };
  });
}

afterAll(async () => {
  await chooseBackend();
});

describe.each(['wasm', 'cpu'])('fused softmax cross-entropy on %s', (backend) => {
  it.each([1, 30])('equals the op chain in value and gradient (logits scaled by %i), within 1e-5', async (scale) => {
    await tf.setBackend(backend);
    const reference = lossAndGrad(plain.loss, scale);
    const fused = lossAndGrad(fusedSparseSoftmaxXent, scale);
    expect(tf.getKernel(fusedLossKernelName, backend)).toBeDefined();
    expect(Math.abs(fused.value - reference.value) / Math.max(1, Math.abs(reference.value))).toBeLessThan(1e-5);
    reference.grad.forEach((g, i) => expect(Math.abs(fused.grad[i]! - g)).toBeLessThan(1e-5));
    expect(reference.grad.some((g) => Math.abs(g) > 1e-3)).toBe(true);
  });

  it('is one kernel forward and one backward, leaking no tensor', async () => {
    await tf.setBackend(backend);
    const before = tf.memory().numTensors;
    const profile = await tf.profile(() => {
      tf.tidy(() => {
        const logits = tf.randomNormal([4, 3], 0, 1, 'float32', 1);
        tf.grad((z: tf.Tensor) => fusedSparseSoftmaxXent(z, tf.tensor1d([0, 1, 2, 0], 'int32')))(logits);
      });
    });
    const ours = profile.kernels.filter((k) => k.name.startsWith('TunebenchSparseSoftmaxXent')).map((k) => k.name);
    expect(ours).toEqual([fusedLossKernelName, `${fusedLossKernelName}Grad`]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
