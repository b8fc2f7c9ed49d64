import type { HubPushResult } from '../../../shared/hub-api';

/** Where the pushed dataset is now: a link to its page on the Hub and to the commit. */
export function HubPushResultView({
  result,
  repo,
  rows,
}: {
  result: HubPushResult;
  repo: string;
  rows: number;
}) {
  return (
    <p role="status" className="ok" data-testid="hub-result">
      Pushed {rows} rows and the dataset card to{' '}
      <a href={result.repoUrl} target="_blank" rel="noreferrer">
        {repo}
      </a>
      {result.commitUrl && (
        <>
          {' '}
          (
          <a href={result.commitUrl} target="_blank" rel="noreferrer">
            the commit
          </a>
          )
        </>
      )}
      .
    </p>
  );
}

export const HUB_PHASE_WORDS = {
  creating: 'Creating the repository…',
  preparing: 'Asking the Hub how to send each file…',
  uploading: 'Uploading',
  committing: 'Committing…',
} as const;
