import { nativeDialogs } from '../api/desktop.js';
import { downloadText } from './download.js';

/**
 * Saves text where the user chooses: a native Save dialog under Electron, a download in a
 * browser. Returns what to tell the user, or null when they cancelled the dialog.
 */
export async function saveTextFile(fileName: string, text: string, mimeType: string, kind: 'spec' | 'export'): Promise<string | null> {
  const dialogs = nativeDialogs();
  if (!dialogs) {
    downloadText(fileName, text, mimeType);
    return `Downloaded ${fileName}.`;
  }
  const saved = kind === 'spec' ? await dialogs.saveSpec({ text, suggestedName: fileName }) : await dialogs.saveExport({ text, fileName });
  return saved ? `Saved to ${saved.path}.` : null;
}
