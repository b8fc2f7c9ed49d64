import type { Connection } from './features/model/connection';

/** What App gives every view (views.ts lists them; each feature imports this, not the list). */
export interface ViewProps {
  datasetId: string | undefined;
  /** The model connected in the Generate view, if any (engines live in the pipeline worker). */
  connection: Connection | undefined;
}
