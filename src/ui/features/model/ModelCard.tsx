import { useCallback, useEffect, useState } from 'react';
import type { EngineErrorInfo } from '../../../shared/engine';
import { outcome } from '../../../shared/outcome';
import { checkWebGPU, type GpuCapability } from '../../../shared/webgpu';
import type { BrowserModels } from './browser-models';
import { ErrorNote } from '../../lib/ErrorNote';
import { usePersistentState } from '../../lib/use-persistent-state';
import { readBrowserModels } from './browser-models';
import { BrowserModelPicker } from './BrowserModelPicker';
import type { Connection } from './connection';
import { GgufPicker } from './GgufPicker';
import { GpuPanel } from './GpuPanel';
import { ModelManager } from './ModelManager';
import { ServerConnect } from './ServerConnect';

type Source = 'browser' | 'gguf' | 'server';

/**
 * Where the model runs: in this tab on WebGPU (the default), a GGUF file in this tab
 * (llama.cpp), or on a completion server.
 */
export function ModelCard({
  disabled,
  connected,
  onConnected,
}: {
  disabled: boolean;
  connected: Connection | undefined;
  onConnected: (c: Connection | undefined) => void;
}) {
  const [source, setSource] = usePersistentState<Source>('magpie.source', 'browser');
  const [capability, setCapability] = useState<GpuCapability>();
  const [catalog, setCatalog] = useState<BrowserModels>();
  const [catalogError, setCatalogError] = useState<EngineErrorInfo>();

  const refresh = useCallback(() => {
    void outcome(readBrowserModels).then((res) => {
      if (res.ok) setCatalog(res.value);
      setCatalogError(res.ok ? undefined : res.error);
    });
  }, []);
  useEffect(() => {
    void checkWebGPU().then(setCapability);
  }, []);
  useEffect(() => {
    if (source === 'browser' && !catalog) refresh();
  }, [source, catalog, refresh]);

  return (
    <section className="card" aria-labelledby="engine-h">
      <h2 id="engine-h">Model</h2>
      <div className="tabs" role="tablist">
        {(
          [
            ['browser', 'In this browser (WebGPU)'],
            ['gguf', 'GGUF (llama.cpp)'],
            ['server', 'Completion server'],
          ] as const
        ).map(([id, label]) => (
          <button
            key={id}
            type="button"
            role="tab"
            aria-selected={source === id}
            disabled={disabled}
            onClick={() => setSource(id)}
          >
            {label}
          </button>
        ))}
      </div>
      {source === 'browser' ? (
        <>
          <GpuPanel capability={capability} />
          <ErrorNote error={catalogError} />
          {capability?.ok && (
            <>
              <BrowserModelPicker
                capability={capability}
                catalog={catalog}
                disabled={disabled}
                onConnected={onConnected}
                onLoaded={refresh}
              />
              <ModelManager catalog={catalog} onChanged={refresh} />
            </>
          )}
        </>
      ) : source === 'gguf' ? (
        <GgufPicker disabled={disabled} connected={connected} onConnected={onConnected} />
      ) : (
        <ServerConnect disabled={disabled} onConnected={onConnected} />
      )}
    </section>
  );
}
