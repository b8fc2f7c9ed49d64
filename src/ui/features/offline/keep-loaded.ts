/**
 * On the first visit the page loads before its service worker exists, so what it fetched by
 * then (the worker registration's own chunk, a view opened at once) went past the worker's
 * runtime cache. Once the worker controls the page, fetching those URLs again through it
 * stores them (mostly from the HTTP cache), so the next visit opens them offline too.
 */
export async function keepWhatLoadedBeforeControl(): Promise<void> {
  const sw = navigator.serviceWorker;
  await sw.ready;
  if (!sw.controller)
    await new Promise((resolve) =>
      sw.addEventListener('controllerchange', resolve, { once: true }),
    );
  const urls = performance
    .getEntriesByType('resource')
    .map((entry) => new URL(entry.name))
    .filter((url) => url.origin === location.origin && /\/assets\/[^/]+$/.test(url.pathname));
  await Promise.all(urls.map((url) => fetch(url).catch(() => undefined)));
}
