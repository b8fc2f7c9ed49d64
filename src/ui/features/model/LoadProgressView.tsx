import type { LoadProgress } from '../../../shared/load-progress';

const PHASES = [
  ['fetch', 'Download weights'],
  ['cache', 'Load onto the GPU'],
  ['shaders', 'Compile shaders'],
] as const;

/** WebLLM's three loading phases as three bars, so progress never jumps back. */
export function LoadProgressView({ progress }: { progress: LoadProgress }) {
  return (
    <div className="load-progress" aria-label="Loading progress">
      {progress.fromCache && (
        <p className="ok">The weights are already downloaded: loading from the browser cache.</p>
      )}
      {PHASES.map(([key, label]) => {
        const value = progress[key];
        const detail =
          key === 'fetch' && progress.fetchedMB !== undefined
            ? ` · ${progress.fetchedMB.toFixed(0)}${progress.totalMB ? ` / ~${progress.totalMB.toFixed(0)}` : ''} MB`
            : key === 'cache' && progress.loadedMB !== undefined
              ? ` · ${progress.loadedMB.toFixed(0)} MB`
              : '';
        return (
          <label key={key} className={progress.phase === key ? 'active' : undefined}>
            {label}: {(value * 100).toFixed(0)}%{detail}
            <progress max={1} value={value} />
          </label>
        );
      })}
      <p className="muted mono-line">{progress.text}</p>
    </div>
  );
}
