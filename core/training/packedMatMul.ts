import * as tf from './tf.js';
import { registerOnce, type WasmHeap } from './fusedUpdates.js';

/**
 * [K, m, n] x [K, n, p] on wasm as K single matMuls inside one kernel: wasm 4.22's BatchMatMul
 * runs a batch as a plain loop, ~16x slower than its XNNPACK path for one matrix on a pack's
 * shapes, and K tfjs matMuls on unstacked slices pay tfjs's per-op cost (Unpack, Pack, the tape's
 * copies) that packing is meant to save. Each member's slices are copied into scratch tensors of
 * the backend and multiplied by the backend's own BatchMatMul function with a batch of one.
 * Transposes are done here on the slices, so XNNPACK always sees plain operands.
 */
const kernelName = 'TunebenchPackedMatMul';

interface WasmBackend extends WasmHeap<Float32Array> {
  wasm: { cwrap(name: string, ret: null, args: string[]): (...args: unknown[]) => void };
  dataIdMap: { get(id: tf.DataId): { id: number } };
  disposeData(id: tf.DataId): void;
}

interface Attrs {
  transposeA: boolean;
  transposeB: boolean;
}

let batchMatMul: ((...args: unknown[]) => void) | null = null;

/** rows x cols (row-major) from `from` at `offset`, transposed or not, into `to`. */
function copy(from: Float32Array, offset: number, rows: number, cols: number, isTransposed: boolean, to: Float32Array): void {
  if (!isTransposed) {
    to.set(from.subarray(offset, offset + rows * cols));
    return;
  }
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) to[c * rows + r] = from[offset + r * cols + c] as number;
}

function run(backend: WasmBackend, a: tf.TensorInfo, b: tf.TensorInfo, attrs: Attrs): tf.TensorInfo {
  batchMatMul ??= backend.wasm.cwrap('BatchMatMul', null, ['number', 'array', 'number', 'number', 'array', 'number', 'number', 'number', 'number']);
  const [members, aRows, aCols] = a.shape as [number, number, number];
  const [, bRows, bCols] = b.shape as [number, number, number];
  const [m, n] = attrs.transposeA ? [aCols, aRows] : [aRows, aCols];
  const p = attrs.transposeB ? bRows : bCols;
  const out = backend.makeOutput([members, m, p], 'float32');
  const shapeA = new Uint8Array(new Int32Array([1, m, n]).buffer);
  const shapeB = new Uint8Array(new Int32Array([1, n, p]).buffer);
  for (let k = 0; k < members; k++) {
    // Fresh scratch per member: XNNPACK keeps the weights it packed by the b operand's tensor id
    // (dropped when that tensor is disposed), so a reused b would multiply by stale weights.
    const scratch = [backend.makeOutput([1, m, n], 'float32'), backend.makeOutput([1, n, p], 'float32'), backend.makeOutput([1, m, p], 'float32')] as const;
    const [scratchA, scratchB, scratchOut] = scratch;
    // Views are taken afresh each time: making a tensor may grow wasm's heap and detach older ones.
    copy(backend.typedArrayFromHeap(a), k * aRows * aCols, aRows, aCols, attrs.transposeA, backend.typedArrayFromHeap(scratchA));
    copy(backend.typedArrayFromHeap(b), k * bRows * bCols, bRows, bCols, attrs.transposeB, backend.typedArrayFromHeap(scratchB));
    const ids = scratch.map((info) => backend.dataIdMap.get(info.dataId).id);
    batchMatMul(ids[0], shapeA, 3, ids[1], shapeB, 3, false, false, ids[2]);
    backend.typedArrayFromHeap(out).set(backend.typedArrayFromHeap(scratchOut), k * m * p);
    for (const info of scratch) backend.disposeData(info.dataId);
  }
  return out;
}

const register = registerOnce(() => {
  if (tf.getKernel(kernelName, 'wasm')) return;
  tf.registerKernel({
    kernelName,
    backendName: 'wasm',
    kernelFunc: ({ inputs, attrs, backend }) => run(backend as unknown as WasmBackend, inputs.a as tf.TensorInfo, inputs.b as tf.TensorInfo, attrs as unknown as Attrs),
  });
  tf.registerGradient({
    kernelName,
    inputsToSave: ['a', 'b'],
    gradFunc: (dy, saved) => {
      const [a, b] = saved as [tf.Tensor, tf.Tensor];
      return {
        a: () => packedMatMul(dy as tf.Tensor, b, false, true),
        b: () => packedMatMul(a, dy as tf.Tensor, true, false),
      };
    },
  });
});

/** Member k's a[k] (transposed if asked) times b[k], for every k: [K, m, p]. wasm only. */
export function packedMatMul(a: tf.Tensor, b: tf.Tensor, transposeA = false, transposeB = false): tf.Tensor {
  register();
  return tf.engine().runKernel(kernelName, { a, b }, { transposeA, transposeB } as unknown as tf.NamedAttrMap) as tf.Tensor;
}
