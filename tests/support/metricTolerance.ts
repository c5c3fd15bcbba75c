/**
 * How close webgpu's metrics must be to wasm's for the same seed. Both run float32, but reductions
 * (matMul, sum, mean) add in a different order on the GPU, so losses drift by rounding: we allow
 * 1e-3 relative (plus 1e-5 absolute for losses near 0). Accuracies may differ by one row whose
 * prediction sits on a decision boundary.
 */
export const lossTolerance = { relative: 1e-3, absolute: 1e-5 };

/** Differences beyond the tolerance, one line each; empty when the two runs agree. */
export function metricMismatches(
  expected: readonly Record<string, number>[],
  actual: readonly Record<string, number>[],
  rows: { train: number; val: number },
): string[] {
  const problems: string[] = [];
  if (expected.length !== actual.length) problems.push(`epochs: ${expected.length} vs ${actual.length}`);
  expected.forEach((want, epoch) => {
    const got = actual[epoch] ?? {};
    for (const [name, value] of Object.entries(want)) {
      if (name === 'epoch_ms') continue;
      const other = got[name];
      if (other === undefined) {
        problems.push(`epoch ${epoch} ${name}: missing`);
        continue;
      }
      const allowed = name.includes('accuracy')
        ? 1 / (name.startsWith('val_') ? rows.val : rows.train) + 1e-9
        : lossTolerance.absolute + lossTolerance.relative * Math.abs(value);
      if (Math.abs(other - value) > allowed) problems.push(`epoch ${epoch} ${name}: wasm ${value}, webgpu ${other} (allowed ±${allowed.toPrecision(3)})`);
    }
  });
  return problems;
}
