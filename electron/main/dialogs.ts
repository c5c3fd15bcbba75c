import { basename } from 'node:path';
import { z } from 'zod';
import type { ApiResponse } from '../../core/api/contract.js';
import { TunebenchError, toPlainError } from '../../core/api/errors.js';
import type { DialogKind, OpenedFile } from '../shared/bridge.js';

export interface FileFilter {
  name: string;
  extensions: string[];
}

/** What the dialog handlers need from Electron and the file system (injected for tests). */
export interface DialogDeps {
  /** Shows a native open dialog; the chosen path or null. */
  pickOpen(options: { title: string; filters: FileFilter[] }): Promise<string | null>;
  /** Shows a native save dialog; the chosen path or null. */
  pickSave(options: { title: string; defaultPath: string; filters: FileFilter[] }): Promise<string | null>;
  fileSize(path: string): Promise<number>;
  readFile(path: string): Promise<Uint8Array>;
  writeFile(path: string, text: string): Promise<void>;
}

const maxCsvBytes = 200_000_000;
const maxSpecBytes = 1_000_000;
const csvFilters: FileFilter[] = [{ name: 'CSV', extensions: ['csv', 'tsv', 'txt'] }];
const specFilters: FileFilter[] = [{ name: 'Study spec', extensions: ['yaml', 'yml', 'json'] }];

/** Names suggested by the renderer are reduced to a bare file name: it never picks a folder. */
const fileName = z
  .string()
  .min(1)
  .max(255)
  .transform((name) => basename(name.replace(/\\/g, '/')))
  .refine((name) => name !== '' && name !== '.' && name !== '..', 'not a file name');

export const dialogSchemas = {
  openCsv: z.strictObject({}),
  openSpec: z.strictObject({}),
  saveSpec: z.strictObject({ text: z.string().max(maxSpecBytes), suggestedName: fileName.optional() }),
  saveExport: z.strictObject({ text: z.string().max(100_000_000), fileName }),
} satisfies Record<DialogKind, z.ZodType>;

function filtersFor(name: string): FileFilter[] {
  const ext = /\.([a-z0-9]+)$/i.exec(name)?.[1]?.toLowerCase();
  return ext ? [{ name: ext.toUpperCase(), extensions: [ext] }] : [];
}

export type DialogHandler = (kind: unknown, args: unknown) => Promise<ApiResponse<unknown>>;

/** The `tunebench:dialog` handler body: validates kind and args, then runs the dialog. */
export function createDialogHandler(deps: DialogDeps): DialogHandler {
  const open = async (title: string, filters: FileFilter[], maxBytes: number): Promise<OpenedFile | null> => {
    const path = await deps.pickOpen({ title, filters });
    if (path === null) return null;
    const size = await deps.fileSize(path);
    if (size > maxBytes) throw new TunebenchError('ARGUMENT_INVALID', `${basename(path)} is ${size} bytes; the limit is ${maxBytes}`);
    let text: string;
    try {
      // ignoreBOM keeps the BOM so core/data sees the file exactly; fatal rejects non-UTF-8.
      text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(await deps.readFile(path));
    } catch (error) {
      if (error instanceof TypeError) throw new TunebenchError('CSV_PARSE', `${basename(path)} is not UTF-8 text`);
      throw error;
    }
    return { fileName: basename(path), text };
  };
  const save = async (title: string, name: string, text: string) => {
    const path = await deps.pickSave({ title, defaultPath: name, filters: filtersFor(name) });
    if (path === null) return null;
    await deps.writeFile(path, text);
    return { path };
  };
  const run = {
    openCsv: () => open('Open CSV', csvFilters, maxCsvBytes),
    openSpec: () => open('Open study spec', specFilters, maxSpecBytes),
    saveSpec: (args: z.output<typeof dialogSchemas.saveSpec>) => save('Save study spec', args.suggestedName ?? 'study.yaml', args.text),
    saveExport: (args: z.output<typeof dialogSchemas.saveExport>) => save('Export', args.fileName, args.text),
  };
  return async (kind, args) => {
    try {
      if (typeof kind !== 'string' || !Object.hasOwn(dialogSchemas, kind)) {
        throw new TunebenchError('ARGUMENT_INVALID', `unknown dialog ${JSON.stringify(kind)}`);
      }
      const name = kind as DialogKind;
      const parsed = dialogSchemas[name].safeParse(args ?? {});
      if (!parsed.success) {
        const issues = parsed.error.issues.map((issue) => ({ where: '/' + issue.path.map(String).join('/'), message: issue.message }));
        throw new TunebenchError('ARGUMENT_INVALID', `invalid arguments for dialog ${name}`, issues);
      }
      const value = await (run[name] as (args: unknown) => Promise<unknown>)(parsed.data);
      return { ok: true, value };
    } catch (error) {
      return { ok: false, error: toPlainError(error) };
    }
  };
}
