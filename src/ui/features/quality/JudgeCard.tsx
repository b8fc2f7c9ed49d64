/**
 * "Tag with the model": the connected model judges the records that lack tags, at
 * temperature 0 with JSON output, as a resumable job (progress, Stop, start again later
 * to go on). Each tag records the model that gave it.
 */
import { useEffect, useState } from 'react';
import {
  JUDGE_TASKS,
  JUDGE_TASK_LABELS,
  type JudgeTask,
  type QualitySummary,
} from '../../../shared/quality';
import { DEFAULT_SORT } from '../../../shared/explorer-api';
import { writeViewFilter } from '../../../shared/view-filter-url';
import { callDataset } from '../../lib/dataset-worker';
import { ErrorNote } from '../../lib/ErrorNote';
import { setSearchParams } from '../../lib/url-state';
import type { Connection } from '../model/connection';
import { onJudgeSettled, startJudge, stopJudge, useJudge } from './use-judge';
import { count, n } from './format';

interface Props {
  datasetId: string;
  connection: Connection | undefined;
  summary: QualitySummary | undefined;
  onChanged: () => void;
}

const ENDED = {
  done: 'Tagging finished: every record has the chosen tags or a stored tag failure.',
  stopped: 'Tagging stopped. Tags stored so far are kept; press Tag again to go on.',
  failed: 'Tagging stopped on an error. Tags stored so far are kept.',
} as const;

/**
 * Opens Explore filtered to every record with a tag failure: each value of the tag-failure
 * facet (one task, or several joined) as the index counts them, all but '' (no failure).
 */
async function showFailures(datasetId: string) {
  const view = await callDataset((api) => api.query(datasetId, {}, DEFAULT_SORT));
  const failed = view.facets.tag_failure.map((c) => c.value).filter((v) => v !== '');
  setSearchParams((p) => {
    writeViewFilter(p, { facets: { tag_failure: failed } });
    p.set('view', 'explore');
  });
}

export function JudgeCard({ datasetId, connection, summary, onChanged }: Props) {
  const judge = useJudge();
  useEffect(() => onJudgeSettled(onChanged), [onChanged]);
  const [tasks, setTasks] = useState<JudgeTask[]>([...JUDGE_TASKS]);
  const [retryFailures, setRetryFailures] = useState(false);
  const { progress, ended } = judge;

  const toggle = (task: JudgeTask, on: boolean) =>
    setTasks((ts) => JUDGE_TASKS.filter((t) => (t === task ? on : ts.includes(t))));

  return (
    <section className="card" aria-labelledby="judge-h">
      <h2 id="judge-h">Tag with the model</h2>
      {connection ? (
        <p>
          Judge: <strong>{connection.model.id}</strong> (
          {connection.config.kind === 'server' ? 'completion server' : 'in this browser'}),
          temperature 0, JSON answers. Prompts follow the Magpie authors’ tagging prompts.
        </p>
      ) : (
        <p className="warn">
          Connect a model in Generate first (a completion server or a browser model): it acts as the
          judge.
        </p>
      )}
      <fieldset>
        <legend>Tags</legend>
        {JUDGE_TASKS.map((task) => (
          <label key={task} className="check">
            <input
              type="checkbox"
              checked={tasks.includes(task)}
              disabled={judge.running}
              onChange={(e) => toggle(task, e.target.checked)}
            />
            {JUDGE_TASK_LABELS[task]}
            {summary && (
              <span className="muted">
                {' '}
                ({n(summary.tagged[task])} / {n(summary.records)} tagged)
              </span>
            )}
          </label>
        ))}
        <label className="check">
          <input
            type="checkbox"
            checked={retryFailures}
            disabled={judge.running}
            onChange={(e) => setRetryFailures(e.target.checked)}
          />
          Ask again where an earlier answer was stored as a tag failure
        </label>
      </fieldset>
      {summary && summary.failures > 0 && (
        <p className="muted" data-testid="tag-failures">
          {count(summary.failures, 'record has', 'records have')} a tag failure: the judge’s answer
          did not parse or used a label outside the set, twice, or the server failed on every try.
          Its raw text is kept on the record (tag_failure, exported with the tags).{' '}
          <a
            href="?view=explore"
            onClick={(e) => {
              e.preventDefault();
              void showFailures(datasetId);
            }}
          >
            Find them in Explore
          </a>
        </p>
      )}
      <div className="row">
        {judge.running ? (
          <button type="button" className="danger" onClick={stopJudge}>
            Stop tagging
          </button>
        ) : (
          <button
            type="button"
            className="primary"
            disabled={!connection || tasks.length === 0}
            onClick={() => void startJudge({ datasetId, tasks, retryFailures })}
          >
            Tag untagged records
          </button>
        )}
        <span className="muted">
          Runs alongside generation: a browser model answers one request at a time, so both slow
          down; a server takes both.
        </span>
      </div>
      {progress && (
        <div aria-label="Tagging progress">
          <progress max={progress.total || 1} value={progress.done} />
          <dl className="figures">
            <Figure
              name="Records"
              value={`${n(progress.done)} / ${n(progress.total)}`}
              id="judge-done"
            />
            <Figure name="Tag failures" value={n(progress.failed)} id="judge-failed" />
            <Figure name="Asked again" value={n(progress.retried)} id="judge-retried" />
            <Figure name="Records/min" value={n(progress.perMinute)} />
          </dl>
        </div>
      )}
      {ended && (
        <p role="status" data-testid="judge-status">
          {ENDED[ended.status]}
        </p>
      )}
      <ErrorNote error={ended?.error} />
    </section>
  );
}

function Figure({ name, value, id }: { name: string; value: string; id?: string }) {
  return (
    <div>
      <dt>{name}</dt>
      <dd data-testid={id}>{value}</dd>
    </div>
  );
}
