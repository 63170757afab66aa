import { Notification } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router';

type Notice = { kind: 'success' | 'error'; text: string };

/**
 * After GitLab sends the browser back (`?gitlab=connected` or `?gitlab_error=<message>`), says how it
 * went, then removes the parameters so a reload or a shared link does not repeat it.
 */
export function RedirectNotice() {
  const [params, setParams] = useSearchParams();
  const [notice, setNotice] = useState<Notice | null>(null);

  useEffect(() => {
    const connected = params.get('gitlab');
    const error = params.get('gitlab_error');
    if (connected === null && error === null) return;
    if (error !== null) setNotice({ kind: 'error', text: error || 'GitLab did not connect.' });
    else if (connected === 'connected') setNotice({ kind: 'success', text: 'GitLab is connected.' });
    const next = new URLSearchParams(params);
    next.delete('gitlab');
    next.delete('gitlab_error');
    setParams(next, { replace: true });
  }, [params, setParams]);

  if (!notice) return null;
  const success = notice.kind === 'success';
  return (
    <Notification
      color={success ? 'teal' : 'red'}
      title={success ? 'Connected to GitLab' : 'GitLab was not connected'}
      onClose={() => setNotice(null)}
      withBorder
      mb="lg"
      role={success ? 'status' : 'alert'}
      closeButtonProps={{ 'aria-label': 'Dismiss' }}
      // Mantine's dimmed description falls below AA contrast on the light background.
      styles={{ description: { color: 'var(--mantine-color-text)' } }}
    >
      {success ? 'Vulnbridge can now create issues in GitLab for this target.' : notice.text}
    </Notification>
  );
}
