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
