import { Button, Center, Stack } from '@mantine/core';
import type { ReactNode } from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router';
import { useSession, useSetupStatus } from './api/session.ts';
import { Shell } from './components/app-shell.tsx';
import { ErrorAlert } from './components/error-alert.tsx';
import { FullPageLoader } from './components/full-page-loader.tsx';
import { IntegrationPage } from './features/gitlab/index.ts';
import { AcceptInvitationPage } from './features/invitations/index.ts';
import { CreatedIssuesPage } from './features/issues/index.ts';
import { ScanReportPage, ScansPage } from './features/scans/index.ts';
import { SettingsPage } from './features/settings/index.ts';
import { SetupPage } from './features/setup/index.ts';
import { SignInPage } from './features/sign-in/index.ts';
import { TargetPage, TargetsPage } from './features/targets/index.ts';

function StartupError({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  return (
    <Center mih="100vh" p="md" component="main">
      <Stack maw={520} w="100%">
        <ErrorAlert error={error} action="open Vulnbridge" />
        <Button onClick={onRetry} variant="default">
          Try again
        </Button>
      </Stack>
    </Center>
  );
}

/** Chooses between set-up, sign-in and the app from what the server says about this browser. */
export function App() {
  const setup = useSetupStatus();
  const session = useSession();
  const location = useLocation();

  if (setup.isPending || (session.isPending && !setup.data?.needsSetup)) return <FullPageLoader />;
  if (setup.isError) return <StartupError error={setup.error} onRetry={() => void setup.refetch()} />;

  if (setup.data.needsSetup) {
    return (
      <Routes>
        <Route path="/setup" element={<SetupPage />} />
        <Route path="*" element={<Navigate to="/setup" replace />} />
      </Routes>
    );
  }
  if (session.isError) {
    return <StartupError error={session.error} onRetry={() => void session.refetch()} />;
  }

  const signedIn = Boolean(session.data);
  const guard = (page: ReactNode) =>
    signedIn ? page : <Navigate to="/sign-in" replace state={{ from: location.pathname }} />;

  return (
    <Routes>
      <Route path="/setup" element={<Navigate to={signedIn ? '/targets' : '/sign-in'} replace />} />
      <Route path="/invitations/:token" element={<AcceptInvitationPage />} />
      <Route path="/sign-in" element={signedIn ? <Navigate to="/targets" replace /> : <SignInPage />} />
      <Route element={guard(<Shell />)}>
        <Route path="/targets" element={<TargetsPage />} />
        <Route path="/targets/:targetId" element={<TargetPage />} />
        <Route path="/targets/:targetId/integrations" element={<IntegrationPage />} />
        <Route path="/scans" element={<ScansPage />} />
        <Route path="/scans/:scanId" element={<ScanReportPage />} />
        <Route path="/scans/:scanId/issues" element={<CreatedIssuesPage />} />
        <Route path="/settings" element={<Navigate to="/settings/members" replace />} />
        <Route path="/settings/:tab" element={<SettingsPage />} />
      </Route>
      <Route path="*" element={<Navigate to={signedIn ? '/targets' : '/sign-in'} replace />} />
    </Routes>
  );
}
