/**
 * Where a push goes: the user's token (checked with the Hub, kept in memory only), then a
 * new repository under one of the token's owners (private by default) or one of the
 * datasets it has already.
 */
import { useEffect, useState } from 'react';
import type { EngineErrorInfo } from '../../../shared/engine';
import { DEFAULT_HUB_URL, type HubAccount, type HubLogin } from '../../../shared/hub-api';
import { ErrorNote } from '../../lib/ErrorNote';
import { callHub, hubSession, keepHubSession } from './hub-client';

export interface HubTarget {
  login: HubLogin;
  repo: string;
  create: boolean;
  private: boolean;
}

/** The Hub's rule for repository names, checked before anything is sent. */
const REPO_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,95}$/;

export function HubTargetForm({
  suggestedName,
  disabled,
  onTarget,
}: {
  suggestedName: string;
  disabled: boolean;
  /** The target once it is complete, undefined while it is not. */
  onTarget: (target: HubTarget | undefined) => void;
}) {
  // Signed in earlier in this session: the form opens signed in.
  const [session] = useState(hubSession);
  const [hubUrl, setHubUrl] = useState(session?.login.hubUrl ?? DEFAULT_HUB_URL);
  const [token, setToken] = useState(session?.login.token ?? '');
  const [account, setAccount] = useState<HubAccount | undefined>(session?.account);
  const [checking, setChecking] = useState(false);
  const [error, setError] = useState<EngineErrorInfo>();
  const [create, setCreate] = useState(true);
  const [owner, setOwner] = useState(session?.account.namespaces[0] ?? '');
  const [name, setName] = useState(suggestedName);
  const [existing, setExisting] = useState(session?.account.datasets[0]?.name ?? '');
  const [isPrivate, setPrivate] = useState(true);

  const signIn = async (login: HubLogin) => {
    setChecking(true);
    setError(undefined);
    const out = await callHub((api) => api.account(login));
    setChecking(false);
    if (!out.ok) {
      setAccount(undefined);
      keepHubSession(undefined);
      return setError(out.error);
    }
    keepHubSession({ login, account: out.value });
    setAccount(out.value);
    setCreate(true);
    setOwner(out.value.namespaces[0] ?? '');
    setExisting(out.value.datasets[0]?.name ?? '');
  };

  const nameOk = REPO_NAME.test(name);
  const readOnly = account?.role === 'read';
  useEffect(() => {
    if (!account || readOnly) return onTarget(undefined);
    const login = { hubUrl, token };
    if (create) {
      onTarget(
        owner && nameOk
          ? { login, repo: `${owner}/${name}`, create, private: isPrivate }
          : undefined,
      );
    } else {
      const repo = account.datasets.find((d) => d.name === existing);
      onTarget(repo ? { login, repo: repo.name, create, private: repo.private } : undefined);
    }
    // hubUrl and token are read when the account was checked; editing them signs out below.
  }, [account, readOnly, create, owner, name, nameOk, existing, isPrivate]); // eslint-disable-line react-hooks/exhaustive-deps

  const edit = (set: (v: string) => void) => (e: React.ChangeEvent<HTMLInputElement>) => {
    set(e.target.value);
    setAccount(undefined);
  };

  return (
    <fieldset disabled={disabled} className="run-settings">
      <legend>Hugging Face Hub</legend>
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          void signIn({ hubUrl, token: token.trim() });
        }}
      >
        <label>
          Access token
          <input
            type="password"
            autoComplete="off"
            value={token}
            onChange={edit(setToken)}
            placeholder="hf_…"
          />
        </label>
        <button type="submit" disabled={!token.trim() || checking}>
          {checking ? 'Checking…' : 'Sign in'}
        </button>
      </form>
      <p className="muted">
        Kept in this tab’s memory only, never stored. Needs write access (a “write” token).
      </p>
      <details>
        <summary>Hub address</summary>
        <label>
          Hub URL
          <input type="url" value={hubUrl} onChange={edit(setHubUrl)} />
        </label>
      </details>
      <ErrorNote error={error} />
      {account && (
        <>
          <p role="status">Signed in to the Hub as {account.name}.</p>
          {readOnly && (
            <ErrorNote
              error={{
                code: 'forbidden',
                message: 'This token can only read.',
                hint: 'Create a token with write access in your Hugging Face settings (Access Tokens).',
              }}
            />
          )}
          <div className="row" role="radiogroup" aria-label="Repository">
            <label className="check">
              <input
                type="radio"
                name="hub-repo"
                checked={create}
                onChange={() => setCreate(true)}
              />
              New repository
            </label>
            <label className="check">
              <input
                type="radio"
                name="hub-repo"
                checked={!create}
                disabled={!account.datasets.length}
                onChange={() => setCreate(false)}
              />
              One of my datasets{account.datasets.length ? '' : ' (none yet)'}
            </label>
          </div>
          {create ? (
            <>
              <div className="row">
                <label>
                  Owner
                  <select value={owner} onChange={(e) => setOwner(e.target.value)}>
                    {account.namespaces.map((ns) => (
                      <option key={ns}>{ns}</option>
                    ))}
                  </select>
                </label>
                <label>
                  Repository name
                  <input value={name} onChange={(e) => setName(e.target.value)} />
                </label>
              </div>
              {!nameOk && (
                <p className="warn">
                  Letters, digits, “-”, “_” and “.”, starting with a letter or digit (96 at most).
                </p>
              )}
              <label className="check">
                <input
                  type="checkbox"
                  checked={isPrivate}
                  onChange={(e) => setPrivate(e.target.checked)}
                />
                Private (only you, and your organisation’s members, can see it)
              </label>
            </>
          ) : (
            <label>
              Dataset on the Hub
              <select value={existing} onChange={(e) => setExisting(e.target.value)}>
                {account.datasets.map((d) => (
                  <option key={d.name} value={d.name}>
                    {d.name}
                    {d.private ? ' (private)' : ' (public)'}
                  </option>
                ))}
              </select>
            </label>
          )}
        </>
      )}
    </fieldset>
  );
}
