// `npm run bench`: figures measured side by side in one run, printed as ratios (machines here are
// noisy, so absolute times mean little). Results also go to bench/results/latest.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { type PoolTiming, shortTrialsSpec, timeBare, timePool } from './engineBench.js';
import { metricInsertRate } from './storeBench.js';

const only = process.argv.slice(2);
const wants = (name: string) => only.length === 0 || only.includes(name);
const rows: { figure: string; value: string; target: string; ok: boolean | null }[] = [];
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const log = (text: string) => process.stderr.write(text + '\n');

if (wants('overhead')) {
  // Interleaved A/B rounds so drift on a shared machine hits both sides alike.
  const spec = shortTrialsSpec(16);
  const pool: number[] = [];
  const bare: number[] = [];
  for (let round = 0; round < 3; round += 1) {
    bare.push((await timeBare(spec)).ms);
    pool.push((await timePool(spec, 1)).ms);
    log(`overhead round ${round + 1}: bare ${bare.at(-1)!.toFixed(0)} ms, pool ${pool.at(-1)!.toFixed(0)} ms`);
  }
  const ratio = median(pool) / median(bare);
  rows.push({ figure: 'engine overhead: 16 iris trials via pool+SQLite / one bare process', value: ratio.toFixed(3), target: '<= 1.10', ok: ratio <= 1.1 });
}

if (wants('speedup')) {
  // The compiled worker, as an installed tunebench starts it (the sources' tsx start is slower).
  const { spawnSync } = await import('node:child_process');
  spawnSync(process.execPath, [new URL('../scripts/buildCli.js', import.meta.url).pathname], { stdio: 'inherit' });
  // Medians of interleaved rounds: on a shared 2-core VM one round moves by up to a quarter.
  const rounds = 5;
  const spec = shortTrialsSpec(24, { epochs: 60 });
  const one: PoolTiming[] = [];
  const two: PoolTiming[] = [];
  for (let round = 0; round < rounds; round += 1) {
    one.push(await timePool(spec, 1));
    two.push(await timePool(spec, 2));
    log(`speed-up round ${round + 1}: 1 worker ${one.at(-1)!.ms.toFixed(0)} ms, 2 workers ${two.at(-1)!.ms.toFixed(0)} ms`);
  }
  const endToEnd = median(one.map((t) => t.ms)) / median(two.map((t) => t.ms));
  const steady = median(two.map((t) => t.steadyTrialsPerSecond)) / median(one.map((t) => t.steadyTrialsPerSecond));
  rows.push({ figure: `2-worker speed-up on ${availableParallelism()} cores, 24 iris trials, end to end`, value: `${endToEnd.toFixed(2)}x`, target: '>= 1.7x', ok: endToEnd >= 1.7 });
  rows.push({ figure: '2-worker speed-up, steady state (first trial per worker left out)', value: `${steady.toFixed(2)}x`, target: '>= 1.7x', ok: steady >= 1.7 });
  // As the app and serve run a second sweep: both workers kept warm from the one before.
  const warmOne: PoolTiming[] = [];
  const warmTwo: number[] = [];
  for (let round = 0; round < rounds; round += 1) {
    warmOne.push(await timePool(spec, 1, {}, true));
    warmTwo.push((await timePool(spec, 2, {}, true)).ms);
    log(`speed-up, warm workers, round ${round + 1}: 1 worker ${warmOne.at(-1)!.ms.toFixed(0)} ms, 2 workers ${warmTwo.at(-1)!.toFixed(0)} ms`);
  }
  const warm = median(warmOne.map((t) => t.ms)) / median(warmTwo);
  rows.push({ figure: '2-worker speed-up, workers kept warm from an earlier sweep (app, serve)', value: `${warm.toFixed(2)}x`, target: '>= 1.7x', ok: warm >= 1.7 });
  // One worker's sweep keeps more than one core busy (the engine, V8's compiler and collector run
  // beside the training thread): two such sweeps side by side fit `cores` at most cores / 2x over.
  const shares = warmOne.flatMap((t) => (t.machineCpuMs === null ? [] : [t.machineCpuMs / t.ms]));
  if (shares.length > 0) {
    const share = median(shares);
    const cores = availableParallelism();
    rows.push({ figure: `2-worker ceiling on ${cores} cores: min(2, ${cores} / the cores one warm worker's sweep keeps busy)`, value: `${Math.min(2, cores / share).toFixed(2)}x (1 worker: ${share.toFixed(2)} cores)`, target: 'info', ok: null });
  }
  // The same trials 5x longer: each fresh worker's start-up and V8 compile time is a fixed cost.
  const longer = shortTrialsSpec(24, { epochs: 300 });
  const longOne: number[] = [];
  const longTwo: number[] = [];
  for (let round = 0; round < 3; round += 1) {
    longOne.push((await timePool(longer, 1)).ms);
    longTwo.push((await timePool(longer, 2)).ms);
    log(`speed-up, 300 epochs a trial, round ${round + 1}: 1 worker ${longOne.at(-1)!.toFixed(0)} ms, 2 workers ${longTwo.at(-1)!.toFixed(0)} ms`);
  }
  rows.push({ figure: '2-worker speed-up, the same 24 trials x 300 epochs, end to end', value: `${(median(longOne) / median(longTwo)).toFixed(2)}x`, target: 'info', ok: null });
}

