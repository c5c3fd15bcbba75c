import * as tf from './tf.js';
import type { WasmHeap } from './fusedUpdates.js';

/**
 * What tfjs-backend-wasm 4.22 lacks or does slowly on the training path:
 * - Conv2DBackpropFilter is missing: the filter gradient of every conv layer (a cnn fails on its
 *   first step without it).
 * - BatchMatMul and _FusedMatMul with transposeA/transposeB, which every dense layer's gradient
 *   uses, run 5-8x slower than a Transpose followed by a plain product (64x784 by 784x64 here:
 *   2.7-6 ms against 0.5 ms), so the wrapper transposes first. Below ~4k multiply-adds (iris's
 *   16x4 by 16x16) the Transpose's own dispatch costs more than it saves, so BatchMatMul skips it
 *   there; _FusedMatMul always transposes, because its own transposed path is wrong.
 * - Slice and SplitV copy the whole input out of the heap for every slice taken, so a chunk of 64
 *   batches split into batches was copied 64 times; a contiguous slice now copies its own rows.
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

/** Below this many multiply-adds a transposed product runs as it is (see the top of the file). */
export const smallProductMacs = 4096;

function productMacs(a: tf.TensorInfo, b: tf.TensorInfo, transposeA: boolean): number {
  const rank = a.shape.length;
  const inner = a.shape[transposeA ? rank - 2 : rank - 1] ?? 1;
  return (tf.util.sizeFromShape(a.shape) / inner) * tf.util.sizeFromShape(b.shape);
}

/** Replaces a wasm kernel by `wrap(original)`, once: later calls find the mark and leave it. */
function wrapKernel(name: string, wrap: (inner: KernelFunc) => KernelFunc): void {
  const original = tf.getKernel(name, 'wasm');
  if (!original || wrapperMark in original.kernelFunc) return;
  const kernelFunc = wrap(original.kernelFunc);
  Object.defineProperty(kernelFunc, wrapperMark, { value: true });
  tf.unregisterKernel(name, 'wasm');
  tf.registerKernel({ ...original, kernelFunc });
}

function wrapTransposes(name: MatMulName): void {
  wrapKernel(name, (inner) => (args) => {
    const attrs = args.attrs as { transposeA?: boolean; transposeB?: boolean } | undefined;
    if (!attrs?.transposeA && !attrs?.transposeB) return inner(args);
    // _FusedMatMul with transposes computes wrong values in 4.22 (wasmKernels.test.ts): always transposed first.
    if (name === 'BatchMatMul' && productMacs(args.inputs.a as tf.TensorInfo, args.inputs.b as tf.TensorInfo, attrs.transposeA === true) < smallProductMacs) return inner(args);
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
  });
}

const heapTypes: readonly tf.DataType[] = ['float32', 'int32', 'bool'];

/** x[begin, begin + size) copied from the heap, or null where that is not one block of plain numbers. */
function contiguousSlice(backend: WasmHeap, x: tf.TensorInfo, begin: number[], size: number[]): tf.TensorInfo | null {
  if (!heapTypes.includes(x.dtype)) return null;
  const [begin_, size_] = tf.slice_util.parseSliceParams(x as tf.Tensor, begin, size) as [number[], number[]];
  if (!tf.slice_util.isSliceContinous(x.shape, begin_, size_)) return null;
  const offset = tf.slice_util.computeFlatOffset(begin_, tf.util.computeStrides(x.shape));
  const out = backend.makeOutput(size_, x.dtype);
  // Views read after makeOutput: a heap that grows detaches older views.
  const values = backend.typedArrayFromHeap(x);
  backend.typedArrayFromHeap(out).set(values.subarray(offset, offset + tf.util.sizeFromShape(size_)));
  return out;
}

function wrapSlices(): void {
  wrapKernel('Slice', (inner) => (args) => {
    const { begin, size } = args.attrs as unknown as { begin: number[]; size: number[] };
    return contiguousSlice(args.backend as unknown as WasmHeap, args.inputs.x as tf.TensorInfo, begin, size) ?? inner(args);
  });
  wrapKernel('SplitV', (inner) => (args) => {
    const x = args.inputs.x as tf.TensorInfo;
    const { numOrSizeSplits, axis } = args.attrs as unknown as { numOrSizeSplits: number[] | number; axis: number };
    const along = tf.util.parseAxisParam(axis, x.shape)[0];
    if (along !== 0 || !heapTypes.includes(x.dtype)) return inner(args);
    const begin = x.shape.map(() => 0);
    return tf.backend_util.prepareSplitSize(x as tf.Tensor, numOrSizeSplits, 0).map((rows) => {
      const part = contiguousSlice(args.backend as unknown as WasmHeap, x, [...begin], [rows, ...x.shape.slice(1)]) as tf.TensorInfo;
      begin[0] = (begin[0] as number) + rows;
      return part;
    });
  });
}

/** Registers the missing kernels and the matMul wrappers for 'wasm'; safe to call again. */
export function registerWasmTrainingKernels(): void {
  wrapTransposes('BatchMatMul');
  wrapTransposes('_FusedMatMul');
  wrapSlices();
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
