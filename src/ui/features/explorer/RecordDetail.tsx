/**
 * One record in full: every turn of the conversation as sanitised markdown, the user's
 * edit with the original beside it, every tag and setting, and the curator's actions with
 * their shortcuts. Read live from the store, so tags that land while it is open show up.
 */
import { useLiveQuery } from 'dexie-react-hooks';
import { useState } from 'react';
import type { TextEdit } from '../../../shared/explorer-api';
import type { PairRecord, ReviewStatus, Turn } from '../../../shared/record';
import { describeFields } from '../../../shared/record-schema';
import { getDb } from '../../../store/db';
import { Markdown } from './Markdown';
import { SHORTCUTS } from './shortcuts';
import { TagFailures } from './TagFailures';

interface Props {
  uuid: string;
  index: number | undefined;
  total: number;
  editing: boolean;
  onEditing: (editing: boolean) => void;
  onMove: (step: 1 | -1) => void;
  onClose: () => void;
  onReview: (review: ReviewStatus) => void;
  onDelete: () => void;
  onSave: (edit: TextEdit) => Promise<void>;
}

const ROLE: Record<Turn['from'], string> = { system: 'System', human: 'User', gpt: 'Assistant' };

export function RecordDetail(props: Props) {
  const { uuid, index, total, editing } = props;
  const record = useLiveQuery(() => getDb().records.get(uuid), [uuid]);
  if (record === undefined)
    return (
      <aside className="xp-detail card" aria-label="Record">
        <p className="muted">Loading… (or this record was deleted)</p>
        <button type="button" onClick={props.onClose}>
          Close <kbd>Esc</kbd>
        </button>
      </aside>
    );
  return (
    <aside className="xp-detail card" aria-label="Record">
      <header className="row xp-detail-head">
        <strong>
          Record {index === undefined ? '–' : (index + 1).toLocaleString()} of{' '}
          {total.toLocaleString()}
        </strong>
        <span className={`badge ${record.review}`} data-testid="detail-status">
          {record.review}
        </span>
        <span className="grow" />
        <button type="button" onClick={() => props.onMove(-1)}>
          Previous <kbd>{SHORTCUTS.previous}</kbd>
        </button>
        <button type="button" onClick={() => props.onMove(1)}>
          Next <kbd>{SHORTCUTS.next}</kbd>
        </button>
        <button type="button" onClick={props.onClose} aria-label="Close record">
          ✕ <kbd>Esc</kbd>
        </button>
      </header>
      <div className="row">
        <button type="button" className="keep" onClick={() => props.onReview('kept')}>
          Keep <kbd>{SHORTCUTS.keep}</kbd>
        </button>
        <button type="button" className="reject" onClick={() => props.onReview('rejected')}>
          Reject <kbd>{SHORTCUTS.reject}</kbd>
        </button>
        <button type="button" onClick={() => props.onReview('unreviewed')}>
          Unreviewed <kbd>{SHORTCUTS.unreviewed}</kbd>
        </button>
        <button type="button" onClick={() => props.onEditing(true)} disabled={editing}>
          Edit <kbd>{SHORTCUTS.edit}</kbd>
        </button>
        <button type="button" className="danger" onClick={props.onDelete}>
          Delete <kbd>{SHORTCUTS.delete}</kbd>
        </button>
      </div>
      {editing ? (
        <EditForm record={record} onCancel={() => props.onEditing(false)} onSave={props.onSave} />
      ) : (
        <Conversation record={record} />
      )}
      <TagFailures record={record} />
      <Metadata record={record} />
    </aside>
  );
}

function Conversation({ record }: { record: PairRecord }) {
  const edits = { human: record.edited?.instruction, gpt: record.edited?.response };
  const seen = { human: false, gpt: false, system: false };
  return (
    <section aria-label="Conversation">
      {record.conversations.map((turn, i) => {
        // The edit replaces the first user turn (the instruction) and the first reply.
        const first = !seen[turn.from];
        seen[turn.from] = true;
        const edited = first && turn.from !== 'system' ? edits[turn.from] : undefined;
        return (
          <div key={i} className={`turn ${turn.from}`}>
            <h3>
              {ROLE[turn.from]}
              {edited !== undefined && <span className="badge edited">edited</span>}
            </h3>
            <Markdown text={edited ?? turn.value} label={`${ROLE[turn.from]} turn`} />
            {edited !== undefined && (
              <details className="original" open>
                <summary>Original, as generated</summary>
                <Markdown text={turn.value} label={`${ROLE[turn.from]} original`} />
              </details>
            )}
          </div>
        );
      })}
    </section>
  );
}

function EditForm(props: {
  record: PairRecord;
  onCancel: () => void;
  onSave: (edit: TextEdit) => Promise<void>;
}) {
  const { record } = props;
  const [instruction, setInstruction] = useState(record.edited?.instruction ?? record.instruction);
  const [response, setResponse] = useState(record.edited?.response ?? record.response);
  const [error, setError] = useState<string>();
  const save = () =>
    props.onSave({ instruction, response }).catch((e: Error) => setError(e.message));
  return (
    <form
      className="xp-edit"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
      onKeyDown={(e) => {
        if (e.key === 'Escape') props.onCancel();
        if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) void save();
      }}
    >
      <label className="block">
        Instruction
        <textarea
          className="mono"
          rows={4}
          value={instruction}
          onChange={(e) => setInstruction(e.target.value)}
          autoFocus
        />
      </label>
      <label className="block">
        Response
        <textarea
          className="mono"
          rows={14}
          value={response}
          onChange={(e) => setResponse(e.target.value)}
        />
      </label>
      <p className="muted">
        The original text stays stored beside your edit; export uses the edit.
      </p>
      {error && <p className="error">{error}</p>}
      <div className="row">
        <button type="submit" className="primary">
          Save <kbd>Ctrl+Enter</kbd>
        </button>
        <button type="button" onClick={props.onCancel}>
          Cancel <kbd>Esc</kbd>
        </button>
      </div>
    </form>
  );
}

/** Every field the record holds, labelled and shown as the field schema declares. */
function Metadata({ record }: { record: PairRecord }) {
  return (
    <details className="xp-meta">
      <summary>Metadata</summary>
      <dl>
        {describeFields(record).map(([k, v]) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd>{v}</dd>
          </div>
        ))}
      </dl>
    </details>
  );
}