if (wants('backends')) {
  const mnist = shortTrialsSpec(1, { dataset: 'builtin:mnist', model: { type: 'mlp', hidden: [64] }, epochs: 2, space: { optimizer: 'adam', learningRate: 0.001, batchSize: 64 } });
  const iris = shortTrialsSpec(1, { epochs: 40 });
  for (const [label, spec] of [['mnist 784-64-10 MLP', mnist], ['iris 4-16-3 MLP', iris]] as const) {
    const wasm = await timeBare(spec, { TUNEBENCH_BACKEND: 'wasm' });
    const cpu = await timeBare(spec, { TUNEBENCH_BACKEND: 'cpu' });
    const ratio = cpu.epochMs / wasm.epochMs;
    log(`${label}: wasm ${(wasm.epochMs / wasm.epochs).toFixed(1)} ms/epoch (${wasm.backend}), cpu ${(cpu.epochMs / cpu.epochs).toFixed(1)} ms/epoch (${cpu.backend})`);
    rows.push({ figure: `wasm vs cpu throughput, ${label} (epochs/s ratio)`, value: `${ratio.toFixed(2)}x`, target: 'info', ok: null });
  }
}

if (wants('gpu')) {
  const { backendThroughput } = await import('./gpuBench.js');
  for (const row of backendThroughput()) rows.push(row);
}

if (wants('cpu')) {
  // The issue-10 grid beside Optuna + PyTorch, with the per-step breakdown printed first.
  const { cpuGrid } = await import('./cpuBench.js');
  for (const row of cpuGrid(log)) rows.push(row);
}

if (wants('store')) {
  const rate = await metricInsertRate();
  rows.push({ figure: 'metric rows inserted per second (1,000-row transactions)', value: `${Math.round(rate).toLocaleString('en')}/s (${(rate / 50_000).toFixed(1)}x target)`, target: '>= 50,000/s', ok: rate >= 50_000 });
}

if (wants('startup')) {
  // Build first so the figure is the installed CLI's, not a fallback to the sources.
  const { spawnSync } = await import('node:child_process');
  spawnSync(process.execPath, [new URL('../scripts/buildCli.js', import.meta.url).pathname], { stdio: 'inherit' });
  const { helpStartupMs } = await import('./startupBench.js');
  const built = helpStartupMs({ fromSource: false });
  const source = helpStartupMs({ fromSource: true });
  log(`tunebench --help: ${built.toFixed(0)} ms compiled, ${source.toFixed(0)} ms from the TypeScript sources`);
  rows.push({ figure: 'tunebench --help start-up, compiled CLI (median of 5)', value: `${built.toFixed(0)} ms (sources: ${source.toFixed(0)} ms)`, target: '< 500 ms', ok: built < 500 });
  const { workerReadyMs } = await import('./startupBench.js');
  const workerScripts = ['../.build/cli/worker.js', '../core/training/worker.ts'].map((path) => new URL(path, import.meta.url).pathname);
  const [bundled, fromSource] = await workerReadyMs(workerScripts);
  log(`trial worker fork to ready: ${bundled!.toFixed(0)} ms compiled (tfjs folded in), ${fromSource!.toFixed(0)} ms from the TypeScript sources`);
  rows.push({ figure: 'trial worker start-up, fork to ready, compiled (median of 5)', value: `${bundled!.toFixed(0)} ms (sources: ${fromSource!.toFixed(0)} ms)`, target: '< 500 ms', ok: bundled! < 500 });
}

if (wants('replay')) {
  const { replayBench } = await import('./replayBench.js');
  for (const row of replayBench(undefined, log)) rows.push(row);
}

if (wants('search')) {
  const { searchBench } = await import('./searchBench.js');
  for (const row of await searchBench(log)) rows.push(row);
}

if (wants('postgres')) {
  const { postgresBench } = await import('./postgresBench.js');
  for (const row of await postgresBench(log)) rows.push(row);
}

if (wants('ui')) {
  const { uiFirstView } = await import('./uiBench.js');
  for (const row of await uiFirstView()) rows.push(row);
}

const width = Math.max(...rows.map((row) => row.figure.length));
process.stdout.write('\n' + rows.map((row) => `${row.figure.padEnd(width)}  ${row.value.padEnd(28)}  target ${row.target}${row.ok === null ? '' : row.ok ? '  ok' : '  MISSED'}`).join('\n') + '\n');
mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
writeFileSync(new URL('./results/latest.json', import.meta.url), JSON.stringify({ measuredAt: new Date().toISOString(), cores: availableParallelism(), rows }, null, 2));
