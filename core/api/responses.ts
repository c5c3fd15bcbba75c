import { z } from 'zod';
import type {
  ApiEvent,
  ApiMethod,
  CsvPreview,
  ExportResult,
  HistoryPoint,
  SpecCheck,
  StudyDetail,
  StudyImportance,
  TrialPage,
} from './contract.js';
import type { ColumnInfo, DatasetInfo, MetricPoint, Study, StudySummary, Trial } from './domain.js';
import { studyStatusSchema, trialFailureCodes, trialStateSchema, trialStates } from './domain.js';
import type { DoctorReport, GpuAdapter } from './doctor.js';
import { backendNames, metricNames, studySpecSchema, trialParamsSchema } from './spec.js';
import { lrFindResultSchema } from './lrFind.js';

/**
 * Schemas of what the API answers and pushes, beside the request schemas of contract.ts. Each is
 * checked against its TS type (`satisfies`), so a field added to one and not the other fails the
 * type check. Statuses and states come from the domain's lists, so new values flow through.
 */
const id = z.number().int().positive();
const count = z.number().int().min(0);
const time = z.number().int().min(0);
const nullableTime = time.nullable();
const taskSchema = z.enum(['classification', 'regression']);
const directionSchema = z.enum(['minimize', 'maximize']);

export const studySchema = z.object({
  id,
  name: z.string().min(1),
  spec: studySpecSchema,
  objective: z.object({ metric: z.enum(metricNames), direction: directionSchema }),
  strategy: z.enum(['grid', 'random', 'tpe', 'sobol']),
  status: studyStatusSchema,
  statusReason: z.string().nullable(),
  plannedTrials: count,
  datasetFingerprint: z.string(),
  datasetName: z.string(),
  appVersion: z.string(),
  notes: z.string(),
  tags: z.array(z.string()),
  createdAt: time,
  updatedAt: time,
  owner: z.object({ ownerId: z.string(), host: z.string(), pid: z.number().int(), heartbeatAt: time, expiresAt: time }).nullable().optional(),
}) satisfies z.ZodType<Study>;

/** Every trial state has a count, zero included. */
const stateCounts = z.object(Object.fromEntries(trialStates.map((state) => [state, count])) as Record<(typeof trialStates)[number], typeof count>);

export const studySummarySchema = studySchema.extend({
  counts: stateCounts,
  bestValue: z.number().nullable(),
  bestTrialNumber: count.nullable(),
}) satisfies z.ZodType<StudySummary>;

const gpuAdapterSchema = z.object({
  vendor: z.string(),
  architecture: z.string(),
  description: z.string(),
  device: z.string(),
  isSoftware: z.boolean(),
}) satisfies z.ZodType<GpuAdapter>;

export const trialSchema = z.object({
  id,
  studyId: id,
  number: count,
  params: trialParamsSchema,
  state: trialStateSchema,
  value: z.number().nullable(),
  bestEpoch: count.nullable(),
  epochsRun: count,
  startedAt: nullableTime,
  endedAt: nullableTime,
  durationMs: z.number().min(0).nullable(),
  worker: z.string().nullable(),
  backend: z.string().nullable(),
  backendNote: z.string().nullable(),
  adapter: gpuAdapterSchema.nullable(),
  error: z.string().nullable(),
  errorCode: z.enum(trialFailureCodes).nullable(),
  retryOf: id.nullable(),
  seed: z.number().int(),
  heartbeatAt: nullableTime,
  retries: count,
  notes: z.string(),
  tags: z.array(z.string()),
  testMetrics: z.record(z.string(), z.number()).optional(),
}) satisfies z.ZodType<Trial>;

export const metricPointSchema = z.object({ trialId: id, epoch: count, name: z.string(), value: z.number() }) satisfies z.ZodType<MetricPoint>;

const columnInfoSchema = z.object({
  name: z.string(),
  kind: z.enum(['numeric', 'categorical']),
  categories: z.array(z.string()).optional(),
  missing: count,
  mean: z.number().optional(),
  std: z.number().optional(),
  min: z.number().optional(),
  max: z.number().optional(),
}) satisfies z.ZodType<ColumnInfo>;

export const datasetInfoSchema = z.object({
  key: z.string(),
  name: z.string(),
  source: z.enum(['builtin', 'csv']),
  path: z.string().nullable(),
  fingerprint: z.string(),
  rows: count,
  columns: z.array(columnInfoSchema),
  target: z.string(),
  task: taskSchema,
  classes: z.array(z.string()).nullable(),
  featureCount: count,
  imageShape: z.tuple([count, count, count]).nullable(),
  description: z.string(),
}) satisfies z.ZodType<DatasetInfo>;

const trialPageSchema = z.object({ total: count, rows: z.array(trialSchema) }) satisfies z.ZodType<TrialPage>;

