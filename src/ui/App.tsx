import { useCallback, useEffect, useState } from 'react';
import type { RunRecord, RunSettings } from '../shared/run';
import type { PromptTemplate } from '../shared/template';
import { getDb } from '../store/db';
import { createRun } from '../store/runs';
import { DatasetBar } from './features/datasets/DatasetBar';
import type { Connection } from './features/model/connection';
import { ModelCard } from './features/model/ModelCard';
import { RecordList } from './features/records/RecordList';
import { RunPanel } from './features/run/RunPanel';
import { RunSettingsForm } from './features/run/RunSettingsForm';
import { RunsList } from './features/run/RunsList';
import { useRun } from './features/run/use-run';
import { TemplateEditor } from './features/template/TemplateEditor';
import { chooseTemplate, settingsForFamily } from './features/template/choose-template';
import { recoverInterruptedRuns } from './lib/recover-runs';
import { usePersistentState } from './lib/use-persistent-state';
import { onWorkerCrash } from './lib/worker-client';

export function App() {
  const [datasetId, setDatasetId] = usePersistentState<string | undefined>(
    'magpie.dataset',
    undefined,
  );
  const [connection, setConnection] = useState<Connection>();
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
    });
  }, []);

  const replaceTemplate = (next: PromptTemplate | undefined, source: string | undefined) => {
    setTemplate(next);
    setTemplateSource(source);
    setTemplateKey((k) => k + 1);
    if (next)
      setSettings((s) => ({ ...settingsForFamily(next.family), target: s.target, seed: s.seed }));
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
        : true;

  const generate = async () => {
    if (canGenerate !== true || !connection || !template || !datasetId) return;
    // API keys are never stored.
    const engine =
      connection.config.kind === 'server'
        ? { ...connection.config, apiKey: undefined }
        : connection.config;
    const created = await createRun(getDb(), {
      datasetId,
      engine,
      model: connection.model.id,
      template,
      settings,
    });
    await run.start(created.id);
  };

  const resume = (r: RunRecord) => void run.start(r.id);

  return (
    <div className="app">
      <header>
        <h1>Magpie Studio</h1>
        <p className="muted">
          Instruction data from an aligned model, made on your machine. Nothing leaves it.
        </p>
      </header>
      {crash && (
        <div className="error" role="alert">
          <strong>{crash}</strong>
          <p>Every finished pair is kept. Connect the model again, then resume the run.</p>
        </div>
      )}
      <main className="columns">
        <div className="setup">
          <DatasetBar datasetId={datasetId} onSelect={setDatasetId} />
          <ModelCard disabled={busy} onConnected={onConnected} />
          {connection && (
            <section className="card" aria-labelledby="template-h">
              <h2 id="template-h">Prompt templates</h2>
              <TemplateEditor
                key={templateKey}
                modelId={connection.model.id}
                source={templateSource}
                template={template}
                disabled={busy}
                onFamily={(family) => {
                  const chosen = chooseTemplate(connection.model, connection.config.kind, family);
                  replaceTemplate(chosen?.template, chosen?.source);
                }}
                onChange={setTemplate}
              />
            </section>
          )}
          <section className="card" aria-labelledby="settings-h">
            <h2 id="settings-h">Run settings</h2>
            <RunSettingsForm settings={settings} onChange={setSettings} disabled={busy} />
          </section>
        </div>
        <div className="output">
          <RunPanel
            datasetId={datasetId}
            run={run}
            canGenerate={canGenerate}
            onGenerate={() => void generate()}
          />
          <RunsList
            datasetId={datasetId}
            connectedModel={connection?.model.id}
            activeRunId={run.activeRunId}
            onResume={resume}
          />
          <RecordList datasetId={datasetId} />
        </div>
      </main>
    </div>
  );
}
