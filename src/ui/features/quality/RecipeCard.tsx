/**
 * The Magpie recipe (or the user's own): the funnel shows what each step would remove
 * before anything changes; applying sets review statuses (survivors 'kept', the rest
 * 'rejected') after a confirmation that says what it replaces. Every status can still be
 * changed record by record afterwards.
 */
import { useEffect, useState } from 'react';
import type { EngineErrorInfo } from '../../../shared/engine';
import {
  MAGPIE_RECIPE,
  type ApplyResult,
  type Funnel,
  type QualitySummary,
  type RecipeSteps,
} from '../../../shared/quality';
import { ErrorNote } from '../../lib/ErrorNote';
import { FunnelTable } from './FunnelTable';
import { datasetOutcome } from '../../lib/dataset-worker';
import { RecipeForm } from './RecipeForm';
import { SavedRecipes } from './SavedRecipes';
import { n } from './format';

interface Props {
  datasetId: string;
  summary: QualitySummary | undefined;
  onApplied: () => void;
}

export function RecipeCard({ datasetId, summary, onApplied }: Props) {
  const [steps, setSteps] = useState<RecipeSteps>(MAGPIE_RECIPE);
  const [funnel, setFunnel] = useState<Funnel>();
  const [error, setError] = useState<EngineErrorInfo>();
  const [confirming, setConfirming] = useState(false);
  const [applying, setApplying] = useState(false);
  const [applied, setApplied] = useState<ApplyResult>();

  // The funnel follows the steps and the data (new tags, new pairs) as they change.
  useEffect(() => {
    let live = true;
    const timer = setTimeout(() => {
      void datasetOutcome((api) => api.previewRecipe(datasetId, steps)).then((out) => {
        if (!live) return;
        if (out.ok) {
          setFunnel(out.value);
          setError(undefined);
        } else setError(out.error);
      });
    }, 250);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [datasetId, steps, summary]);

  const change = (next: RecipeSteps) => {
    setSteps(next);
    setConfirming(false);
    setApplied(undefined);
  };

  const apply = async () => {
    setApplying(true);
    const out = await datasetOutcome((api) => api.applyRecipe(datasetId, steps));
    setApplying(false);
    setConfirming(false);
    if (out.ok) setApplied(out.value);
    else setError(out.error);
    onApplied();
  };

  const untagged = funnel?.steps.reduce((sum, s) => sum + s.untagged, 0) ?? 0;
  const rejected = funnel ? funnel.total - funnel.kept : 0;
  return (
    <section className="card" aria-labelledby="recipe-h">
      <h2 id="recipe-h">Filter recipe</h2>
      <p className="muted">
        The Magpie authors kept input quality good or excellent, dropped instructions ending with
        “:”, kept the first of each near-duplicate cluster, then took the longest responses.
      </p>
      <SavedRecipes steps={steps} onLoad={change} />
      <RecipeForm steps={steps} onChange={change} />
      <h3>What it would do (nothing changes until you apply)</h3>
      {funnel ? <FunnelTable funnel={funnel} /> : <p className="muted">Counting…</p>}
      {untagged > 0 && (
        <p className="warn">
          {n(untagged)} of the removed records are simply not tagged or checked yet. Tag them first
          (or turn the step off) if they should have a chance.
        </p>
      )}
      {funnel && !confirming && (
        <div className="row">
          <button
            type="button"
            className="primary"
            disabled={applying || funnel.total === 0}
            onClick={() => {
              setApplied(undefined);
              setConfirming(true);
            }}
          >
            Apply recipe…
          </button>
        </div>
      )}
      {funnel && confirming && (
        <div className="warn" role="alertdialog" aria-label="Confirm the recipe">
          <p>
            This sets the review status of all {n(funnel.total)} records:{' '}
            <strong>{n(funnel.kept)} kept</strong> (the survivors) and{' '}
            <strong>{n(rejected)} rejected</strong> (everything the steps remove). It replaces the
            current statuses ({n(funnel.current.kept)} kept, {n(funnel.current.rejected)} rejected,{' '}
            {n(funnel.current.unreviewed)} unreviewed). Nothing is deleted, and any record can be
            changed by hand afterwards.
          </p>
          <div className="row">
            <button
              type="button"
              className="primary"
              disabled={applying}
              onClick={() => void apply()}
            >
              Mark {n(funnel.kept)} kept, {n(rejected)} rejected
            </button>
            <button type="button" onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </div>
        </div>
      )}
      {applied && (
        <p className="ok" role="status" data-testid="recipe-result">
          Applied: {n(applied.kept)} kept, {n(applied.rejected)} rejected.
        </p>
      )}
      {summary && (
        <p className="muted" data-testid="review-counts">
          Review statuses now: {n(summary.review.kept)} kept · {n(summary.review.rejected)} rejected
          · {n(summary.review.unreviewed)} unreviewed
        </p>
      )}
      <ErrorNote error={error} />
    </section>
  );
}
