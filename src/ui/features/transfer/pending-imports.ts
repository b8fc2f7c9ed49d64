/**
 * Imports under way, remembered in localStorage until they commit or are undone. An import
 * whose tab closed half-way left records tagged `import:<id>`; at the next start, any
 * remembered import no tab holds a lock for is removed, so no dataset stays half imported.
 */
import { IMPORT_LOCK_PREFIX } from '../../../shared/transfer-api';
import { callTransfer } from './transfer-client';

const KEY = 'magpie.transfer.pendingImports';

function read(): string[] {
  try {
    const value: unknown = JSON.parse(localStorage.getItem(KEY) ?? '[]');
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
}

const write = (ids: string[]) => localStorage.setItem(KEY, JSON.stringify(ids));

export function rememberImport(id: string): void {
  write([...read().filter((v) => v !== id), id]);
}

export function forgetImport(id: string): void {
  write(read().filter((v) => v !== id));
}

export async function undoAbandonedImports(): Promise<void> {
  const ids = read();
  if (!ids.length) return;
  const state = await navigator.locks?.query();
  const held = new Set((state?.held ?? []).map((l) => l.name));
  for (const id of ids) {
    if (held.has(IMPORT_LOCK_PREFIX + id)) continue;
    const out = await callTransfer((api) => api.discardImport(id));
    if (out.ok) forgetImport(id);
  }
}
