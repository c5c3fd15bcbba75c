/** core/space: the search-space spec — parsing, validation, grid expansion and sampling. */
export { parseSpecText, validateSpec, maxAliasCount, maxSpecChars } from './parseSpec.js';
export { checkSpec } from './checkSpec.js';
export { expandGrid, gridSize, maxGridTrials } from './grid.js';
export { applicableParams, conditionalParams, conditionalNames } from './conditional.js';
export type { ConditionalName, ConditionalParam } from './conditional.js';
export { batchValueCount, batchValues, numericGridValues, roundSignificant } from './domains.js';
export { nextDouble, sampleBatch, sampleChoice, sampleNumeric } from './sample.js';
export { dimensionNames, sampleTrialParams } from './sampleParams.js';
export type { DimensionName } from './sampleParams.js';
