import { z } from 'zod';
import type { PlainError } from './errors.js';
import type { DoctorReport } from './doctor.js';
import type { LrFindResult } from './lrFind.js';
import type { DatasetInfo, MetricPoint, Study, StudySummary, Trial, TrialState } from './domain.js';
import { trialStateSchema } from './domain.js';
import { studyNameSchema } from './spec.js';

/**
 * The one API that the CLI, Electron IPC and the web host expose. Each method takes one
 * validated object; its schema is in `requestSchemas` under the same `domain.method` key, and
 * both transports check input with it before calling the service.
 */
const studyRef = z.union([z.number().int().positive(), z.string().min(1).max(200)]);
const valueMode = z
  .union([z.literal('best'), z.literal('last'), z.strictObject({ epoch: z.number().int().min(0) })])
  .default('best');
export type ValueMode = z.infer<typeof valueMode>;

/** Parameter columns a trial page can be sorted by (json fields of `params`). */
export const paramSortKeys = ['optimizer', 'learningRate', 'batchSize', 'lrSchedule', 'momentum', 'decayRate', 'hiddenLayers', 'units1', 'units2', 'activation', 'dropout', 'l2'] as const;
export type ParamSortKey = (typeof paramSortKeys)[number];
export const trialSortKeys = ['value', 'number', 'duration', 'state', ...paramSortKeys] as const;
export type TrialSortKey = (typeof trialSortKeys)[number];

/** An upload's id, as the upload route answers it: 32 hex digits, never a path. */
const uploadId = z.string().regex(/^[0-9a-f]{32}$/, 'an upload id is 32 hex digits');
const isTextOrUpload = (req: { text?: string; upload?: string }): boolean => (req.text === undefined) !== (req.upload === undefined);
const textOrUploadIssue = { message: 'give the CSV as text or as an upload id, one of the two', path: ['text'] };

