import * as tf from './tf.js';
import type { OptimizerName } from '../api/spec.js';
import { optimizerDefaults } from './optimizers.js';

/**
 * Optimizer updates as one kernel per variable instead of tfjs's chain of ops (adam: ~17 ops a
 * variable, each paying tfjs's per-op bookkeeping, which on small models is most of a step).
 * The kernels are registered in tfjs's kernel registry for 'wasm' and 'cpu': one pass over the
 * floats into a new buffer, which the variable then takes. (Not in place: wasm's XNNPACK keeps
 * packed copies of matMul weights by buffer, so a weight rewritten in place would go unseen.)
 * Other backends (webgpu, tensorflow) and other optimizers keep tfjs's own update.
 *
 * Same rule as tfjs's: sgd  w -= lr g;  adam  m = b1 m + (1-b1) g, v = b2 v + (1-b2) g^2,
 * w -= lr (m / (1-b1^t)) / (sqrt(v / (1-b2^t)) + eps), eps the backend's epsilon (1e-7).
 * Arithmetic here is in float64 and stored as float32, so curves match tfjs's within rounding.
 */

export const fusedKernelNames = { sgd: 'TunebenchSgdUpdate', adam: 'TunebenchAdamUpdate' } as const;
export const fusedBackends = ['wasm', 'cpu'] as const;

interface SgdAttrs {
  learningRate: number;
}
/** adam's constants for this step and the variable's moments: shared with the packed update. */
export interface AdamState {
  beta1: number;
  beta2: number;
  epsilon: number;
  /** 1 - beta^t for this step t. */
  correction1: number;
  correction2: number;
  /** This variable's moments, kept by the updater between steps (ours, so updated in place). */
  m: Float32Array;
  v: Float32Array;
}
type AdamAttrs = AdamState & SgdAttrs;

/** How a kernel of ours reads a tensor's storage and makes a new float32 output, per backend. */
export interface BackendAccess {
  read(backend: tf.KernelBackend, info: tf.TensorInfo): Float32Array;
  /** A new float32 tensor of this shape and a view to fill it through. */
  output(backend: tf.KernelBackend, shape: number[]): { info: tf.TensorInfo; values: Float32Array };
}
/** What our kernels use of tfjs-backend-wasm's backend: tensors made in, and viewed on, its heap. */
export interface WasmHeap<View extends tf.TypedArray = tf.TypedArray> {
  typedArrayFromHeap(info: tf.TensorInfo): View;
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
}
interface CpuAccess {
  data: { get(id: tf.DataId): { values: Float32Array } };
  makeTensorInfo(shape: number[], dtype: 'float32', values: Float32Array): tf.TensorInfo;
}

export const access: Record<(typeof fusedBackends)[number], BackendAccess> = {
  wasm: {
    read: (backend, info) => (backend as unknown as WasmHeap<Float32Array>).typedArrayFromHeap(info),
    output: (backend, shape) => {
      const wasm = backend as unknown as WasmHeap<Float32Array>;
      const info = wasm.makeOutput(shape, 'float32');
      return { info, values: wasm.typedArrayFromHeap(info) };
    },
  },
  cpu: {
    read: (backend, info) => (backend as unknown as CpuAccess).data.get(info.dataId).values,
    output: (backend, shape) => {
      const values = new Float32Array(tf.util.sizeFromShape(shape));
      return { info: (backend as unknown as CpuAccess).makeTensorInfo(shape, 'float32', values), values };
    },
  },
};

/**
 * `register` on the first call only: that call still asks tfjs's registry (which outlives a module
 * re-imported by vitest), later ones skip the lookups, which a kernel called every step should not pay.
 */
export function registerOnce(register: () => void): () => void {
  let isDone = false;
  return () => {
    if (isDone) return;
    isDone = true;
    register();
  };
}

type Loop<A> = (out: Float32Array, w: Float32Array, g: Float32Array, a: A) => void;

/** sgd over elements [from, to): the one formula the plain and the packed update share. */
export function sgdSteps(out: Float32Array, w: Float32Array, g: Float32Array, lr: number, from: number, to: number): void {
  for (let i = from; i < to; i++) out[i] = (w[i] as number) - lr * (g[i] as number);
}

