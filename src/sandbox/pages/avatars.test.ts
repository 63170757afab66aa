import { describe, expect, it } from 'vitest';
import { startSandbox } from '../index.ts';

describe('sandbox avatars', () => {
  it('serves every avatar itself, at the GitLab self-managed upload path; no URL names a third party', async () => {
    const sb = await startSandbox({ rateLimits: 'off' });
    try {
      const alice = sb.users[0];
      if (!alice) throw new Error('no seeded user');
      const me = await fetch(`${sb.apiUrl}/user`, { headers: { 'PRIVATE-TOKEN': alice.token } });
      const user = (await me.json()) as { id: number; avatar_url: string };
      expect(user.avatar_url).toBe(`${sb.url}/uploads/-/system/user/avatar/${user.id}/avatar.svg`);
      const image = await fetch(user.avatar_url);
      expect(image.status).toBe(200);
      expect(image.headers.get('content-type')).toBe('image/svg+xml');
      const svg = await image.text();
      expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
      expect(svg).not.toMatch(/href=|<script/i);
      expect((await fetch(`${sb.url}/uploads/-/system/user/avatar/999999/avatar.svg`)).status).toBe(404);
      expect(JSON.stringify(sb.store.data)).not.toContain('gravatar');
    } finally {
      await sb.close();
    }
  });
});
