import { Suspense, useCallback, useEffect, useState } from 'react';
import type { Connection } from './features/model/connection';
import { GenerateView } from './features/run/GenerateView';
import { useSearchParam } from './lib/url-state';
import { TopBar } from './shell/TopBar';
import { useCurrentDataset } from './shell/use-current-dataset';
import { useViewShortcuts } from './shell/use-view-shortcuts';
import { GENERATE_VIEW, VIEWS } from './views';

export function App() {
  const [datasetId, setDatasetId] = useCurrentDataset();
  const [connection, setConnection] = useState<Connection>();
  const [view, setView] = useSearchParam('view');
  const active = VIEWS.find((v) => v.id === view) ?? VIEWS[0]!;
  const ActiveView = active.component;

  const openView = useCallback(
    (id: string) => setView(id === GENERATE_VIEW ? null : id),
    [setView],
  );
  useViewShortcuts(VIEWS, openView);
  useEffect(() => {
    document.title = `${active.label} · Magpie Studio`;
  }, [active.label]);

  return (
    <div className="app">
      <TopBar
        views={VIEWS}
        current={active.id}
        onView={openView}
        datasetId={datasetId}
        onDataset={setDatasetId}
      />
      <main>
        <div hidden={!!ActiveView}>
          <GenerateView
            datasetId={datasetId}
            connection={connection}
            onConnection={setConnection}
          />
        </div>
        {ActiveView && (
          <Suspense fallback={<p className="muted">Loading {active.label}…</p>}>
            <ActiveView datasetId={datasetId} connection={connection} />
          </Suspense>
        )}
      </main>
    </div>
  );
}
