import { useState } from 'react';
import {
  BROWSER_CONNECTIONS_PER_HOST,
  DEFAULT_BATCH_SIZE,
  DEFAULT_CONNECTIONS,
  type EngineErrorInfo,
  type ModelDescription,
  type ServerEngineConfig,
} from '../../../shared/engine';
import type { Connection } from './connection';
import { ErrorNote } from '../../lib/ErrorNote';
import { usePersistentState } from '../../lib/use-persistent-state';
import { callForOutcome } from '../../lib/generation-worker';

interface Props {
  disabled: boolean;
  onConnected: (connection: Connection | undefined) => void;
}

/**
 * Connect an OpenAI-compatible completion server: list its models, pick one, load it.
 * Every failure comes back from the worker already explained (EngineErrorInfo).
 */
export function ServerConnect({ disabled, onConnected }: Props) {
  const [baseUrl, setBaseUrl] = usePersistentState('magpie.server.url', 'http://127.0.0.1:8000/v1');
  const [apiKey, setApiKey] = useState('');
  const [connections, setConnections] = usePersistentState(
    'magpie.server.connections',
    DEFAULT_CONNECTIONS,
  );
  const [batchSize, setBatchSize] = usePersistentState('magpie.server.batch', DEFAULT_BATCH_SIZE);
  const [models, setModels] = useState<string[]>([]);
  const [model, setModel] = useState('');
  const [normalisedUrl, setNormalisedUrl] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<EngineErrorInfo>();
  const [connected, setConnected] = useState<ModelDescription>();

  const list = async () => {
    setBusy(true);
    setError(undefined);
    setConnected(undefined);
    onConnected(undefined);
    const res = await callForOutcome((api) => api.listServerModels(baseUrl, apiKey || undefined));
    setBusy(false);
    if (!res.ok) return setError(res.error);
    setModels(res.value.models);
    setNormalisedUrl(res.value.baseUrl);
    const first = res.value.models[0] ?? '';
    setModel(first);
    if (res.value.models.length === 1) await connect(res.value.baseUrl, first);
  };

  const connect = async (url: string, id: string) => {
    setBusy(true);
    setError(undefined);
    const config: ServerEngineConfig = {
      kind: 'server',
      baseUrl: url,
      apiKey: apiKey || undefined,
      model: id,
      concurrency: connections,
      batchSize,
    };
    const res = await callForOutcome((api) => api.connect(config));
    setBusy(false);
    if (!res.ok) {
      onConnected(undefined);
      return setError(res.error);
    }
    setConnected(res.value);
    onConnected({ config, model: res.value });
  };

  return (
    <div className="server-connect">
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          void list();
        }}
      >
        <label className="grow">
          Server URL
          <input
            value={baseUrl}
            onChange={(e) => setBaseUrl(e.target.value)}
            placeholder="http://127.0.0.1:8000/v1"
          />
        </label>
        <label>
          API key (optional)
          <input
            type="password"
            value={apiKey}
            onChange={(e) => setApiKey(e.target.value)}
            autoComplete="off"
          />
        </label>
        <label>
          Connections
          <input
            type="number"
            min={1}
            max={64}
            value={connections}
            aria-describedby="connections-note"
            onChange={(e) => setConnections(Math.max(1, Number(e.target.value) || 1))}
          />
        </label>
        <label>
          Batch size
          <input
            type="number"
            min={1}
            max={512}
            value={batchSize}
            onChange={(e) => setBatchSize(Math.max(1, Number(e.target.value) || 1))}
          />
        </label>
        <button type="submit" disabled={busy || disabled}>
          {busy ? 'Connecting…' : 'Connect'}
        </button>
      </form>
      {models.length > 1 && (
        <div className="row">
          <label className="grow">
            Model
            <select value={model} onChange={(e) => setModel(e.target.value)}>
              {models.map((m) => (
                <option key={m}>{m}</option>
              ))}
            </select>
          </label>
          <button
            type="button"
            disabled={busy || disabled}
            onClick={() => void connect(normalisedUrl, model)}
          >
            Use this model
          </button>
        </div>
      )}
      <p className="muted" id="connections-note" data-testid="connections-note">
        Connections are requests on the wire at once; batch size is samples per request (where the
        server takes them), so up to {connections} × {batchSize} samples are in flight.
        {connections > BROWSER_CONNECTIONS_PER_HOST &&
          ` This browser opens at most ${BROWSER_CONNECTIONS_PER_HOST} connections to one HTTP/1.1 server (vLLM, llama.cpp and Ollama serve HTTP/1.1): the other ${connections - BROWSER_CONNECTIONS_PER_HOST} wait in the browser unless the server speaks HTTP/2 (e.g. behind a proxy). Raise the batch size instead.`}
      </p>
      {connected && (
        <p className="ok" role="status">
          Connected to <code>{connected.id}</code> at <code>{normalisedUrl}</code>.{' '}
          <span data-testid="batching-note">{batchingWords(connected)}</span>
        </p>
      )}
      <ErrorNote error={error} />
    </div>
  );
}

/** What the probe found, in words: how many samples go per request and why. */
function batchingWords(model: ModelDescription): string {
  const b = model.batching;
  if (!b) return '';
  const connections = model.connections ?? model.concurrency;
  if (!b.n && !b.promptArrays) {
    return `This server takes one prompt per request (as Ollama does): up to ${connections} samples in flight.`;
  }
  if (b.batchSize === 1) return `Batch size 1: one sample per request, ${connections} in flight.`;
  const how = b.n
    ? 'several samples of one prompt (n) and several prompts per request'
    : 'several prompts per request but not n (as llama.cpp’s server): identical seeded prompts go one per request';
  return `This server takes ${how}: up to ${connections} × ${b.batchSize} = ${model.concurrency} samples in flight.`;
}
