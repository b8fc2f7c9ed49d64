/// <reference types="vite-plugin-pwa/react" />
import { useState } from 'react';
import { useRegisterSW } from 'virtual:pwa-register/react';
import { keepWhatLoadedBeforeControl } from './keep-loaded';
import './update-prompt.css';

/** How often a tab left open asks the host for a new version (a navigation asks anyway). */
const CHECK_EVERY_MS = 60 * 60 * 1000;

/**
 * Registers the service worker (after a first visit the app opens offline) and offers a new
 * version when one is deployed. The new version waits until the user takes it, so a running
 * generation or an open edit is never cut short by a reload.
 */
export function UpdatePrompt() {
  // Read before registering: a page with no worker yet is the first visit.
  const [firstVisit] = useState(() => !navigator.serviceWorker?.controller);
  const {
    needRefresh: [needRefresh, setNeedRefresh],
    updateServiceWorker,
  } = useRegisterSW({
    onRegisteredSW(_url, registration) {
      if (!registration) return;
      if (firstVisit) void keepWhatLoadedBeforeControl();
      // Offline the check fails; the next one tries again.
      setInterval(() => void registration.update().catch(() => undefined), CHECK_EVERY_MS);
    },
  });
  if (!needRefresh) return null;
  return (
    <div className="update-prompt" role="status">
      A new version of Magpie Studio is ready.
      <button type="button" className="primary" onClick={() => void updateServiceWorker()}>
        Reload to update
      </button>
      <button type="button" onClick={() => setNeedRefresh(false)}>
        Later
      </button>
    </div>
  );
}
