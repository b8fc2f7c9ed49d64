/**
 * One record in full: every turn of the conversation as sanitised markdown, the user's
 * edit with the original beside it, every tag and setting, and the curator's actions with
 * their shortcuts. Read live from the store, so tags that land while it is open show up.
 */
import { useState } from 'react';
import type { TextEdit } from '../../../shared/explorer-api';
import type { PairRecord, ReviewStatus, Turn } from '../../../shared/record';
import { describeFields } from '../../../shared/record-schema';
import { turnCount } from '../../../shared/turns';
import { getDb } from '../../../store/db';
import { getRecord } from '../../../store/derived';
import { useLiveOf } from '../../lib/use-live-of';
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
  /** Swap a preference record's chosen and rejected responses. */
  onSwap: () => Promise<void>;
}

const ROLE: Record<Turn['from'], string> = { system: 'System', human: 'User', gpt: 'Assistant' };

export function RecordDetail(props: Props) {
  const { uuid, index, total, editing } = props;
  // Never the record moved away from: an edit opened on it would be saved into this one.
  const record = useLiveOf(uuid, (id) => getRecord(getDb(), id));
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
        <>
          <Conversation record={record} />
          {record.preference && <PreferencePanel record={record} onSwap={props.onSwap} />}
        </>
      )}
      <TagFailures record={record} />
      <Metadata record={record} />
    </aside>
  );
}

function Conversation({ record }: { record: PairRecord }) {
  const edits = { human: record.edited?.instruction, gpt: record.edited?.response };
  const seen = { human: false, gpt: false, system: false };
  const turns = turnCount(record);
  let turn = 0;
  return (
    <section aria-label="Conversation">
      {turns > 1 && <p className="muted">{turns} turns</p>}
      {record.conversations.map((t, i) => {
        // The edit replaces the first user turn (the instruction) and the first reply.
        const first = !seen[t.from];
        seen[t.from] = true;
        if (t.from === 'human') turn++;
        const edited = first && t.from !== 'system' ? edits[t.from] : undefined;
        const label =
          turns > 1 && t.from !== 'system' ? `${ROLE[t.from]} · turn ${turn}` : ROLE[t.from];
        return (
          <div key={i} className={`turn ${t.from}`}>
            <h3>
              {label}
              {edited !== undefined && <span className="badge edited">edited</span>}
            </h3>
            <Markdown
              text={edited ?? t.value}
              label={turns > 1 ? `${ROLE[t.from]} turn ${turn}` : `${ROLE[t.from]} turn`}
            />
            {edited !== undefined && (
              <details className="original" open>
                <summary>Original, as generated</summary>
                <Markdown text={t.value} label={`${ROLE[t.from]} original`} />
              </details>
            )}
          </div>
        );
      })}
    </section>
  );
}

/**
 * A preference record's k responses side by side, each with the judge's score and reason;
 * the chosen and rejected ones marked. The curator can overrule the judge by swapping.
 */
function PreferencePanel({ record, onSwap }: { record: PairRecord; onSwap: () => Promise<void> }) {
  const p = record.preference!;
  const [error, setError] = useState<string>();
  const edited = record.edited?.response !== undefined;
  return (
    <section aria-label="Preference responses" className="xp-preference">
      <div className="row">
        <h3 className="grow">
          {p.responses.length} responses, scored by {p.generator}
          {p.swapped && <span className="badge edited">swapped by the curator</span>}
        </h3>
        <button
          type="button"
          disabled={edited}
          title={edited ? 'The chosen response has an edit: clear it first.' : undefined}
          onClick={() => {
            setError(undefined);
            onSwap().catch((e: Error) => setError(e.message));
          }}
        >
          Swap chosen and rejected
        </button>
      </div>
      {error && <p className="error">{error}</p>}
      <div className="xp-responses">
        {p.responses.map((r, i) => {
          const role = i === p.chosen ? 'chosen' : i === p.rejected ? 'rejected' : undefined;
          return (
            <article
              key={i}
              className={`xp-response ${role ?? ''}`}
              aria-label={`Response ${i + 1}${role ? ` (${role})` : ''}`}
            >
              <header className="row">
                <strong>#{i + 1}</strong>
                {role && (
                  <span className={`badge ${role === 'chosen' ? 'kept' : 'rejected'}`}>{role}</span>
                )}
                <span className="grow" />
                <span data-testid="preference-score">
                  {r.score !== undefined ? `score ${r.score}` : 'not scored'}
                </span>
              </header>
              <p className="muted">{r.score !== undefined ? r.reason : r.unscored}</p>
              {r.text ? (
                <Markdown text={r.text} label={`Response ${i + 1} text`} />
              ) : (
                <p className="muted">(empty)</p>
              )}
              <p className="muted">
                seed {r.seed}, finish {r.finish}
              </p>
            </article>
          );
        })}
      </div>
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
