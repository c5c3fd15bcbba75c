/** Saves text as a file through a temporary object URL; works in Electron and browsers alike. */
export function downloadText(fileName: string, text: string, mimeType = 'text/plain'): void {
  const url = URL.createObjectURL(new Blob([text], { type: mimeType }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.rel = 'noopener';
  document.body.appendChild(link);
  link.click();
  link.remove();
  // Revoke later: some browsers start the download after click() returns.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export async function copyText(text: string): Promise<void> {
  if (!navigator.clipboard) throw new Error('the clipboard is not available here; use Download instead');
  await navigator.clipboard.writeText(text);
}
