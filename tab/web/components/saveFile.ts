/** Hands a file the server made (a CSV export, a child's record as a PDF) to the browser as a download. */
export function saveFile(blob: Blob, fileName: string): void {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  // Revoked later, not at once: the browser may still be reading it.
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}
