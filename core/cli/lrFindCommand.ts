import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import type { LrFindResult } from '../api/lrFind.js';
import type { GlobalOptions } from './context.js';
import { withService } from './context.js';
import { formatNumber } from './output.js';
import { readSpec } from './specFile.js';
import { writeOut } from './terminalText.js';

function positiveNumber(name: string) {
  return (text: string): number => {
    const value = Number(text);
    if (!Number.isFinite(value) || value <= 0) throw new InvalidArgumentError(`${name} must be a positive number`);
    return value;
  };
}

/** The curve as rows of rate, smoothed loss and a bar, about `rows` of them, with the marks. */
export function lrFindText(result: LrFindResult, rows = 24): string {
  const { points } = result;
  const every = Math.max(1, Math.ceil(points.length / rows));
  const shown = points.filter((_, i) => i % every === 0 || i === points.length - 1);
  const finite = shown.map((p) => p.smoothed).filter(Number.isFinite);
  const [low, high] = [Math.min(...finite), Math.max(...finite)];
  const lines = shown.map((p) => {
    const width = Number.isFinite(p.smoothed) ? Math.round(((p.smoothed - low) / (high - low || 1)) * 40) : 40;
    const mark = p.lr === result.steepest ? ' <- steepest descent' : p.lr === result.minimum ? ' <- lowest loss' : '';
    return `${p.lr.toExponential(2).padStart(9)}  ${formatNumber(p.smoothed).padStart(9)}  ${'#'.repeat(width)}${mark}`;
  });
  const out = [
    `LR range test: ${result.params.optimizer}, batch ${result.params.batchSize}, ${points.length} batches on ${result.backend}${result.stoppedAt ? ` (stopped at lr ${result.stoppedAt.toExponential(2)}: the loss diverged)` : ''}`,
    '       lr   smoothed loss',
    ...lines,
    '',
  ];
  if (result.suggested) {
    const [a, b] = result.suggested.map((lr) => Number(lr.toPrecision(2)));
    out.push(`steepest descent at ${result.steepest?.toExponential(2)}, lowest loss at ${result.minimum?.toExponential(2)}`, `suggested: learningRate: { logUniform: [${a}, ${b}] }`);
  } else {
    out.push('no suggestion: the loss never fell over this range (try a wider --min-lr/--max-lr or more --steps)');
  }
  return out.join('\n') + '\n';
}

export function addLrFindCommand(program: Command, withGlobals: (command: Command) => Command): void {
  withGlobals(program.command('lr-find').argument('<spec>', 'search-space spec, YAML or JSON'))
    .description("Smith's learning-rate range test: one short run raising the rate per batch; prints loss against rate and the range to sweep")
    .option('--min-lr <lr>', 'first rate', positiveNumber('--min-lr'), 1e-6)
    .option('--max-lr <lr>', 'last rate', positiveNumber('--max-lr'), 1)
    .option('--steps <n>', 'batches (10 to 2000)', positiveNumber('--steps'), 100)
    .action(async (specPath: string, options: GlobalOptions & { minLr: number; maxLr: number; steps: number }) => {
      const spec = readSpec(specPath);
      await withService(options, async (service) => {
        const result = await service.specs.lrFind({ text: JSON.stringify(spec), minLr: options.minLr, maxLr: options.maxLr, steps: options.steps });
        writeOut(options.json ? JSON.stringify(result, null, 2) + '\n' : lrFindText(result));
      }, 'read');
    });
}