/** adam over elements [from, to), moments updated in place: shared by the plain and the packed update. */
export function adamSteps(
  out: Float32Array,
  w: Float32Array,
  g: Float32Array,
  a: AdamState,
  lr: number,
  from: number,
  to: number,
): void {
  const { beta1, beta2, epsilon, correction1, correction2, m, v } = a;
  for (let i = from; i < to; i++) {
    const gi = g[i] as number;
    const mi = beta1 * (m[i] as number) + (1 - beta1) * gi;
    const vi = beta2 * (v[i] as number) + (1 - beta2) * gi * gi;
    m[i] = mi;
    v[i] = vi;
    out[i] = (w[i] as number) - (lr * (mi / correction1)) / (Math.sqrt(vi / correction2) + epsilon);
  }
}

const sgdLoop: Loop<SgdAttrs> = (out, w, g, a) => sgdSteps(out, w, g, a.learningRate, 0, w.length);
const adamLoop: Loop<AdamAttrs> = (out, w, g, a) => adamSteps(out, w, g, a, a.learningRate, 0, w.length);

/** Registers both update kernels for wasm and cpu; safe to call again. */
export function registerFusedUpdateKernels(): void {
  for (const backendName of fusedBackends) {
    const { read, output } = access[backendName];
    const loops = { [fusedKernelNames.sgd]: sgdLoop, [fusedKernelNames.adam]: adamLoop } as const;
    for (const [kernelName, loop] of Object.entries(loops)) {
      if (tf.getKernel(kernelName, backendName)) continue;
      tf.registerKernel({
        kernelName,
        backendName,
        kernelFunc: ({ inputs, attrs, backend }) => {
          const variable = inputs.variable as tf.TensorInfo;
          const kernelBackend = backend as tf.KernelBackend;
          const out = output(kernelBackend, variable.shape);
          // Read after the output is made: making it may grow wasm's heap and detach older views.
          const w = read(kernelBackend, variable);
          const g = read(kernelBackend, inputs.gradient as tf.TensorInfo);
          (loop as Loop<unknown>)(out.values, w, g, attrs);
          return out.info;
        },
      });
    }
  }
}

/** Applies one optimizer step to every variable with its gradient. */
export interface FusedUpdater {
  apply(variables: tf.Variable[], gradients: tf.Tensor[], learningRate: number): void;
}

function run(kernelName: string, variable: tf.Variable, gradient: tf.Tensor, attrs: SgdAttrs | AdamAttrs): void {
  const next = tf.engine().runKernel(kernelName, { variable, gradient }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor;
  variable.assign(next);
  next.dispose();
}

/** The fused updater for this optimizer on the current backend, or null where tfjs's own runs. */
export function fusedUpdater(name: OptimizerName, backendName: string = tf.getBackend()): FusedUpdater | null {
  if (!(fusedBackends as readonly string[]).includes(backendName)) return null;
  if (name === 'sgd') {
    registerFusedUpdateKernels();
    return {
      apply: (variables, gradients, learningRate) =>
        variables.forEach((v, i) => run(fusedKernelNames.sgd, v, gradients[i] as tf.Tensor, { learningRate })),
    };
  }
  if (name === 'adam') {
    registerFusedUpdateKernels();
    const { beta1, beta2 } = optimizerDefaults.adam;
    const epsilon = tf.backend().epsilon();
    const moments = new Map<tf.Variable, { m: Float32Array; v: Float32Array }>();
    let step = 0;
    return {
      apply: (variables, gradients, learningRate) => {
        step += 1;
        const correction1 = 1 - beta1 ** step;
        const correction2 = 1 - beta2 ** step;
        variables.forEach((variable, i) => {
          let kept = moments.get(variable);
          if (!kept) {
            kept = { m: new Float32Array(variable.size), v: new Float32Array(variable.size) };
            moments.set(variable, kept);
          }
          const attrs: AdamAttrs = { learningRate, beta1, beta2, epsilon, correction1, correction2, ...kept };
          run(fusedKernelNames.adam, variable, gradients[i] as tf.Tensor, attrs);
        });
      },
    };
  }
  return null;
}
