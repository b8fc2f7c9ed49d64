/**
 * A map job's progress line. The job's reports come to this component alone (through the
 * feed the view hands the job), so a report re-renders one line, not the whole map view,
 * and a report that would not change what the line shows renders nothing.
 */
import { useEffect, useState } from 'react';
import type { MapProgress } from '../../../shared/map-api';

const PHASES: Record<MapProgress['phase'], string> = {
  read: 'Reading instructions',
  model: 'Loading the embedding model',
  embed: 'Embedding',
  fit: 'Fitting the projection (UMAP on a sample)',
  place: 'Placing every point',
  label: 'Labelling regions',
  save: 'Saving',
};

/** Where a job's reports go: the line listens while it is shown. */
export class ProgressFeed {
  private listener: ((p: MapProgress) => void) | undefined;
  /** The last report, for a line shown after it came. */
  last: MapProgress = { phase: 'read', done: 0, total: 0 };

  report(p: MapProgress): void {
    this.last = p;
    this.listener?.(p);
  }

  listen(listener: ((p: MapProgress) => void) | undefined): void {
    this.listener = listener;
  }
}

interface Shown {
  phase: MapProgress['phase'];
  /** Percent when the total is known, else the count done. */
  amount: number;
  known: boolean;
  text: string | undefined;
}

function shown(p: MapProgress): Shown {
  const known = p.total > 0;
  return {
    phase: p.phase,
    amount: known ? Math.round((100 * p.done) / p.total) : p.done,
    known,
    text: p.text,
  };
}

const same = (a: Shown, b: Shown) =>
  a.phase === b.phase && a.amount === b.amount && a.known === b.known && a.text === b.text;

export function MapProgressLine({ feed }: { feed: ProgressFeed }) {
  const [line, setLine] = useState(() => shown(feed.last));
  useEffect(() => {
    feed.listen((p) => {
      const next = shown(p);
      setLine((prev) => (same(prev, next) ? prev : next));
    });
    return () => feed.listen(undefined);
  }, [feed]);
  return (
    <div className="map-progress" role="status">
      {PHASES[line.phase]}
      {line.known ? ` ${line.amount}%` : line.amount > 0 ? ` ${line.amount.toLocaleString()}` : ''}
      {line.text && ` ${line.text}`}
      <progress value={line.known ? line.amount : undefined} max={line.known ? 100 : undefined} />
    </div>
  );
}
