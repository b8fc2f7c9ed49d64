/**
 * Saving on the page's side: the File System Access API's save dialog where the browser has
 * it (the worker then writes straight to disk), otherwise an ordinary download of a Blob.
 */

interface SavePickerOptions {
  suggestedName: string;
  types: { description: string; accept: Record<string, string[]> }[];
}
type SavePicker = (options: SavePickerOptions) => Promise<FileSystemFileHandle>;

function savePicker(): SavePicker | undefined {
  return (window as unknown as { showSaveFilePicker?: SavePicker }).showSaveFilePicker;
}

/**
 * Asks where to save; undefined when the browser has no save dialog (download instead),
 * 'cancelled' when the user closed it.
 */
export async function pickSaveFile(
  suggestedName: string,
  type: { description: string; mime: string; extension: string },
): Promise<FileSystemFileHandle | undefined | 'cancelled'> {
  const picker = savePicker();
  if (!picker) return undefined;
  try {
    return await picker({
      suggestedName,
      types: [{ description: type.description, accept: { [type.mime]: [type.extension] } }],
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') return 'cancelled';
    throw err;
  }
}

export function download(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.click();
  // The download has taken its copy once the click is handled.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** A small text file (the dataset card): the save dialog if there is one, else a download. */
export async function saveText(text: string, fileName: string): Promise<void> {
  const blob = new Blob([text], { type: 'text/markdown' });
  const handle = await pickSaveFile(fileName, {
    description: 'Markdown',
    mime: 'text/markdown',
    extension: '.md',
  });
  if (handle === 'cancelled') return;
  if (!handle) return download(blob, fileName);
  const stream = await handle.createWritable();
  await stream.write(blob);
  await stream.close();
}
