import * as tf from './tf.js';
import type { OptimizerName } from '../api/spec.js';
import { access, adamSteps, fusedBackends, sgdSteps, type AdamState } from './fusedUpdates.js';
import { optimizerDefaults } from './optimizers.js';

/**
 * The optimizer step of a packed model: one kernel per variable of shape [K, ...], member k's
 * slice updated by member k's own rule, rate and momentum. Same arithmetic as fusedUpdates.ts
 * (sgd, adam) and tfjs's MomentumOptimizer (momentum, nesterov), in float64 stored as float32.
 * Member slices never read each other, so a NaN in one member stays in that member.
 * Registered for wasm and cpu; packing is not offered on other backends.
 */
export const packedKernelName = 'TunebenchPackedUpdate';

const ruleCodes: Partial<Record<OptimizerName, number>> = { sgd: 0, momentum: 1, nesterov: 2, adam: 3 };

/** m holds adam's first moment or, for momentum and nesterov, the accumulation. */
interface PackedAttrs extends AdamState {
  rules: number[];
  rates: number[];
  momenta: number[];
}

function updateSlice(out: Float32Array, w: Float32Array, g: Float32Array, a: PackedAttrs, member: number, from: number, to: number): void {
  const rule = a.rules[member];
  const lr = a.rates[member] as number;
  const { m } = a;
  if (rule === 0) {
    sgdSteps(out, w, g, lr, from, to);
  } else if (rule === 1 || rule === 2) {
    const mu = a.momenta[member] as number;
    for (let i = from; i < to; i++) {
      const gi = g[i] as number;
      const acc = Math.fround(mu * (m[i] as number) + gi);
      m[i] = acc;
      out[i] = (w[i] as number) - lr * (rule === 2 ? gi + acc * mu : acc);
    }
  } else {
    adamSteps(out, w, g, a, lr, from, to);
  }
}

export function registerPackedUpdateKernel(): void {
  for (const backendName of fusedBackends) {
    if (tf.getKernel(packedKernelName, backendName)) continue;
    const { read, output } = access[backendName];
    tf.registerKernel({
      kernelName: packedKernelName,
      backendName,
      kernelFunc: ({ inputs, attrs, backend }) => {
        const variable = inputs.variable as tf.TensorInfo;
        const kernelBackend = backend as tf.KernelBackend;
        const out = output(kernelBackend, variable.shape);
        // Read after the output is made: making it may grow wasm's heap and detach older views.
        const w = read(kernelBackend, variable);
        const g = read(kernelBackend, inputs.gradient as tf.TensorInfo);
        const a = attrs as unknown as PackedAttrs;
        const per = w.length / a.rules.length;
        for (let member = 0; member < a.rules.length; member++) updateSlice(out.values, w, g, a, member, member * per, (member + 1) * per);
        return out.info;
      },
    });
  }
}

/** Whether packed training runs on this backend. */
export function hasPackedUpdate(backendName: string = tf.getBackend()): boolean {
  return (fusedBackends as readonly string[]).includes(backendName);
}

/** The members' optimizers, for the packed update. */
export interface PackedOptimizer {
  optimizer: OptimizerName;
  momentum?: number;
}

/**
 * Steps a packed model's variables. `keep(positions)` follows the pack when members drop out:
 * the moments of the members kept stay with them.
 */
export class PackedUpdater {
  private moments = new Map<tf.Variable, { m: Float32Array; v: Float32Array }>();
  private step = 0;
  private rules: number[];
  private momenta: number[];

  constructor(members: readonly PackedOptimizer[]) {
    registerPackedUpdateKernel();
    this.rules = members.map((member) => {
      const code = ruleCodes[member.optimizer];
      if (code === undefined) throw new Error(`optimizer ${member.optimizer} cannot be packed`);
      return code;
    });
    this.momenta = members.map((member) => member.momentum ?? optimizerDefaults.momentum);
  }

  apply(variables: tf.Variable[], gradients: tf.Tensor[], rates: number[]): void {
    this.step += 1;
    const { beta1, beta2 } = optimizerDefaults.adam;
    const shared = { rules: this.rules, rates, momenta: this.momenta, beta1, beta2, epsilon: tf.backend().epsilon(), correction1: 1 - beta1 ** this.step, correction2: 1 - beta2 ** this.step };
    variables.forEach((variable, i) => {
      let kept = this.moments.get(variable);
      if (!kept) {
        kept = { m: new Float32Array(variable.size), v: new Float32Array(variable.size) };
        this.moments.set(variable, kept);
      }
      const next = tf.engine().runKernel(packedKernelName, { variable, gradient: gradients[i] as tf.Tensor }, { ...shared, ...kept } as unknown as tf.NamedAttrMap) as tf.Tensor;
      variable.assign(next);
      next.dispose();
    });
  }

  /** Keeps only the members at `positions` (in order); `replaced` maps each old variable to its new one. */
  keep(positions: readonly number[], replaced: ReadonlyMap<tf.Variable, tf.Variable>): void {
    const count = this.rules.length;
    const moments = new Map<tf.Variable, { m: Float32Array; v: Float32Array }>();
    for (const [old, kept] of this.moments) {
      const next = replaced.get(old);
      if (!next) continue;
      const per = kept.m.length / count;
      const pick = (values: Float32Array) => {
        const out = new Float32Array(per * positions.length);
        positions.forEach((position, i) => out.set(values.subarray(position * per, (position + 1) * per), i * per));
        return out;
      };
      moments.set(next, { m: pick(kept.m), v: pick(kept.v) });
    }
    this.moments = moments;
    this.rules = positions.map((position) => this.rules[position] as number);
    this.momenta = positions.map((position) => this.momenta[position] as number);
  }
}
