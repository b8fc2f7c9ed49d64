import { DatasetBar } from '../features/datasets/DatasetBar';
import type { ViewEntry } from '../views';

interface Props {
  views: ViewEntry[];
  current: string;
  onView: (id: string) => void;
  datasetId: string | undefined;
  onDataset: (id: string) => void;
}

/** The one bar on every screen: the app, its views as tabs, and the current dataset. */
export function TopBar({ views, current, onView, datasetId, onDataset }: Props) {
  return (
    <header className="topbar">
      <a className="brand" href="?" aria-label="Magpie Studio, home">
        <img src="favicon.svg" alt="" width={28} height={28} />
        <span>Magpie Studio</span>
      </a>
      <nav className="views" aria-label="Views">
        {views.map((v, i) => (
          <a
            key={v.id}
            href={i === 0 ? '?' : `?view=${v.id}`}
            aria-current={current === v.id ? 'page' : undefined}
            aria-keyshortcuts={v.key}
            title={`${v.label} (key ${v.key})`}
            onClick={(e) => {
              if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return; // new tab: let the browser
              e.preventDefault();
              onView(v.id);
            }}
          >
            {v.label}
            <kbd aria-hidden="true">{v.key}</kbd>
          </a>
        ))}
      </nav>
      <DatasetBar datasetId={datasetId} onSelect={onDataset} />
    </header>
  );
}
