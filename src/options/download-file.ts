/**
 * Save text as a file through the browser's own download, the way any page does: a Blob, an
 * object URL and a click on an `<a download>`. No `downloads` permission is needed.
 */

/**
 * How long the object URL stays valid after the click. Chromium reads the Blob when the click
 * starts the download; Firefox may read it a little later, and cancels the download if the URL
 * is already gone. Closing the popup frees it anyway.
 */
export const REVOKE_AFTER_MS = 1_000;

export function downloadText(fileName: string, text: string, type = 'application/json'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.hidden = true;
  // In the document while clicked: older Firefox versions ignore clicks on detached links.
  document.body.append(link);
  try {
    link.click();
  } finally {
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), REVOKE_AFTER_MS);
  }
}
