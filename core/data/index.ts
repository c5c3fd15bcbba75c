/** core/data: built-in datasets, CSV import, seeded splits and standardisation. */
export { builtinNames, listBuiltinDatasets, loadBuiltinDataset } from './builtins/registry.js';
export { loadCsvFile, parseCsvBytes, parseCsvText, type CsvOptions } from './csvDataset.js';
export { previewCsv } from './csvPreview.js';
export { maxCsvColumns } from './csvTable.js';
export { maxCsvBytes } from './csvText.js';
export type { Dataset, DatasetSplit } from './dataset.js';
export { maxCategories, missingCategory, missingRule } from './encodeTable.js';
export { copyFileByContent, keepCsvByContent, keepFileByContent, safeCsvName } from './keepByContent.js';
export { previewSummary } from './csvPreview.js';
export { describeCsvInThread, scanCsvInThread } from './csvScanThread.js';
export { csvUploadsDir, receiveUpload, removeUpload, uploadFile, uploadIdPattern, writeUpload } from './csvUploads.js';
export { checkCsvText, csvTooLarge } from './csvText.js';
export { contentHash } from './keepByContent.js';
export { describeDataset, loadDataset, loadDatasetSource, resolveDatasetRef, type DescribedDataset, type LoadedDataset } from './loadDataset.js';
export { splitDataset } from './split.js';
