/**
 * A failed Hub call in words a user can act on. The four failures people meet are told
 * apart: a token the Hub refuses, a token without the right to write there, a repository
 * name someone has already, and no network to the Hub at all.
 */
import type { EngineErrorInfo } from '../shared/engine';

/** What the worker was doing when the call failed: the same status means different things. */
export type HubStep = 'account' | 'create' | 'commit';

interface HubFailure {
  statusCode?: number;
  message?: string;
  name?: string;
}

export function explainHubError(
  err: unknown,
  step: HubStep,
  where: { hubUrl: string; repo?: string },
): EngineErrorInfo {
  const failure = (typeof err === 'object' && err ? err : {}) as HubFailure;
  const details = failure.message ?? String(err);
  const repo = where.repo ?? 'the repository';
  const owner = where.repo?.split('/')[0] ?? 'that owner';
  if (failure.name === 'AbortError') {
    return { code: 'aborted', message: 'Push cancelled; nothing was committed.', hint: '' };
  }
  switch (failure.statusCode) {
    case undefined:
      // fetch rejects with a TypeError when no HTTP answer came at all.
      if (err instanceof TypeError) {
        return {
          code: 'unreachable',
          message: `Cannot reach the Hub at ${where.hubUrl}.`,
          hint: 'Check the network connection (or the Hub address), then push again. Nothing was sent.',
          details,
        };
      }
      break;
    case 401:
      return {
        code: 'unauthorized',
        message: 'The Hub refused this token.',
        hint: 'Copy a token again from your Hugging Face settings (Access Tokens); it may be mistyped, expired or revoked.',
        details,
      };
    case 403:
      return {
        code: 'forbidden',
        message:
          step === 'create'
            ? `This token may not create repositories under ${owner}.`
            : `This token may not write to ${repo}.`,
        hint: 'Use a token with write access (a "write" token, or a fine-grained one allowing writes there), or choose an owner you belong to.',
        details,
      };
    case 404:
      if (step === 'commit') {
        return {
          code: 'forbidden',
          message: `${repo} does not exist, or this token cannot see it.`,
          hint: 'Pick it again from your repositories, or create a new one.',
          details,
        };
      }
      break;
    case 409:
      if (step === 'create') {
        return {
          code: 'name-taken',
          message: `The name ${repo} is taken.`,
          hint: 'Choose another name, or add to it as an existing repository if it is yours.',
          details,
        };
      }
      break;
  }
  return {
    code: 'server-error',
    message: `The Hub answered with an error${failure.statusCode ? ` (${failure.statusCode})` : ''}.`,
    hint: 'Try again; the details below are the Hub’s own words.',
    details,
  };
}
