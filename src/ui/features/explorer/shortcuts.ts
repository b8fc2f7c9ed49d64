/**
 * The explorer's keyboard: one table of keys, shown on the buttons they press, and the
 * one place that decides whether a key press is a shortcut (never while typing).
 */
export const SHORTCUTS = {
  next: 'j',
  previous: 'k',
  keep: 'y',
  reject: 'n',
  unreviewed: 'u',
  edit: 'e',
  delete: 'Shift+D',
  search: '/',
} as const;

export type ShortcutAction = keyof typeof SHORTCUTS | 'close';

export function shortcutOf(event: KeyboardEvent): ShortcutAction | undefined {
  if (event.ctrlKey || event.metaKey || event.altKey) return undefined;
  const target = event.target as HTMLElement | null;
  if (target?.closest('input, textarea, select, [contenteditable="true"]')) return undefined;
  switch (event.key) {
    case 'j':
    case 'ArrowDown':
      return 'next';
    case 'k':
    case 'ArrowUp':
      return 'previous';
    case 'y':
      return 'keep';
    case 'n':
      return 'reject';
    case 'u':
      return 'unreviewed';
    case 'e':
      return 'edit';
    case 'D':
      return event.shiftKey ? 'delete' : undefined;
    case '/':
      return 'search';
    case 'Escape':
      return 'close';
  }
  return undefined;
}
