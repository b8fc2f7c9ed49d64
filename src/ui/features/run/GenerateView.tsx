import { useCallback, useEffect, useState } from 'react';
import type { EngineErrorInfo, EngineFallback } from '../../../shared/engine';
import type { RunRecord, RunSettings } from '../../../shared/run';
import type { PromptTemplate } from '../../../shared/template';
import { getDb } from '../../../store/db';
import { createRun, getRun } from '../../../store/runs';
import { recoverAfterCrash, recoverInterruptedRuns } from '../../lib/recover-runs';
import { callForOutcome, onWorkerCrash } from '../../lib/generation-worker';
import type { Connection } from '../model/connection';
import { ModelCard } from '../model/ModelCard';
import { RecordList } from '../records/RecordList';
import { TemplateEditor } from '../template/TemplateEditor';
import { chooseTemplate, settingsForFamily } from '../template/choose-template';
import { RecipeFile } from '../method/RecipeFile';
import { PromptExplainer } from './PromptExplainer';
import { RunPanel } from './RunPanel';
import { RunsList } from './RunsList';
import { SamplingForm } from './SamplingForm';
import { TemplateDetails } from './TemplateDetails';
import { WhatToMake } from './WhatToMake';
import { methodProblems } from './method-problems';
import { useRun } from './use-run';

interface Props {
  datasetId: string | undefined;
  connection: Connection | undefined;
  onConnection: (connection: Connection | undefined) => void;
}

/**
 * Generate, in the order a first run needs: a model, what to make (the method's controls),
 * Generate. The template and sampling wait one click away, folded, the family in use named;
 * while a run goes, its live view takes the main area.
 */
