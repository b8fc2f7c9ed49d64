import type { GpuCapability } from '../../../shared/webgpu';
import { formatBytes } from './connection';

/** What this browser's GPU can do for WebLLM, or why it can't run models at all. */
export function GpuPanel({ capability }: { capability: GpuCapability | undefined }) {
  if (!capability) return <p className="muted">Checking WebGPU…</p>;
  if (!capability.ok) {
    return (
      <div className="error" role="alert" aria-label="WebGPU status">
        <strong>{capability.message}</strong>
        <p>{capability.hint}</p>
        <p>You can still generate with a completion server (the other tab).</p>
      </div>
    );
  }
  const { adapter, limits, shaderF16, notes } = capability;
  const name = [adapter.vendor, adapter.architecture, adapter.device, adapter.description]
    .filter(Boolean)
    .join(' · ');
  return (
    <div className="gpu" aria-label="WebGPU status">
      <p className="ok">
        WebGPU ready: <strong data-testid="gpu-name">{name || 'unnamed adapter'}</strong>
        {adapter.isFallbackAdapter && ' (software fallback: very slow)'}
      </p>
      <dl className="figures small">
        <div>
          <dt>shader-f16</dt>
          <dd data-testid="gpu-f16">{shaderF16 ? 'yes' : 'no'}</dd>
        </div>
        <div>
          <dt>Max buffer</dt>
          <dd>{formatBytes(limits.maxBufferSize)}</dd>
        </div>
        <div>
          <dt>Max storage binding</dt>
          <dd>{formatBytes(limits.maxStorageBufferBindingSize)}</dd>
        </div>
      </dl>
      {notes.map((n) => (
        <p key={n} className="muted">
          {n}
        </p>
      ))}
    </div>
  );
}
