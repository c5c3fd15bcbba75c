import * as tf from './tf.js';

/**
 * What tfjs-backend-wasm 4.22 lacks or does slowly on the training path:
 * - Conv2DBackpropFilter is missing: the filter gradient of every conv layer (a cnn fails on its
 *   first step without it).
 * - BatchMatMul and _FusedMatMul with transposeA/transposeB, which every dense layer's gradient
 *   uses, run 5-8x slower than a Transpose followed by a plain product (64x784 by 784x64 here:
 *   2.7-6 ms against 0.5 ms), so the wrapper transposes first.
 */
interface BackpropFilterAttrs {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape: [number, number, number, number];
}

/**
 * The filter gradient as one forward conv, so it runs on the backend's fast conv (XNNPACK in
 * wasm): swap the roles of batch and channels. With x as [inC, H, W, batch] and dy as a filter
 * [outH, outW, batch, outC] (dilated by the forward stride), conv2d(x, dy) is [inC, kH, kW, outC],
 * the gradient up to a transpose. 6-12x faster here than im2col with slices and one matMul.
 * Built from ops: the op hands the kernel Tensors, and the engine accepts a Tensor as output.
 */
export function conv2DBackpropFilterFromOps(x: tf.Tensor4D, dy: tf.Tensor4D, attrs: BackpropFilterAttrs): tf.Tensor4D {
  if (attrs.dataFormat !== 'NHWC') throw new Error('Conv2DBackpropFilter (wasm): only NHWC is supported');
  const [kH, kW] = attrs.filterShape;
  const info = tf.backend_util.computeConv2DInfo(
    x.shape, attrs.filterShape, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode,
  );
  const { top, bottom, left, right } = info.padInfo;
  return tf.tidy(() => {
    const padded = tf.pad(x, [[0, 0], [top, bottom], [left, right], [0, 0]]);
    const xT = tf.transpose(padded, [3, 1, 2, 0]);
    const dyT = tf.transpose(dy, [1, 2, 0, 3]);
    const dilations: [number, number] = [info.strideHeight, info.strideWidth];
    const full = tf.conv2d(xT, dyT, 1, 'valid', 'NHWC', dilations);
    // A stride that does not divide the padded size leaves extra rows/columns: keep kH x kW.
    const cut = tf.slice(full, [0, 0, 0, 0], [-1, kH, kW, -1]);
    return tf.transpose(cut, [1, 2, 0, 3]);
  });
}

type KernelFunc = tf.KernelConfig['kernelFunc'];
type MatMulName = 'BatchMatMul' | '_FusedMatMul';

// Marks our wrappers: the tfjs registry outlives a re-imported module (vitest re-runs modules in
// one process), so "already done" is read from the registry, not from a module variable.
const wrapperMark = Symbol.for('tunebench.wasmMatMulWrapper');

function swapLastTwo(t: tf.Tensor): tf.Tensor {
  const perm = t.shape.map((_, i) => i);
  const last = perm.length - 1;
  [perm[last - 1], perm[last]] = [last, last - 1];
  return tf.transpose(t, perm);
}

function wrapTransposes(name: MatMulName): void {
  const original = tf.getKernel(name, 'wasm');
  if (!original || wrapperMark in original.kernelFunc) return;
  const inner = original.kernelFunc;
  const kernelFunc: KernelFunc = (args) => {
    const attrs = args.attrs as { transposeA?: boolean; transposeB?: boolean } | undefined;
    if (!attrs?.transposeA && !attrs?.transposeB) return inner(args);
    const made: tf.Tensor[] = [];
    const flip = (t: tf.TensorInfo | undefined): tf.Tensor => {
      const out = swapLastTwo(t as tf.Tensor);
      made.push(out);
      return out;
    };
    const inputs = { ...args.inputs };
    if (attrs.transposeA) inputs.a = flip(inputs.a);
    if (attrs.transposeB) inputs.b = flip(inputs.b);
    const out = inner({ ...args, inputs, attrs: { ...args.attrs, transposeA: false, transposeB: false } });
    tf.dispose(made);
    return out;
  };
  Object.defineProperty(kernelFunc, wrapperMark, { value: true });
  tf.unregisterKernel(name, 'wasm');
  tf.registerKernel({ ...original, kernelFunc });
}

/** Registers the missing kernels and the matMul wrappers for 'wasm'; safe to call again. */
export function registerWasmTrainingKernels(): void {
  wrapTransposes('BatchMatMul');
  wrapTransposes('_FusedMatMul');
  if (tf.getKernel('Conv2DBackpropFilter', 'wasm')) return;
  tf.registerKernel({
    kernelName: 'Conv2DBackpropFilter',
    backendName: 'wasm',
    kernelFunc: ({ inputs, attrs }) =>
      conv2DBackpropFilterFromOps(
        inputs.x as tf.Tensor4D,
        inputs.dy as tf.Tensor4D,
        attrs as unknown as BackpropFilterAttrs,
      ),
  });
}