export function GenerateView({ datasetId, connection, onConnection: setConnection }: Props) {
  const [template, setTemplate] = useState<PromptTemplate>();
  const [templateSource, setTemplateSource] = useState<string>();
  // Bumped whenever the template is replaced (not edited), to reset the editor's fields.
  const [templateKey, setTemplateKey] = useState(0);
  const [settings, setSettings] = useState<RunSettings>(() => settingsForFamily(undefined));
  const [crash, setCrash] = useState<string>();

  const onSettled = useCallback(() => void recoverInterruptedRuns(), []);
  const run = useRun(onSettled);
  const busy = run.activeRunId !== undefined;

  useEffect(() => {
    void recoverInterruptedRuns();
    return onWorkerCrash((message) => {
      setCrash(message);
      setConnection(undefined);
      void recoverAfterCrash();
    });
  }, [setConnection]);

  const replaceTemplate = (next: PromptTemplate | undefined, source: string | undefined) => {
    setTemplate(next);
    setTemplateSource(source);
    setTemplateKey((k) => k + 1);
    // Sampling follows the family; what the user chose for the data itself stays.
    if (next)
      setSettings((s) => ({
        ...settingsForFamily(next.family),
        target: s.target,
        seed: s.seed,
        systemPrompts: s.systemPrompts,
        systemPromptInResponse: s.systemPromptInResponse,
        languages: s.languages,
        dropLanguageMisses: s.dropLanguageMisses,
        dropHeadingFirst: s.dropHeadingFirst,
      }));
  };

  const onConnected = (c: Connection | undefined) => {
    setConnection(c);
    setCrash(undefined);
    if (c) {
      const chosen = chooseTemplate(c.model, c.config.kind);
      replaceTemplate(chosen?.template, chosen?.source);
    }
  };

  const canGenerate: string | true = !datasetId
    ? 'Create a dataset first.'
    : !connection
      ? 'Connect a model first.'
      : !template
        ? 'Pick a template family first.'
        : (methodProblems(settings, template)[0] ?? true);

  const generate = async () => {
    if (canGenerate !== true || !connection || !template || !datasetId) return;
    // API keys are never stored, nor a GGUF file's contents (IndexedDB would copy them).
    const engine =
      connection.config.kind === 'server'
        ? { ...connection.config, apiKey: undefined }
        : connection.config.kind === 'wllama'
          ? { ...connection.config, files: undefined }
          : connection.config;
    const created = await createRun(getDb(), {
      datasetId,
      engine,
      model: connection.model.id,
      template,
      settings,
    });
    await run.start(created);
  };

  const resume = (r: RunRecord) => void run.start(r);

  const [fallbackState, setFallbackState] = useState<{
    loading: boolean;
    error?: EngineErrorInfo;
  }>();
  /**
   * The failed run's offer taken up: the same model connected again with the offer's changes
   * (the file is still the page's, never stored), then the run resumed as Resume does, every
   * stored pair kept. The template and settings on screen stay: the run carries its own.
   */
  const continueWith = async (fallback: EngineFallback, runId: string) => {
    if (connection?.config.kind !== 'wllama') return;
    const config = { ...connection.config, ...fallback.changes };
    setFallbackState({ loading: true });
    setConnection(undefined);
    const res = await callForOutcome((api) => api.connect(config));
    if (!res.ok) return setFallbackState({ loading: false, error: res.error });
    setFallbackState(undefined);
    setConnection({ config, model: res.value });
    const stored = await getRun(getDb(), runId);
    if (stored) await run.start(stored);
  };

  return (
    <>
      {crash && (
        <div className="error" role="alert">
          <strong>{crash}</strong>
          <p>Every finished pair is kept. Connect the model again, then resume the run.</p>
        </div>
      )}
      <div className={busy ? 'columns running' : 'columns'}>
        <div className="setup">
          <ModelCard disabled={busy} connected={connection} onConnected={onConnected} />
          <section className="card" aria-labelledby="make-h">
            <h2 id="make-h">What to make</h2>
            <WhatToMake
              settings={settings}
              onChange={setSettings}
              disabled={busy}
              firstTokenControl={connection ? !!connection.model.firstTokenControl : undefined}
            />
            <RecipeFile
              connected={connection && { kind: connection.config.kind, model: connection.model.id }}
              template={template}
              settings={settings}
              disabled={busy}
              onApply={(recipe) => {
                setTemplate(recipe.template);
                setTemplateSource('Loaded from a recipe file.');
                setTemplateKey((k) => k + 1);
                setSettings(recipe.settings);
              }}
            />
          </section>
          <section className="card" aria-labelledby="tuning-h">
            <h2 id="tuning-h">Template and sampling</h2>
            {connection ? (
              <TemplateDetails
                template={template}
                source={templateSource}
                modelId={connection.model.id}
              >
                <TemplateEditor
                  key={templateKey}
                  modelId={connection.model.id}
                  // The fold's summary says how the template was found, seen while folded.
                  source={undefined}
                  template={template}
                  disabled={busy}
                  onFamily={(family) => {
                    const chosen = chooseTemplate(connection.model, connection.config.kind, family);
                    replaceTemplate(chosen?.template, chosen?.source);
                  }}
                  onChange={setTemplate}
                />
              </TemplateDetails>
            ) : (
              <p className="muted">The prompt template follows the model: connect one first.</p>
            )}
            <details className="more">
              <summary>Sampling and cleaning</summary>
              <SamplingForm settings={settings} onChange={setSettings} disabled={busy} />
            </details>
          </section>
        </div>
        <div className="output">
          <RunPanel
            datasetId={datasetId}
            run={run}
            canGenerate={canGenerate}
            onGenerate={() => void generate()}
            onFallback={
              connection?.config.kind === 'wllama'
                ? (fallback, runId) => void continueWith(fallback, runId)
                : undefined
            }
            fallbackState={fallbackState}
          />
          <PromptExplainer datasetId={datasetId} />
          <RunsList
            datasetId={datasetId}
            connectedModel={connection?.model.id}
            activeRunId={run.activeRunId}
            onResume={resume}
          />
          <RecordList datasetId={datasetId} />
        </div>
      </div>
    </>
  );
}
