import { useCallback, useEffect, useState } from 'react';
import type { EngineErrorInfo, WllamaEngineConfig } from '../../../shared/engine';
import {
  defaultThreads,
  ggufFit,
  ggufModelId,
  type GgufCachedModel,
  type GgufHost,
  type GgufInfo,
} from '../../../shared/gguf';
import type { LoadProgress } from '../../../shared/load-progress';
import { ErrorNote } from '../../lib/ErrorNote';
import { usePersistentState } from '../../lib/use-persistent-state';
import { callForOutcome, callWorker, proxy } from '../../lib/generation-worker';
import { formatBytes, ggufWhere, type Connection } from './connection';

interface Props {
  disabled: boolean;
  /** The page's connection: what this picker loaded, or what replaced it (the CPU after a lost GPU). */
  connected: Connection | undefined;
  onConnected: (connection: Connection | undefined) => void;
}

function readHost(): GgufHost {
  return {
    crossOriginIsolated: globalThis.crossOriginIsolated === true,
    hardwareConcurrency: navigator.hardwareConcurrency || 1,
    webgpu: 'gpu' in navigator,
  };
}

function formatCount(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(1)} B`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)} M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(0)} K`;
  return String(n);
}

/**
 * Any GGUF model, run by llama.cpp (wllama) in this tab: a file (or its splits) from this
 * disk, read in place, or a URL downloaded once and kept. What the file is shows before
 * loading; threads and GPU offload are the user's to change.
 */
