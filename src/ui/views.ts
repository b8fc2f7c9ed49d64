/**
 * The app's views in tab order. Each is one feature folder's entry component, loaded when
 * first opened (their code, and the libraries only they use, stay out of the first load);
 * adding a view is adding a line here. Generate has no component here: App keeps it
 * mounted while hidden, so a running generation keeps its live view.
 */
import { lazy, type ComponentType } from 'react';
import type { ViewProps } from './view-props';

export interface ViewEntry {
  id: string;
  label: string;
  /** The key that opens the view (outside text fields), shown beside its tab. */
  key: string;
  component?: ComponentType<ViewProps>;
}

export const GENERATE_VIEW = 'generate';

export const VIEWS: ViewEntry[] = [
  { id: GENERATE_VIEW, label: 'Generate', key: '1' },
  {
    id: 'explore',
    label: 'Explore',
    key: '2',
    component: lazy(() =>
      import('./features/explorer/ExploreView').then((m) => ({ default: m.ExploreView })),
    ),
  },
  {
    id: 'quality',
    label: 'Quality',
    key: '3',
    component: lazy(() =>
      import('./features/quality/QualityView').then((m) => ({ default: m.QualityView })),
    ),
  },
  {
    id: 'transfer',
    label: 'Export & import',
    key: '4',
    component: lazy(() =>
      import('./features/transfer/TransferView').then((m) => ({ default: m.TransferView })),
    ),
  },
  {
    id: 'map',
    label: 'Map',
    key: '5',
    component: lazy(() => import('./features/map/MapView').then((m) => ({ default: m.MapView }))),
  },
];
