import { describe, expect, it } from 'vitest';
import { formatRelative } from '../../components/relative-time.tsx';
import { cleanMessage, describeFailure } from './push-failure.ts';

describe('describeFailure', () => {
  it('keeps the title of an HTML error page instead of the page', () => {
    const error =
      'GitLab answered 422 to POST /projects/2/issues: <html><head><title>422 Error</title></head><body><h1>422</h1></body></html>';
    expect(cleanMessage(error)).toBe('GitLab answered 422 to POST /projects/2/issues: 422 Error');
    expect(describeFailure(error).todo).toMatch(/labels, assignee, milestone and due date/);
  });

  it('says an HTML page without a title is one', () => {
    expect(cleanMessage('GitLab answered 502: <!DOCTYPE html><p>bad gateway</p>')).toBe(
      'GitLab answered 502 (an HTML error page)',
    );
  });

  it('leaves plain messages alone and picks advice from the status', () => {
    const failure = describeFailure('GitLab answered 403 to POST /projects/7/issues: 403 Forbidden');
    expect(failure.what).toBe('GitLab answered 403 to POST /projects/7/issues: 403 Forbidden');
    expect(failure.todo).toMatch(/may not create issues/);
    expect(describeFailure('GitLab answered 503 to POST /x').todo).toMatch(/Retry in a moment/);
    expect(describeFailure(null).what).toBe('GitLab did not create the issue.');
  });
});

describe('formatRelative', () => {
  const now = Date.parse('2026-01-10T12:00:00Z');
  it('counts back in the largest whole unit', () => {
    expect(formatRelative(new Date(now - 3_000), now)).toBe('just now');
    expect(formatRelative(new Date(now - 5 * 60_000), now)).toMatch(/5 minutes ago/);
    expect(formatRelative(new Date(now - 3 * 3_600_000), now)).toMatch(/3 hours ago/);
    expect(formatRelative(new Date(now - 26 * 3_600_000), now)).toMatch(/yesterday/);
  });
});
