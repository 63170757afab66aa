import { describe, expect, it } from 'vitest';
import { safeAvatar } from './instance-label.ts';

describe('safeAvatar', () => {
  it("keeps GitLab's own https avatar URLs", () => {
    expect(safeAvatar('https://gitlab.example.com/uploads/-/system/user/avatar/7/avatar.png')).toBe(
      'https://gitlab.example.com/uploads/-/system/user/avatar/7/avatar.png',
    );
  });

  it('shows initials instead of gravatar.com (any subdomain), libravatar, http or broken URLs', () => {
    for (const url of [
      'https://www.gravatar.com/avatar/abc?s=80&d=identicon',
      'https://secure.gravatar.com/avatar/abc',
      'https://GRAVATAR.com/avatar/abc',
      'https://seccdn.libravatar.org/avatar/abc',
      'http://gitlab.local/a.png',
      'https:// bad',
      null,
    ]) {
      expect(safeAvatar(url)).toBeNull();
    }
  });
});
