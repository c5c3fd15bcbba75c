import { defineStore } from 'pinia';
import { computed, reactive, ref, shallowRef, watch } from 'vue';
import { stringify } from 'yaml';
import { trialSpec } from '../lib/trialSpec.js';
import type { CsvPreview, SpecCheck } from '../../../core/api/contract.js';
import type { Study, Task } from '../../../core/api/domain.js';
import type { ErrorIssue } from '../../../core/api/errors.js';
import type { LrFindResult } from '../../../core/api/lrFind.js';
import { canUploadFiles, uploadCsvFile } from '../api/csvUpload.js';
import { nativeDialogs } from '../api/desktop.js';
import { useApi } from '../api/useApi.js';
import { buildSpec, defaultWizardState, type WizardState } from '../lib/specBuilder.js';
import { wizardFromSpec, wizardFromYaml } from '../lib/specImport.js';
import { csvDatasetName, defaultStudyName } from '../../../core/api/studyName.js';
import { useDatasetsStore } from './datasets.js';

/** The new-study draft; kept in a store so leaving the wizard does not lose it. */
export const useWizardStore = defineStore('wizard', () => {
  const api = useApi();
  const state = reactive<WizardState>(defaultWizardState());
  const built = computed(() => buildSpec(state));

  const csvFileName = ref('');
  const csvPreview = shallowRef<CsvPreview | null>(null);
  // How the server finds the file: an upload id on the web host, else (Electron's dialog) the text,
  // kept out of reactivity as it can be tens of megabytes.
  let csvSource: { upload: string } | { text: string } | null = null;
  const csvStage = ref<'idle' | 'reading' | 'previewing' | 'importing' | 'ready'>('idle');
  const csvError = shallowRef<unknown>(null);

  const check = shallowRef<SpecCheck | null>(null);
  /** The spec (as JSON) that `check` answered; the form may have moved on since. */
  const checkedSpec = ref('');
  const specText = computed(() => JSON.stringify(built.value.spec));
  /** The server's answer while it is about the form as it is now: a stale one shows old counts and issues. */
  const currentCheck = computed(() => (check.value && checkedSpec.value === specText.value ? check.value : null));
  const isValidating = ref(false);
  const validateError = shallowRef<unknown>(null);
  let validateTicket = 0;

  const isLaunching = ref(false);
  const launchError = shallowRef<unknown>(null);
  /** Where the last launch came from, so its error shows next to what was launched. */
  const launchSource = ref<'form' | 'yaml'>('form');
  const importNotes = ref<string[]>([]);
  const lrFinding = ref(false);
  const lrFindResult = shallowRef<LrFindResult | null>(null);
  const lrFindError = shallowRef<unknown>(null);

  /** The LR range test on the form's spec (in a worker on the host); its range fills the form. */
  async function findLearningRate(): Promise<void> {
    lrFinding.value = true;
    try {
      const result = await api.specs.lrFind({ text: specText.value });
      lrFindResult.value = result;
      lrFindError.value = null;
      if (result.suggested) {
        [state.lrLow, state.lrHigh] = result.suggested.map((lr) => Number(lr.toPrecision(2))) as [number, number];
        state.lrLog = true;
      }
    } catch (caught) {
      lrFindError.value = caught;
    } finally {
      lrFinding.value = false;
    }
  }

  const datasets = useDatasetsStore();

  /** The name the server gives a study left unnamed, shown in the empty name field. */
  const namePlaceholder = computed(() => {
    const csvFile = state.csvPath || csvFileName.value;
    const dataset =
      state.datasetMode === 'builtin'
        ? (datasets.byKey(state.builtinKey)?.name ?? state.builtinKey.replace(/^builtin:/, ''))
        : csvFile ? csvDatasetName(csvFile) : 'data';
    return defaultStudyName(dataset, state.strategy);
  });

  // An error from the last launch is about the form as it was: any edit (or Start over) clears it.
  watch(specText, () => {
    launchError.value = null;
  });

  function setObjectiveFor(task: Task): void {
    state.metric = task === 'classification' ? 'val_accuracy' : 'val_loss';
    state.direction = task === 'classification' ? 'maximize' : 'minimize';
  }

  /** A browser File or a native dialog's result: preview (errors show here), then import. */
  async function chooseCsv(file: { name: string; text(): Promise<string> } | File): Promise<void> {
    csvFileName.value = file.name;
    csvPreview.value = null;
    csvError.value = null;
    state.csvPath = '';
    state.csvDropColumns = [];
    try {
      csvStage.value = 'reading';
      csvSource = null;
      // A browser File goes to the host as a stream; the host scans it once, in a worker.
      const source = file instanceof Blob && canUploadFiles() ? { upload: await uploadCsvFile(file) } : { text: await file.text() };
      csvSource = source;
      csvStage.value = 'previewing';
      const preview = await api.datasets.previewCsv({ ...source, rows: 10 });
      csvPreview.value = preview;
      state.csvTarget = preview.suggestedTarget;
      state.csvTask = preview.task;
      setObjectiveFor(preview.task);
      csvStage.value = 'importing';
      const imported = await api.datasets.importCsv({ ...source, fileName: file.name });
      state.csvPath = imported.path;
      csvStage.value = 'ready';
    } catch (caught) {
      csvError.value = caught;
      csvStage.value = 'idle';
    }
  }

  /** Electron: the native Open dialog, then the same preview and import. */
  async function openCsvNative(): Promise<void> {
    const opened = await nativeDialogs()?.openCsv();
    if (!opened) return;
    state.datasetMode = 'csv';
    await chooseCsv({ name: opened.fileName, text: async () => opened.text });
  }

  /** A new target can change the task (numeric target: regression), so ask the server again. */
  async function pickTarget(target: string): Promise<void> {
    state.csvTarget = target;
    state.csvDropColumns = state.csvDropColumns.filter((name) => name !== target);
    if (!csvSource) return;
    try {
      const preview = await api.datasets.previewCsv({ ...csvSource, rows: 10, target });
      csvPreview.value = preview;
      state.csvTask = preview.task;
      setObjectiveFor(preview.task);
      csvError.value = null;
    } catch (caught) {
      csvError.value = caught;
    }
  }

  /** A column in or out of the features (dropColumns); the target is never dropped. */
  function toggleDropColumn(column: string): void {
    if (column === state.csvTarget) return;
    const dropped = state.csvDropColumns;
    state.csvDropColumns = dropped.includes(column) ? dropped.filter((name) => name !== column) : [...dropped, column];
  }

  /** Field issues: the form's own at once, else the server's answer about this form. */
  const issues = computed<ErrorIssue[]>(() => {
    if (built.value.problems.length > 0) return built.value.problems;
    return currentCheck.value && !currentCheck.value.ok ? currentCheck.value.issues : [];
  });

  async function validate(): Promise<void> {
    const ticket = ++validateTicket;
    if (built.value.problems.length > 0) {
      // The form's own problems come first; the server is asked once they are fixed.
      isValidating.value = false;
      return;
    }
    isValidating.value = true;
    const text = specText.value;
    try {
      const result = await api.specs.validate({ text });
      if (ticket !== validateTicket) return;
      check.value = result;
      checkedSpec.value = text;
      validateError.value = null;
    } catch (caught) {
      if (ticket === validateTicket) validateError.value = caught;
    } finally {
      if (ticket === validateTicket) isValidating.value = false;
    }
  }

  async function launch(specText?: string): Promise<Study | null> {
    isLaunching.value = true;
    launchError.value = null;
    launchSource.value = specText === undefined ? 'form' : 'yaml';
    try {
      return await api.studies.create({ spec: specText ?? built.value.spec, start: true });
    } catch (caught) {
      launchError.value = caught;
      return null;
    } finally {
      isLaunching.value = false;
    }
  }

  const yamlText = computed(() => stringify(built.value.spec));

  /**
   * Replaces the draft with a YAML spec; returns the issues that stopped it. The server checks
   * first because its messages name the allowed values; the shared schema then fills defaults.
   */
  async function loadYaml(text: string): Promise<ErrorIssue[]> {
    try {
      const checked = await api.specs.validate({ text });
      if (!checked.ok) return checked.issues;
    } catch {
      // Host unreachable: the local schema below still names the field at fault.
    }
    const result = wizardFromYaml(text);
    if (!result.ok) return result.issues;
    Object.assign(state, result.imported.state);
    importNotes.value = result.imported.approximations;
    return [];
  }

  /** The wizard filled from a study's spec, or from one of its trials (every parameter fixed to it). */
  async function loadFromStudy(id: number, trialId: number | null = null): Promise<void> {
    try {
      const detail = await api.studies.get({ study: id });
      const trial = trialId === null ? null : ((await api.trials.get({ trialIds: [trialId] })).find((row) => row.studyId === id) ?? null);
      const spec = trial ? trialSpec(detail.study, trial) : detail.study.spec;
      const imported = wizardFromSpec(spec);
      Object.assign(state, imported.state, { name: trial ? `${spec.name}` : `${detail.study.name} (copy)` });
      importNotes.value = imported.approximations;
    } catch (caught) {
      launchError.value = caught;
    }
  }

  function reset(): void {
    Object.assign(state, defaultWizardState());
    csvFileName.value = '';
    csvPreview.value = null;
    csvSource = null;
    csvStage.value = 'idle';
    csvError.value = null;
    launchError.value = null;
    validateError.value = null;
    importNotes.value = [];
  }

  return {
    state, built, specText, csvFileName, csvPreview, csvStage, csvError, currentCheck, issues, isValidating, validateError,
    isLaunching, launchError, launchSource, importNotes, namePlaceholder, yamlText, setObjectiveFor, chooseCsv, openCsvNative, pickTarget, toggleDropColumn, validate,
    launch, loadYaml, loadFromStudy, reset, lrFinding, lrFindResult, lrFindError, findLearningRate,
  };
});
