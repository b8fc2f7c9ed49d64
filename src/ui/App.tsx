import { useState } from 'react';
import { DatasetBar } from './features/datasets/DatasetBar';
import type { Connection } from './features/model/connection';
import { GenerateView } from './features/run/GenerateView';
import { usePersistentState } from './lib/use-persistent-state';
import { useSearchParam } from './lib/url-state';
import { VIEWS } from './views';

export function App() {
  const [datasetId, setDatasetId] = usePersistentState<string | undefined>(
    'magpie.dataset',
    undefined,
  );
  const [connection, setConnection] = useState<Connection>();
  const [view, setView] = useSearchParam('view');
  const active = VIEWS.find((v) => v.id === view);
  const ActiveView = active?.component;

  return (
    <div className="app">
      <header className="top">
        <div>
          <h1>Magpie Studio</h1>
          <p className="muted">
            Instruction data from an aligned model, made on your machine. Nothing leaves it.
          </p>
        </div>
        <nav className="views" aria-label="Views">
          {[{ id: 'generate', label: 'Generate' }, ...VIEWS].map((v) => (
            <a
              key={v.id}
              href={v.id === 'generate' ? '?' : `?view=${v.id}`}
              aria-current={(active?.id ?? 'generate') === v.id ? 'page' : undefined}
              onClick={(e) => {
                if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return; // new tab: let the browser
                e.preventDefault();
                setView(v.id === 'generate' ? null : v.id);
              }}
            >
              {v.label}
            </a>
          ))}
        </nav>
      </header>
      <DatasetBar datasetId={datasetId} onSelect={setDatasetId} />
      <main>
        <div hidden={!!ActiveView}>
          <GenerateView
            datasetId={datasetId}
            connection={connection}
            onConnection={setConnection}
          />
        </div>
        {ActiveView && <ActiveView datasetId={datasetId} connection={connection} />}
      </main>
    </div>
  );
}
