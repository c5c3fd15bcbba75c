import { describe, expect, it } from 'vitest';
import { TunebenchError } from '../../../core/api/errors.js';
import { describeError } from './errorText.js';

describe('describeError', () => {
  it('shows a TunebenchError with a heading from its code and every issue', () => {
    const error = new TunebenchError('SPEC_INVALID', 'spec has 2 problems', [
      { where: '/space/optimizer', message: 'unknown optimizer "adamw"' },
      { where: '/epochs', message: 'must be at least 1' },
    ]);
    expect(describeError(error)).toEqual({
      title: 'The spec is not valid',
      message: 'spec has 2 problems',
      issues: [
        { where: '/space/optimizer', message: 'unknown optimizer "adamw"' },
        { where: '/epochs', message: 'must be at least 1' },
      ],
    });
  });

  it('drops a message that only repeats its issues', () => {
    const error = new TunebenchError('SPEC_INVALID', 'invalid spec: /space/optimizer: unknown optimizer "adamw"', [
      { where: '/space/optimizer', message: 'unknown optimizer "adamw"' },
    ]);
    expect(describeError(error).message).toBe('Fix the fields listed below.');
    expect(describeError(error, 'The study was not launched.').message).toBe('The study was not launched.');
    expect(describeError(error).issues).toHaveLength(1);
  });

  it('leads a real message with its context', () => {
    expect(describeError(new Error('disk full'), 'Not saved.').message).toBe('Not saved. disk full');
  });

  it('falls back for plain errors and thrown strings', () => {
    expect(describeError(new Error('boom'))).toEqual({ title: 'Something went wrong', message: 'boom', issues: [] });
    expect(describeError('nope').message).toBe('nope');
  });
});

describe('dataset error titles', () => {
  // The messages and issues as the service sends them for each case (checked against a real run).
  const mismatch = (message: string, issues: { where: string; message: string }[] = []) => new TunebenchError('DATASET_MISMATCH', message, issues);
  const cases: [TunebenchError, string][] = [
    [mismatch('one-class.csv: target "label" has 1 distinct value(s); a classification target needs at least 2', [{ where: 'column "label"', message: 'fewer than 2 classes' }]), 'The target has only one value'],
    [
      mismatch('The spec does not fit the dataset: /validationSplit: 2 row(s) cannot be split into training and validation parts (at least 2 rows to train on)', [
        { where: '/validationSplit', message: '2 row(s) cannot be split into training and validation parts (at least 2 rows to train on)' },
      ]),
      'Too few rows to train on',
    ],
    [mismatch('dataset "one" has 1 row(s); at least 2 are needed for a training, a validation part'), 'Too few rows to train on'],
    [mismatch('a.csv: target column "y" is not in the table; the columns are: "x"', [{ where: '/dataset/target', message: '"y" is not a column of the table' }]), 'The target column is not in the file'],
    [mismatch('a.csv: the table has only the target column "y"; no features to learn from'), 'The file has no feature columns'],
    [mismatch('a.csv: every row\'s target "y" is missing', [{ where: 'column "y"', message: 'all missing' }]), 'The target column is empty'],
    [
      mismatch('a.csv: dropColumns: "z" is not a column of the table; the columns are: "x", "y"', [{ where: '/dataset/dropColumns/0', message: '"z" is not a column of the table' }]),
      'Check the columns left out',
    ],
    [mismatch('a.csv: column "id" has 900 distinct text values (at most 200 can be one-hot encoded)', [{ where: 'column "id"', message: '900 categories' }]), 'A text column has too many different values'],
    [mismatch('a.csv: target "y" holds text, so it cannot be a regression target; use task: classification'), 'The target is text, not a number'],
    [mismatch('a.csv: target "y" has 500 distinct values, too many classes (at most 100)'), 'The target has too many classes'],
    [mismatch('The spec does not fit the dataset: /objective/metric: val_mae is for regression', [{ where: '/objective/metric', message: 'val_mae is for regression' }]), 'The metric does not fit the task'],
    [mismatch('The spec does not fit the dataset: /model/type: a cnn needs image data', [{ where: '/model/type', message: 'a cnn needs image data' }]), 'The model does not fit the dataset'],
    [mismatch('dataset csv:a has changed since the study started: its fingerprint is 0123…', [{ where: '/dataset', message: 'fingerprint mismatch' }]), 'The dataset changed since the study started'],
    [mismatch('something new the data layer says'), 'The dataset does not fit this study'],
  ];

  it('gives each way a table fails its own heading, and only a changed file the "changed" one', () => {
    for (const [error, title] of cases) expect(describeError(error).title, error.message).toBe(title);
    const changed = cases.filter(([error]) => describeError(error).title.includes('changed'));
    expect(changed).toHaveLength(1);
  });

  it('lets a dialog name what a code means there', () => {
    const taken = new TunebenchError('CONFLICT', 'a study named "a" exists already; choose another name');
    expect(describeError(taken, '', { CONFLICT: 'That name is already taken' }).title).toBe('That name is already taken');
    expect(describeError(taken).title).toBe('Not possible right now');
  });
});
