import { useState } from 'react';
import type { EngineErrorInfo, ServerEngineConfig } from '../../../shared/engine';
import type { Connection } from './connection';
import { ErrorNote } from '../../lib/ErrorNote';
import { usePersistentState } from '../../lib/use-persistent-state';
import { callForOutcome } from '../../lib/worker-client';

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
  const [concurrency, setConcurrency] = usePersistentState('magpie.server.concurrency', 8);
  const [models, setModels] = useState<string[]>([]);
  const [model, setModel] = useState('');
  const [normalisedUrl, setNormalisedUrl] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<EngineErrorInfo>();
  const [connected, setConnected] = useState<string>();

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
      concurrency,
    };
    const res = await callForOutcome((api) => api.connect(config));
    setBusy(false);
    if (!res.ok) {
      onConnected(undefined);
      return setError(res.error);
    }
    setConnected(res.value.id);
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
          Requests in flight
          <input
            type="number"
            min={1}
            max={256}
            value={concurrency}
            onChange={(e) => setConcurrency(Math.max(1, Number(e.target.value) || 1))}
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
      {connected && (
        <p className="ok" role="status">
          Connected to <code>{connected}</code> at <code>{normalisedUrl}</code>.
        </p>
      )}
      <ErrorNote error={error} />
    </div>
  );
}