const historyPointSchema = z.object({
  number: count,
  trialId: id,
  value: z.number().nullable(),
  best: z.number().nullable(),
  state: trialStateSchema,
  optimizer: z.string(),
  learningRate: z.number(),
  batchSize: z.number().int().positive(),
  lrSchedule: z.string(),
  durationMs: z.number().min(0).nullable(),
  pruned: z.object({ value: z.number().nullable(), epoch: count }).optional(),
}) satisfies z.ZodType<HistoryPoint>;

const csvPreviewSchema = z.object({
  header: z.array(z.string()),
  rows: z.array(z.array(z.string())),
  columns: z.array(z.object({ name: z.string(), kind: z.enum(['numeric', 'categorical', 'date']), missing: count, distinct: count })),
  rowCount: count,
  suggestedTarget: z.string(),
  task: taskSchema,
}) satisfies z.ZodType<CsvPreview>;

const specCheckSchema = z.object({
  ok: z.boolean(),
  issues: z.array(z.object({ where: z.string(), message: z.string() })),
  plannedTrials: count.nullable(),
  notes: z.array(z.string()).optional(),
}) satisfies z.ZodType<SpecCheck>;

const studyDetailSchema = z.object({
  study: studySummarySchema,
  dataset: datasetInfoSchema.nullable(),
  running: z.array(z.object({ trialId: id, number: count, epoch: count, epochs: count })),
  etaSeconds: z.number().min(0).nullable(),
  isRunningHere: z.boolean().optional(),
}) satisfies z.ZodType<StudyDetail>;

const doctorReportSchema = z.object({
  backends: z.array(
    z.object({
      backend: z.enum(backendNames),
      isAvailable: z.boolean(),
      reason: z.string().nullable(),
      adapter: gpuAdapterSchema.nullable(),
      mlpStepsPerSecond: z.number().min(0).nullable(),
      cnnStepsPerSecond: z.number().min(0).nullable(),
    }),
  ),
  picked: z.object({ backend: z.string(), note: z.string().nullable() }),
}) satisfies z.ZodType<DoctorReport>;

const exportResultSchema = z.object({ fileName: z.string().min(1), mimeType: z.string().min(1), text: z.string(), note: z.string().optional() }) satisfies z.ZodType<ExportResult>;

const studyImportanceSchema = z.object({
  study: z.string(),
  method: z.literal('ped-anova'),
  trials: count,
  importance: z.array(z.object({ name: z.string().min(1), importance: z.number().min(0).max(1) })),
}) satisfies z.ZodType<StudyImportance>;

/** Methods that answer nothing: undefined in process, null once it has crossed a transport. */
const nothing = z.union([z.undefined(), z.null()]);

export const responseSchemas = {
  'studies.list': z.array(studySummarySchema),
  'studies.get': studyDetailSchema,
  'studies.create': studySchema,
  'studies.rename': studySchema,
  'studies.remove': nothing,
  'studies.duplicate': studySchema,
  'studies.annotate': studySchema,
  'studies.pause': nothing,
  'studies.resume': nothing,
  'studies.cancel': nothing,
  'studies.extend': studySchema,
  'studies.rerun': studySchema,
  'studies.importance': studyImportanceSchema,
  'trials.page': trialPageSchema,
  'trials.curves': z.array(metricPointSchema),
  'trials.get': z.array(trialSchema),
  'trials.history': z.array(historyPointSchema),
  'trials.annotate': trialSchema,
  'datasets.list': z.array(datasetInfoSchema),
  'datasets.previewCsv': csvPreviewSchema,
  'datasets.importCsv': z.object({ path: z.string().min(1) }),
  'specs.validate': specCheckSchema,
  'specs.lrFind': lrFindResultSchema,
  'exports.render': exportResultSchema,
  'system.doctor': doctorReportSchema,
} satisfies Record<ApiMethod, z.ZodType>;

/** Epoch metrics are plain numbers; a diverged epoch reports NaN or Infinity as it was measured. */
const measured = z.custom<number>((value) => typeof value === 'number', 'expected a number');

export const apiEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('study'), study: studySummarySchema }),
  z.object({ type: z.literal('trial'), trial: trialSchema }),
  z.object({ type: z.literal('epoch'), trialId: id, studyId: id, epoch: count, metrics: z.record(z.string(), measured) }),
]) satisfies z.ZodType<ApiEvent>;

/** Checks one pushed event against the contract; the error names the field that is wrong. */
export function checkEvent(event: unknown): ApiEvent {
  const parsed = apiEventSchema.safeParse(event);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue ? '/' + issue.path.map(String).join('/') : '/';
  throw new Error(`event does not match the contract at ${where}: ${issue?.message ?? 'invalid'}`);
}
