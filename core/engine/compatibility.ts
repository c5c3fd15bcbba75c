import { partRows } from '../api/dataNotes.js';
import type { DatasetInfo } from '../api/domain.js';
import { TunebenchError } from '../api/errors.js';
import type { StudySpec } from '../api/spec.js';

/** Rejects, before anything is stored, a spec that cannot train on this dataset. */
export function checkCompatibility(spec: StudySpec, dataset: DatasetInfo): void {
  const issues: { where: string; message: string }[] = [];
  const { metric } = spec.objective;
  const isClassification = dataset.task === 'classification';
  if (isClassification && metric.endsWith('mae')) {
    issues.push({ where: '/objective/metric', message: `${metric} is for regression; ${dataset.name} is a classification task (use val_accuracy or val_loss)` });
  }
  if (!isClassification && metric.endsWith('accuracy')) {
    issues.push({ where: '/objective/metric', message: `${metric} is for classification; ${dataset.name} is a regression task (use val_mae or val_loss)` });
  }
  if (spec.model.type === 'cnn' && !dataset.imageShape) {
    issues.push({ where: '/model/type', message: `a cnn needs image data; ${dataset.name} is a table (use mlp)` });
  }
  if (spec.model.type === 'linear' && isClassification) {
    issues.push({ where: '/model/type', message: `linear regression cannot classify ${dataset.name}; use logistic or mlp` });
  }
  if (spec.model.type === 'logistic' && !isClassification) {
    issues.push({ where: '/model/type', message: `logistic regression needs classes; ${dataset.name} is a regression task (use linear or mlp)` });
  }
  const parts = partRows(dataset.rows, spec.validationSplit, spec.testSplit);
  if (parts.train < 2 || parts.validation < 1) {
    const what = spec.testSplit === undefined ? 'training and validation parts' : 'training, validation and test parts';
    issues.push({ where: spec.testSplit === undefined ? '/validationSplit' : '/testSplit', message: `${dataset.rows} row(s) cannot be split into ${what} (at least 2 rows to train on)` });
  }
  if (issues.length > 0) {
    const first = issues[0]!;
    throw new TunebenchError('DATASET_MISMATCH', `The spec does not fit the dataset: ${first.where}: ${first.message}`, issues);
  }
}
