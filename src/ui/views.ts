/**
 * The app's views besides Generate, in menu order. Each is one feature folder's entry
 * component; adding a view is adding a line here. (Generate is built into App: it stays
 * mounted while hidden, so a running generation keeps its live view.)
 */
import type { ComponentType } from 'react';
import { ExploreView } from './features/explorer/ExploreView';
import type { Connection } from './features/model/connection';
import { QualityView } from './features/quality/QualityView';
import { TransferView } from './features/transfer/TransferView';

export interface ViewProps {
  datasetId: string | undefined;
  /** The model connected in the Generate view, if any (engines live in the pipeline worker). */
  connection: Connection | undefined;
}

export interface ViewEntry {
  id: string;
  label: string;
  component: ComponentType<ViewProps>;
}

export const VIEWS: ViewEntry[] = [
  { id: 'explore', label: 'Explore', component: ExploreView },
  { id: 'quality', label: 'Quality', component: QualityView },
  { id: 'transfer', label: 'Export & import', component: TransferView },
];
