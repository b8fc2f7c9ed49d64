import { useEffect } from 'react';
import type { ViewEntry } from '../views';

/**
 * Digit keys open views (1 Generate, 2 Explore, ...). Bare digits rather than Alt+digit:
 * Chrome on Linux takes Alt+digit for its own tabs. Ignored while typing in a field and
 * with any modifier, so numbers typed into settings never switch views.
 */
export function useViewShortcuts(views: ViewEntry[], open: (id: string) => void) {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.ctrlKey || event.metaKey || event.altKey || event.shiftKey) return;
      if (event.defaultPrevented || isTypingTarget(event.target)) return;
      const view = views.find((v) => v.key === event.key);
      if (!view) return;
      event.preventDefault();
      open(view.id);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [views, open]);
}

function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}
