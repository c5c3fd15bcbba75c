import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from './tf.js';

const modelFile = 'model.json';
const weightsFile = 'weights.bin';

/** Writes a file whole or not at all: a crash mid-write never leaves a torn model. */
async function writeAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const temp = `${path}.${process.pid}.tmp`;
  await writeFile(temp, data);
  await rename(temp, path);
}

/**
 * A tfjs IOHandler that saves a layers model as `dir/model.json` + `dir/weights.bin` (the format
 * tfjs-node's file:// handler writes and tf.loadLayersModel reads), with node:fs only: file:// needs
 * tfjs-node, which we cannot count on.
 */
export function fileSaveHandler(dir: string): tf.io.IOHandler {
  return tf.io.withSaveHandler(async (artifacts) => {
    await mkdir(dir, { recursive: true });
    const weights = new Uint8Array(tf.io.CompositeArrayBuffer.join(artifacts.weightData));
    const json: tf.io.ModelJSON = {
      modelTopology: artifacts.modelTopology ?? {},
      format: artifacts.format ?? 'layers-model',
      generatedBy: artifacts.generatedBy ?? `TensorFlow.js tfjs-layers v${tf.version_layers}`,
      convertedBy: null,
      weightsManifest: [{ paths: [`./${weightsFile}`], weights: artifacts.weightSpecs ?? [] }],
    };
    if (artifacts.trainingConfig) json.trainingConfig = artifacts.trainingConfig;
    await writeAtomic(join(dir, weightsFile), weights);
    await writeAtomic(join(dir, modelFile), JSON.stringify(json));
    return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
  });
}

/** Reads what fileSaveHandler wrote (for exports and tests). */
export function fileLoadHandler(dir: string): tf.io.IOHandler {
  return {
    load: async () => {
      const json = JSON.parse(await readFile(join(dir, modelFile), 'utf8')) as tf.io.ModelJSON;
      return tf.io.getModelArtifactsForJSON(json, async (manifest) => {
        const specs = manifest.flatMap((group) => group.weights);
        const buffers = await Promise.all(
          manifest.flatMap((group) => group.paths.map((path) => readFile(join(dir, path)))),
        );
        const bytes = Buffer.concat(buffers);
        const data = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
        return [specs, data];
      });
    },
  };
}

export async function saveModelTo(model: tf.LayersModel, dir: string): Promise<void> {
  await model.save(fileSaveHandler(dir));
}
