/**
 * The one tfjs import of the training code: tfjs-core, tfjs-layers (whose Node build also
 * registers every gradient) and the cpu backend, the lean set a worker needs. The full
 * `@tensorflow/tfjs` bundle adds the converter, tfjs-data and webgl, which a worker never uses
 * and which made its start-up several times slower. Chained ops (`tensor.add(...)`) are not
 * registered: call the functional ops (`tf.add(tensor, ...)`).
 */
import '@tensorflow/tfjs-backend-cpu';

export * from '@tensorflow/tfjs-core';
export * from '@tensorflow/tfjs-layers';
