import { lazy } from 'react';
import { createBrowserRouter } from 'react-router';
import { Layout } from './components/Layout';
import { NotFoundPage } from './components/NotFoundPage';
import { OverviewPage } from './pages/overview/OverviewPage';

// Only the overview ships in the first bundle; the rest loads when visited.
const ClusterPage = lazy(() => import('./pages/cluster/ClusterPage'));
const BackupsPage = lazy(() => import('./pages/backups/BackupsPage'));
const RestoreWizard = lazy(() => import('./pages/restore/RestoreWizard'));
const RestoreProgressPage = lazy(() => import('./pages/restore/RestoreProgressPage'));

export const router = createBrowserRouter([
  {
    element: <Layout />,
    children: [
      { index: true, element: <OverviewPage /> },
      { path: 'clusters/:namespace/:name', element: <ClusterPage /> },
      { path: 'clusters/:namespace/:name/backups', element: <BackupsPage /> },
      { path: 'clusters/:namespace/:name/restore', element: <RestoreWizard /> },
      { path: 'clusters/:namespace/:name/restore-progress', element: <RestoreProgressPage /> },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]);
