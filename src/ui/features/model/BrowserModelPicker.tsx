import { useEffect, useMemo, useState } from 'react';
import type { EngineErrorInfo, WebLLMEngineConfig } from '../../../shared/engine';
import type { LoadProgress } from '../../../shared/load-progress';
import {
  defaultModel,
  fitsGpu,
  groupByFamily,
  twinFor,
  type CatalogModel,
} from '../../../shared/model-catalog';
import type { GpuCapability } from '../../../shared/webgpu';
import type { BrowserModels } from './browser-models';
import { ErrorNote } from '../../lib/ErrorNote';
import { usePersistentState } from '../../lib/use-persistent-state';
import { callForOutcome, callWorker, proxy } from '../../lib/generation-worker';
import { formatBytes, type Connection } from './connection';
import { LoadProgressView } from './LoadProgressView';

interface Props {
  capability: GpuCapability | undefined;
  catalog: BrowserModels | undefined;
  disabled: boolean;
  onConnected: (connection: Connection | undefined) => void;
  onLoaded: () => void;
}

/** Pick a model from WebLLM's list, see whether it fits this GPU, and load it. */
export function BrowserModelPicker({
  capability,
  catalog,
  disabled,
  onConnected,
  onLoaded,
}: Props) {
  const [chosen, setChosen] = usePersistentState<string | undefined>(
    'magpie.webllm.model',
    undefined,
  );
  const [progress, setProgress] = useState<LoadProgress>();
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<EngineErrorInfo>();
  const [loaded, setLoaded] = useState<string>();

  const models = useMemo(() => catalog?.models ?? [], [catalog]);
  const fallback = capability && defaultModel(models, capability);
  const selectedId = chosen && models.some((m) => m.id === chosen) ? chosen : fallback?.id;
  const selected = models.find((m) => m.id === selectedId);
  useEffect(() => {
    if (!chosen && fallback) setChosen(fallback.id);
  }, [chosen, fallback, setChosen]);

  const fit = selected && capability ? fitsGpu(selected, capability) : undefined;
  const twin =
    selected?.needsF16 && capability?.ok && !capability.shaderF16
      ? twinFor(selected.id, models)
      : undefined;
  const cached = selected ? catalog?.cached[selected.id] : undefined;

  const load = async () => {
    if (!selected) return;
    setLoading(true);
    setError(undefined);
    setLoaded(undefined);
    setProgress(undefined);
    onConnected(undefined);
    const config: WebLLMEngineConfig = { kind: 'webllm', model: selected.id };
    const res = await callForOutcome((api) => api.connect(config, proxy(setProgress)));
    setLoading(false);
    onLoaded();
    if (!res.ok) return setError(res.error);
    setLoaded(res.value.id);
    onConnected({ config, model: res.value });
  };

  if (!catalog) return <p className="muted">Reading WebLLM’s model list…</p>;
  return (
    <div className="browser-models">
      <div className="row">
        <label className="grow">
          Model
          <select
            value={selectedId ?? ''}
            onChange={(e) => setChosen(e.target.value)}
            disabled={disabled || loading}
          >
            {groupByFamily(models).map((g) => (
              <optgroup key={g.family} label={g.family}>
                {g.models.map((m) => (
                  <option key={m.id} value={m.id}>
                    {optionLabel(m, catalog, capability)}
                  </option>
                ))}
              </optgroup>
            ))}
          </select>
        </label>
        {loading ? (
          <button type="button" onClick={() => void callWorker((api) => api.cancelConnect())}>
            Cancel
          </button>
        ) : (
          <button
            type="button"
            className="primary"
            disabled={disabled || !selected || fit?.blocking}
            onClick={() => void load()}
          >
            Load model
          </button>
        )}
      </div>
      {selected && (
        <p className="muted" data-testid="model-facts">
          {selected.vramMB
            ? `Needs ~${formatBytes(selected.vramMB * 2 ** 20)} of GPU memory. `
            : ''}
          {cached?.complete
            ? `Downloaded (${formatBytes(cached.bytes)}): loads from the browser cache.`
            : cached
              ? `Partly downloaded (${formatBytes(cached.bytes)}): the download resumes.`
              : 'Not downloaded yet: the first load downloads the weights once.'}
          {selected.tags.length > 0 && ` Tagged: ${selected.tags.join(', ')}.`}
        </p>
      )}
      {fit && !fit.fits && (
        <p className={fit.blocking ? 'warn' : 'muted'} role={fit.blocking ? 'alert' : undefined}>
          {fit.reason}
          {twin && (
            <>
              {' '}
              <button type="button" onClick={() => setChosen(twin.id)}>
                Use {twin.id}
              </button>
            </>
          )}
        </p>
      )}
      {loading && progress && <LoadProgressView progress={progress} />}
      {loading && !progress && <p className="muted">Starting WebLLM…</p>}
      {loaded && (
        <p className="ok" role="status">
          Connected to <code>{loaded}</code> in this browser.
        </p>
      )}
      <ErrorNote error={error} />
    </div>
  );
}

function optionLabel(
  m: CatalogModel,
  catalog: BrowserModels,
  cap: GpuCapability | undefined,
): string {
  const parts = [m.id];
  if (m.vramMB) parts.push(formatBytes(m.vramMB * 2 ** 20));
  if (catalog.cached[m.id]?.complete) parts.push('downloaded');
  const fit = cap && fitsGpu(m, cap);
  if (fit?.blocking) parts.push(m.needsF16 ? "needs shader-f16: can't run here" : "can't run here");
  return parts.join(' · ');
}
