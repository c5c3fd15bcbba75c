/** Short, stable number text: 4 significant digits, exponent form for very small or large values. */
export function formatNumber(value: number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  if (!Number.isFinite(value)) return String(value);
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  if (magnitude < 1e-3 || magnitude >= 1e5) return value.toExponential(2);
  return String(Number(value.toPrecision(4)));
}

/** 850 ms, 12.3 s, 4m 05s, 2h 10m. */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${String(Math.floor(seconds % 60)).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, '0')}m`;
}

export function formatEta(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return 'unknown';
  if (seconds < 1) return 'under a second';
  return formatDuration(seconds * 1000);
}

export function formatDate(timestamp: number | null | undefined): string {
  if (!timestamp) return '—';
  const date = new Date(timestamp);
  const pad = (part: number) => String(part).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** A parameter value for tables: numbers short, everything else as text. */
export function formatParam(value: unknown): string {
  if (value === undefined || value === null) return '—';
  if (typeof value === 'number') return formatNumber(value);
  return String(value);
}

/** An estimate as a range ("7–17 s", "2m 10s – 5m 30s"), or one figure when the ends are close. */
export function formatEtaRange(low: number, high: number): string {
  if (high <= low * 1.25) return formatEta((low + high) / 2);
  if (high < 59.5) return `${Math.max(1, Math.round(low))}–${Math.round(high)} s`;
  return `${formatEta(low)} – ${formatEta(high)}`;
}

/**
 * 10000 -> "10,000". Not toLocaleString: its first call loads the ICU data (25-30 ms in
 * Chromium), which the study page would pay before its first paint.
 */
export function formatCount(value: number): string {
  return String(Math.round(value)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** What names a trial's run in a legend: its main parameters. */
export interface TrialLabelParams {
  optimizer: string;
  learningRate: number;
  batchSize: number;
  lrSchedule: string;
}

/** "#3 adam lr=0.01 bs=32 cosine": a trial named by its parameters, not just its optimizer. */
export function trialLabel(number: number, params: TrialLabelParams): string {
  return `#${number} ${params.optimizer} lr=${formatNumber(params.learningRate)} bs=${params.batchSize} ${params.lrSchedule}`;
}
