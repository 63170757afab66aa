// User avatars served by the sandbox itself, at the path GitLab self-managed uses for uploaded avatars
// (/uploads/-/system/user/avatar/<id>/avatar.svg): a small SVG with the user's initials, so nothing
// that talks to the sandbox (the demo, the browser tests) ever asks a third party such as gravatar.com.
import { escapeHtml, notFound, type Reply } from '../http/reply.ts';
import type { Ctx, Route } from '../http/router.ts';
import type { UserRecord } from '../state/types.ts';

const COLORS = ['#6666c4', '#3d7d5f', '#a35d00', '#b4366b', '#2f6f9f', '#7a5cad'];

function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  const letters = parts.length > 1 ? [parts[0]?.[0], parts.at(-1)?.[0]] : [parts[0]?.[0]];
  return letters.join('').toUpperCase() || '?';
}

export function avatarSvg(user: UserRecord): string {
  const color = COLORS[user.id % COLORS.length];
  return [
    '<svg xmlns="http://www.w3.org/2000/svg" width="80" height="80" viewBox="0 0 80 80">',
    `<rect width="80" height="80" fill="${color}"/>`,
    `<text x="40" y="40" dy=".35em" text-anchor="middle" font-family="sans-serif" font-size="32" fill="#fff">${escapeHtml(initials(user.name))}</text>`,
    '</svg>',
  ].join('');
}

function avatar(ctx: Ctx): Reply {
  const user = ctx.rt.store.user(Number(ctx.params.id));
  if (!user) throw notFound('Avatar');
  return {
    status: 200,
    text: avatarSvg(user),
    headers: {
      'content-type': 'image/svg+xml',
      'cache-control': 'public, max-age=3600',
      'x-content-type-options': 'nosniff',
    },
  };
}

export const avatarRoutes: Route[] = [
  { method: 'GET', pattern: '/uploads/-/system/user/avatar/:id/avatar.svg', auth: 'none', handler: avatar },
];
