import { useState } from 'react';
import type { EngineErrorInfo } from '../../../shared/engine';
import type { ImportProgress, ImportReport, SniffResult } from '../../../shared/transfer-api';
import { ErrorNote } from '../../lib/ErrorNote';
import { formatBytes } from '../model/connection';
import { FileDrop } from './FileDrop';
import { ImportConfirm, type ImportChoice } from './ImportConfirm';
import { ImportReportView } from './ImportReportView';
import { forgetImport, rememberImport, undoAbandonedImports } from './pending-imports';
import { ProgressLine } from './ProgressLine';
import { callTransfer, cancelTransfer, proxy } from './transfer-client';

const PHASE_WORDS = {
  'reading-dataset': 'Reading the dataset for duplicates…',
  importing: 'Importing',
  undoing: 'Undoing the import…',
} as const;

/**
 * Import a .jsonl or .json file in any of the four formats: the worker names the format
 * from the first valid rows, the user confirms it and picks where the rows go.
 */
export function ImportPanel({
  datasetId,
  datasetName,
  onImported,
}: {
  datasetId?: string;
  datasetName?: string;
  onImported: () => void;
}) {
  const [file, setFile] = useState<File>();
  const [sniff, setSniff] = useState<SniffResult>();
  const [choice, setChoice] = useState<ImportChoice>({
    format: undefined,
    into: 'new',
    name: '',
  });
  const [job, setJob] = useState<{ id: string; progress?: ImportProgress }>();
  const [report, setReport] = useState<ImportReport>();
  const [error, setError] = useState<EngineErrorInfo>();

  const choose = async (picked: File) => {
    setFile(picked);
    setSniff(undefined);
    setReport(undefined);
    setError(undefined);
    const out = await callTransfer((api) => api.sniff(picked));
    if (!out.ok) return setError(out.error);
    setSniff(out.value);
    setChoice((c) => ({
      ...c,
      format: out.value.detected,
      name: picked.name.replace(/\.(jsonl|json)$/i, ''),
    }));
  };

  const start = async () => {
    const { format, into, name } = choice;
    if (!file || !format) return;
    const id = crypto.randomUUID();
    rememberImport(id);
    setReport(undefined);
    setError(undefined);
    setJob({ id });
    const target =
      into === 'existing' && datasetId
        ? { kind: 'existing' as const, datasetId }
        : { kind: 'new' as const, name };
    const out = await callTransfer((api) =>
      api.importFile(
        id,
        { file, format, target },
        proxy((progress: ImportProgress) => setJob({ id, progress })),
      ),
    );
    setJob(undefined);
    if (out.ok) {
      forgetImport(id);
      setReport(out.value);
      onImported();
      setFile(undefined);
      setSniff(undefined);
    } else {
      setError(out.error);
      // The worker undoes a failed import itself; this covers one whose worker died.
      await undoAbandonedImports();
    }
  };

  const p = job?.progress;
  return (
    <section className="card" aria-labelledby="import-h">
      <h2 id="import-h">Import</h2>
      <FileDrop disabled={!!job} onFile={(f) => void choose(f)} />
      {file && !sniff && !error && <p className="muted">Looking at {file.name}…</p>}
      {sniff && file && (
        <ImportConfirm
          sniff={sniff}
          choice={choice}
          onChoice={setChoice}
          current={datasetId ? (datasetName ?? '') : undefined}
          busy={!!job}
          onImport={() => void start()}
        />
      )}
      {job && (
        <ProgressLine
          label="Import progress"
          value={p?.bytesRead ?? 0}
          max={p?.bytesTotal ?? 1}
          detail={
            p
              ? `${PHASE_WORDS[p.phase]}: ${formatBytes(p.bytesRead)} of ${formatBytes(p.bytesTotal)}; ` +
                `${p.imported} imported, ${p.skipped} skipped, ${p.duplicates} duplicates`
              : 'Starting…'
          }
          onCancel={p?.phase === 'undoing' ? undefined : () => cancelTransfer(job.id)}
        />
      )}
      <ErrorNote error={error} />
      {report && <ImportReportView report={report} isNew={report.datasetId !== datasetId} />}
    </section>
  );
}