export const requestSchemas = {
  'studies.list': z.strictObject({}),
  'studies.get': z.strictObject({ study: studyRef }),
  'studies.create': z.strictObject({
    /** The spec as YAML or JSON text, or an object. */
    spec: z.union([z.string().max(1_000_000), z.record(z.string(), z.unknown())]),
    name: studyNameSchema.optional(),
    start: z.boolean().default(true),
  }),
  'studies.rename': z.strictObject({ study: studyRef, name: studyNameSchema }),
  'studies.remove': z.strictObject({ study: studyRef }),
  'studies.duplicate': z.strictObject({ study: studyRef, name: studyNameSchema.optional() }),
  'studies.annotate': z.strictObject({
    study: studyRef,
    notes: z.string().max(100_000).optional(),
    tags: z.array(z.string().min(1).max(50)).max(50).optional(),
  }),
  'studies.pause': z.strictObject({ study: studyRef }),
  'studies.resume': z.strictObject({ study: studyRef }),
  'studies.cancel': z.strictObject({ study: studyRef }),
  /** N more trials for a stopped random/sobol/tpe study (a grid is refused), then run. */
  'studies.extend': z.strictObject({ study: studyRef, trials: z.number().int().min(1).max(100_000), start: z.boolean().default(true) }),
  /** The top K complete trials (or the given ones) trained again with N new seeds each, then run. */
  'studies.rerun': z.strictObject({
    study: studyRef,
    seeds: z.number().int().min(1).max(100),
    top: z.number().int().min(1).max(1000).optional(),
    trialIds: z.array(z.number().int().positive()).min(1).max(1000).optional(),
    start: z.boolean().default(true),
  }),
  /** Parameter importance (PED-ANOVA) over the study's complete trials. */
  'studies.importance': z.strictObject({ study: studyRef }),
  'trials.page': z.strictObject({
    study: studyRef,
    offset: z.number().int().min(0).default(0),
    limit: z.number().int().min(1).max(1000).default(100),
    sort: z.enum(trialSortKeys).default('value'),
    descending: z.boolean().optional(),
    states: z.array(trialStateSchema).optional(),
    optimizer: z.string().max(50).optional(),
    /** Only trials carrying this tag. */
    tag: z.string().min(1).max(50).optional(),
    valueMode,
  }),
  'trials.curves': z.strictObject({
    trialIds: z.array(z.number().int().positive()).min(1).max(64),
    names: z.array(z.string().max(50)).max(20).optional(),
  }),
  /** Trials by id (compare view opened from a link); unknown ids are left out, order kept. */
  'trials.get': z.strictObject({ trialIds: z.array(z.number().int().positive()).min(1).max(64) }),
  'trials.history': z.strictObject({
    study: studyRef,
    valueMode,
    /** The chart's width in pixels: a longer history comes back thinned to what it can draw. */
    columns: z.number().int().min(100).max(10_000).optional(),
  }),
  'trials.annotate': z.strictObject({
    trialId: z.number().int().positive(),
    notes: z.string().max(100_000).optional(),
    tags: z.array(z.string().min(1).max(50)).max(50).optional(),
  }),
  'datasets.list': z.strictObject({}),
  'datasets.previewCsv': z
    .strictObject({
      /**
       * CSV text: from a browser upload, or from a file the user picked in Electron's own dialog.
       * There is no path: a caller holding the token must not be able to read any file.
       */
      text: z.string().max(50_000_000).optional(),
      /** Or a file streamed to the web host's upload route (csvUploadPath), scanned in a worker. */
      upload: uploadId.optional(),
      target: z.string().max(200).optional(),
      rows: z.number().int().min(1).max(100).default(10),
    })
    .refine(isTextOrUpload, textOrUploadIssue),
  'datasets.importCsv': z
    .strictObject({
      text: z.string().max(200_000_000).optional(),
      upload: uploadId.optional(),
      fileName: z.string().min(1).max(255),
    })
    .refine(isTextOrUpload, textOrUploadIssue),
  'specs.validate': z.strictObject({ text: z.string().max(1_000_000) }),
  /** Smith's LR range test on the spec's data and model, in a worker; suggests a learningRate range. */
  'specs.lrFind': z
    .strictObject({
      text: z.string().max(1_000_000),
      minLr: z.number().positive().default(1e-6),
      maxLr: z.number().positive().max(100).default(1),
      steps: z.number().int().min(10).max(2000).default(100),
    })
    .refine((req) => req.minLr < req.maxLr, { message: 'minLr must be below maxLr', path: ['minLr'] }),
  'exports.render': z.strictObject({
    study: studyRef,
    format: z.enum(['json', 'yaml', 'csv', 'ts', 'html', 'curves']),
    top: z.number().int().min(1).max(10_000).default(1),
  }),
  /** Every training backend here, why not, the GPU adapter, and steps/s (runs in a worker process). */
  'system.doctor': z.strictObject({ budgetMs: z.number().int().min(1).max(10_000).default(1000) }),
} as const;

export type ApiMethod = keyof typeof requestSchemas;
export type ApiRequest<M extends ApiMethod> = z.input<(typeof requestSchemas)[M]>;
export type ApiParsedRequest<M extends ApiMethod> = z.output<(typeof requestSchemas)[M]>;

/** How much each parameter explains the best trials (core/importance/pedAnova.ts), largest first. */
export interface StudyImportance {
  study: string;
  method: 'ped-anova';
  /** The complete trials it was computed over. */
  trials: number;
  importance: { name: string; importance: number }[];
}

export interface TrialPage {
  total: number;
  rows: Trial[];
}

/** Value per trial in trial order, with the running best, for the history chart. */
export interface HistoryPoint {
  number: number;
  trialId: number;
  value: number | null;
  best: number | null;
  state: TrialState;
  optimizer: string;
  learningRate: number;
  batchSize: number;
  lrSchedule: string;
  durationMs: number | null;
  /** Only on a pruned trial: its last reported value and the epoch (from 1) where it stopped. */
  pruned?: { value: number | null; epoch: number };
}

