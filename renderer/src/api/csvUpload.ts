import type { ApiResponse } from '../../../core/api/contract.js';
import { fromPlainError, TunebenchError } from '../../../core/api/errors.js';
import { csvUploadPath } from '../../../core/api/http.js';

/** True on the web host; Electron's preload has no upload route (its dialog hands over the text). */
export function canUploadFiles(): boolean {
  return typeof window !== 'undefined' && !window.tunebench;
}

/**
 * Sends a picked file's bytes to the web host as they are read from disk (the browser streams a
 * Blob body; nothing is decoded or JSON-escaped here) and returns the upload id that
 * datasets.previewCsv and datasets.importCsv take instead of the text.
 */
export async function uploadCsvFile(file: Blob, base: Location = window.location): Promise<string> {
  let response: Response;
  try {
    response = await fetch(new URL(csvUploadPath, base.href).href, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/octet-stream' },
      body: file,
    });
  } catch (error) {
    throw new TunebenchError('INTERNAL', `cannot reach the Tunebench host (${error instanceof Error ? error.message : String(error)})`);
  }
  let parsed: ApiResponse<{ upload: string }> | null = null;
  try {
    parsed = (await response.json()) as ApiResponse<{ upload: string }>;
  } catch {
    // Not JSON: reported below with the status.
  }
  if (parsed?.ok) return parsed.value.upload;
  if (parsed && !parsed.ok) throw fromPlainError(parsed.error);
  throw new TunebenchError('INTERNAL', `HTTP ${response.status} from the CSV upload`);
}