export function GgufPicker({ disabled, connected, onConnected }: Props) {
  const [host] = useState(readHost);
  const [files, setFiles] = useState<File[]>([]);
  const [info, setInfo] = useState<GgufInfo>();
  const [url, setUrl] = usePersistentState('magpie.gguf.url', '');
  const [threads, setThreads] = usePersistentState('magpie.gguf.threads', defaultThreads(host));
  const [gpu, setGpu] = usePersistentState('magpie.gguf.gpu', host.webgpu);
  const [progress, setProgress] = useState<LoadProgress>();
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<EngineErrorInfo>();
  const [cached, setCached] = useState<GgufCachedModel[]>([]);

  const maxThreads = host.crossOriginIsolated ? host.hardwareConcurrency : 1;
  const useThreads = Math.min(Math.max(1, threads), maxThreads);
  const useGpu = gpu && host.webgpu;

  const refreshCache = useCallback(() => {
    void callForOutcome((api) => api.ggufModels()).then((res) => res.ok && setCached(res.value));
  }, []);
  useEffect(refreshCache, [refreshCache]);

  const choose = async (list: File[]) => {
    setFiles(list);
    setInfo(undefined);
    setError(undefined);
    if (list.length === 0) return;
    const res = await callForOutcome((api) => api.inspectGguf(list));
    if (!res.ok) return setError(res.error);
    setInfo(res.value);
  };

  const loaded = connected?.config.kind === 'wllama' ? ggufWhere(connected.model) : undefined;
  const fit = info ? ggufFit(info, host, useThreads, useGpu) : undefined;

  const load = async (source: 'file' | 'url') => {
    setLoading(true);
    setError(undefined);
    setProgress(undefined);
    onConnected(undefined);
    const config: WllamaEngineConfig = {
      kind: 'wllama',
      model: source === 'file' && info ? info.id : ggufModelId(url),
      threads: useThreads,
      gpuLayers: useGpu ? 999 : 0,
      ...(source === 'file' ? { files } : { url }),
    };
    const res = await callForOutcome((api) => api.connect(config, proxy(setProgress)));
    setLoading(false);
    refreshCache();
    if (!res.ok) return setError(res.error);
    onConnected({ config, model: res.value });
  };

  const remove = async (entry: GgufCachedModel) => {
    if (!confirm(`Delete ${entry.url} from this browser? It downloads again when next loaded.`)) {
      return;
    }
    const res = await callForOutcome((api) => api.deleteGgufModel(entry.url));
    setError(res.ok ? undefined : res.error);
    refreshCache();
  };

  return (
    <div className="gguf-picker">
      <div className="row">
        <label className="grow">
          GGUF file (choose every split of a split model)
          <input
            type="file"
            accept=".gguf"
            multiple
            disabled={disabled || loading}
            onChange={(e) => void choose([...(e.target.files ?? [])])}
          />
        </label>
        <label>
          CPU threads
          <input
            type="number"
            min={1}
            max={maxThreads}
            value={useThreads}
            disabled={disabled || loading || maxThreads === 1}
            onChange={(e) => setThreads(Math.max(1, Number(e.target.value) || 1))}
          />
        </label>
        <label>
          <input
            type="checkbox"
            checked={useGpu}
            disabled={disabled || loading || !host.webgpu}
            onChange={(e) => setGpu(e.target.checked)}
          />{' '}
          GPU offload (WebGPU)
        </label>
      </div>
      <p className="muted" data-testid="gguf-threads">
        llama.cpp will use {useThreads} CPU thread{useThreads === 1 ? '' : 's'}
        {host.crossOriginIsolated
          ? ` (this machine has ${host.hardwareConcurrency}).`
          : ': this page is not cross-origin isolated, so llama.cpp runs on one thread.'}
        {!host.webgpu && ' No WebGPU in this browser: the CPU does all the work.'}
      </p>
      {info && (
        <dl className="facts" data-testid="gguf-facts">
          <dt>Model</dt>
          <dd>
            <code>{info.id}</code>
            {info.name && ` (${info.name})`}
          </dd>
          <dt>Architecture</dt>
          <dd>{info.architecture}</dd>
          <dt>Parameters</dt>
          <dd>{formatCount(info.parameters)}</dd>
          <dt>Quantization</dt>
          <dd>{info.quantization}</dd>
          <dt>Context length</dt>
          <dd>{info.contextLength ?? 'not stated'}</dd>
          <dt>Size</dt>
          <dd>
            {formatBytes(info.bytes)}
            {info.expectedSplits > 1 && ` in ${info.splits} of ${info.expectedSplits} files`}
          </dd>
          <dt>Chat template</dt>
          <dd>{info.chatTemplate ? 'in the file' : 'none: you will pick a template family'}</dd>
          <dt>Runs on</dt>
          <dd className={fit?.ok ? undefined : 'warn'}>{fit?.summary}</dd>
        </dl>
      )}
      <div className="row">
        {loading ? (
          <button type="button" onClick={() => void callWorker((api) => api.cancelConnect())}>
            Cancel
          </button>
        ) : (
          <button
            type="button"
            className="primary"
            disabled={disabled || !info || !fit?.ok}
            onClick={() => void load('file')}
          >
            Load file
          </button>
        )}
      </div>
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          void load('url');
        }}
      >
        <label className="grow">
          …or a URL (downloaded once, kept in this browser)
          <input
            type="url"
            value={url}
            placeholder="https://huggingface.co/…/resolve/main/model-Q4_K_M.gguf"
            onChange={(e) => setUrl(e.target.value)}
            disabled={disabled || loading}
          />
        </label>
        <button type="submit" disabled={disabled || loading || !url}>
          Download and load
        </button>
      </form>
      {loading && (
        <div className="load-progress" aria-label="Loading progress">
          {progress?.phase === 'fetch' ? (
            <label>
              Download: {(progress.fetch * 100).toFixed(0)}%
              {progress.fetchedMB !== undefined &&
                ` · ${progress.fetchedMB.toFixed(0)}${progress.totalMB ? ` / ${progress.totalMB.toFixed(0)}` : ''} MB`}
              <progress max={1} value={progress.fetch} />
            </label>
          ) : (
            <label>
              {progress?.text ?? 'Starting llama.cpp'}…
              <progress />
            </label>
          )}
        </div>
      )}
      {loaded && (
        <p className="ok" role="status">
          Connected to <code>{loaded}</code>.
        </p>
      )}
      <ErrorNote error={error} />
      <details className="model-manager">
        <summary>Downloaded GGUF models ({cached.length})</summary>
        {cached.length === 0 && <p className="muted">No GGUF model downloaded yet.</p>}
        <ul>
          {cached.map((c) => (
            <li key={c.url} data-testid="downloaded-gguf">
              <code>{c.url}</code> · {formatBytes(c.bytes)}
              {!c.complete && ' · partly downloaded'}{' '}
              <button type="button" onClick={() => void remove(c)}>
                Delete
              </button>
            </li>
          ))}
        </ul>
      </details>
    </div>
  );
}