export interface CsvPreview {
  header: string[];
  rows: string[][];
  /** `date`: ISO dates, which training turns into three numbers (year, day of year as sine/cosine). */
  columns: { name: string; kind: 'numeric' | 'categorical' | 'date'; missing: number; distinct: number }[];
  rowCount: number;
  suggestedTarget: string;
  task: 'classification' | 'regression';
}

export interface SpecCheck {
  ok: boolean;
  issues: { where: string; message: string }[];
  /** Trials the strategy will produce (grid size or random budget) when ok. */
  plannedTrials: number | null;
  /** When ok: what a person should know, e.g. batch sizes clamped to the training rows. */
  notes?: string[];
}

export interface StudyDetail {
  study: StudySummary;
  dataset: DatasetInfo | null;
  running: { trialId: number; number: number; epoch: number; epochs: number }[];
  /** Null unless the study runs in the process that answers (another owner's pace is unknown here). */
  etaSeconds: number | null;
  /** The answering process runs this study (else `study.owner`, if any, is another process). */
  isRunningHere?: boolean;
}

export interface ExportResult {
  fileName: string;
  mimeType: string;
  text: string;
  /** What the export did with the request when that is not obvious (e.g. --top with --format ts). */
  note?: string;
}

/** Pushed events. The transports deliver them batched (a few per second at most). */
export type ApiEvent =
  | { type: 'study'; study: StudySummary }
  | { type: 'trial'; trial: Trial }
  | { type: 'epoch'; trialId: number; studyId: number; epoch: number; metrics: Record<string, number> };

export interface TunebenchApi {
  studies: {
    list(req: ApiRequest<'studies.list'>): Promise<StudySummary[]>;
    get(req: ApiRequest<'studies.get'>): Promise<StudyDetail>;
    create(req: ApiRequest<'studies.create'>): Promise<Study>;
    rename(req: ApiRequest<'studies.rename'>): Promise<Study>;
    remove(req: ApiRequest<'studies.remove'>): Promise<void>;
    duplicate(req: ApiRequest<'studies.duplicate'>): Promise<Study>;
    annotate(req: ApiRequest<'studies.annotate'>): Promise<Study>;
    pause(req: ApiRequest<'studies.pause'>): Promise<void>;
    resume(req: ApiRequest<'studies.resume'>): Promise<void>;
    cancel(req: ApiRequest<'studies.cancel'>): Promise<void>;
    extend(req: ApiRequest<'studies.extend'>): Promise<Study>;
    rerun(req: ApiRequest<'studies.rerun'>): Promise<Study>;
    importance(req: ApiRequest<'studies.importance'>): Promise<StudyImportance>;
  };
  trials: {
    page(req: ApiRequest<'trials.page'>): Promise<TrialPage>;
    curves(req: ApiRequest<'trials.curves'>): Promise<MetricPoint[]>;
    get(req: ApiRequest<'trials.get'>): Promise<Trial[]>;
    history(req: ApiRequest<'trials.history'>): Promise<HistoryPoint[]>;
    annotate(req: ApiRequest<'trials.annotate'>): Promise<Trial>;
  };
  datasets: {
    list(req: ApiRequest<'datasets.list'>): Promise<DatasetInfo[]>;
    previewCsv(req: ApiRequest<'datasets.previewCsv'>): Promise<CsvPreview>;
    importCsv(req: ApiRequest<'datasets.importCsv'>): Promise<{ path: string }>;
  };
  specs: {
    validate(req: ApiRequest<'specs.validate'>): Promise<SpecCheck>;
    lrFind(req: ApiRequest<'specs.lrFind'>): Promise<LrFindResult>;
  };
  exports: {
    render(req: ApiRequest<'exports.render'>): Promise<ExportResult>;
  };
  system: {
    doctor(req: ApiRequest<'system.doctor'>): Promise<DoctorReport>;
  };
  /** Subscribe to pushed events; returns the unsubscribe function. */
  onEvent(listener: (event: ApiEvent) => void): () => void;
}

/** What crosses a transport: a result or a plain error, never an Error object. */
export type ApiResponse<T> = { ok: true; value: T } | { ok: false; error: PlainError };

export const apiMethods = Object.keys(requestSchemas) as ApiMethod[];
