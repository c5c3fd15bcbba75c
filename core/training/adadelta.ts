import * as tf from './tf.js';

/** Zeiler's constants (ADADELTA, 2012, section 4: rho 0.95, epsilon 1e-6) and Keras's rate. */
export const adadeltaDefaults = { learningRate: 1.0, rho: 0.95, epsilon: 1e-6 } as const;

interface Slots {
  /** E[g^2], the running mean of squared gradients. */
  meanSquareGrad: tf.Variable;
  /** E[dx^2], the running mean of squared updates. */
  meanSquareUpdate: tf.Variable;
}

/**
 * ADADELTA as Zeiler wrote it (Algorithm 1): the step's gradient enters E[g^2] first, and the
 * update divides by that new RMS[g]:
 *   E[g^2]_t  = rho E[g^2]_{t-1} + (1 - rho) g^2
 *   dx_t      = -RMS[dx]_{t-1} / RMS[g]_t * g,   RMS[v] = sqrt(v + epsilon)
 *   E[dx^2]_t = rho E[dx^2]_{t-1} + (1 - rho) dx^2
 *   x        += learningRate * dx_t               (learningRate 1.0 is the paper's rule)
 * tfjs's AdadeltaOptimizer divides by the RMS from before the step instead: its first step is
 * sqrt(eps)/sqrt(eps) * g, a plain SGD step of size lr, not the tiny step the paper starts with.
 */
export class ZeilerAdadelta extends tf.Optimizer {
  static get className(): string {
    return 'ZeilerAdadelta';
  }

  learningRate: number;
  private readonly slots = new Map<string, Slots>();

  constructor(
    learningRate: number = adadeltaDefaults.learningRate,
    readonly rho: number = adadeltaDefaults.rho,
    readonly epsilon: number = adadeltaDefaults.epsilon,
  ) {
    super();
    this.learningRate = learningRate;
  }

  applyGradients(variableGradients: tf.NamedTensorMap | { name: string; tensor: tf.Tensor }[]): void {
    const named = Array.isArray(variableGradients)
      ? variableGradients
      : Object.entries(variableGradients).map(([name, tensor]) => ({ name, tensor }));
    for (const { name, tensor: gradient } of named) {
      const value = tf.engine().registeredVariables[name];
      if (!value || !gradient) continue;
      const slots = this.slotsFor(name, value);
      tf.tidy(() => {
        const meanSquareGrad = tf.add(tf.mul(slots.meanSquareGrad, this.rho), tf.mul(tf.square(gradient), 1 - this.rho));
        const rmsUpdate = tf.sqrt(tf.add(slots.meanSquareUpdate, this.epsilon));
        const rmsGrad = tf.sqrt(tf.add(meanSquareGrad, this.epsilon));
        const update = tf.mul(tf.div(rmsUpdate, rmsGrad), gradient);
        slots.meanSquareGrad.assign(meanSquareGrad);
        slots.meanSquareUpdate.assign(tf.add(tf.mul(slots.meanSquareUpdate, this.rho), tf.mul(tf.square(update), 1 - this.rho)));
        value.assign(tf.sub(value, tf.mul(update, this.learningRate)));
      });
    }
    this.incrementIterations();
  }

  override dispose(): void {
    for (const slots of this.slots.values()) tf.dispose([slots.meanSquareGrad, slots.meanSquareUpdate]);
    this.slots.clear();
  }

  getConfig(): tf.serialization.ConfigDict {
    return { learningRate: this.learningRate, rho: this.rho, epsilon: this.epsilon };
  }

  private slotsFor(name: string, value: tf.Variable): Slots {
    let slots = this.slots.get(name);
    if (!slots) {
      slots = tf.tidy(() => ({
        meanSquareGrad: tf.variable(tf.zerosLike(value), false),
        meanSquareUpdate: tf.variable(tf.zerosLike(value), false),
      }));
      this.slots.set(name, slots);
    }
    return slots;
  }
}
