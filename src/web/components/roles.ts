import type { RoleName } from '../../contracts/index.ts';

export const roleLabels: Record<RoleName, string> = {
  owner: 'Owner',
  administrator: 'Administrator',
  contributor: 'Contributor',
  reader: 'Reader',
};

export const roleDescriptions: Record<RoleName, string> = {
  owner: 'Everything, including managing owners',
  administrator: 'Everything except managing owners',
  contributor: 'Create and change targets, scans and issues',
  reader: 'Read only',
};

export const roleOrder: RoleName[] = ['owner', 'administrator', 'contributor', 'reader'];

export function roleLabel(role: RoleName): string {
  return roleLabels[role];
}

/** Roles `actor` may hand out: nobody grants more than they have, and only an Owner makes Owners. */
export function grantableRoles(actor: RoleName): RoleName[] {
  const rank = roleOrder.indexOf(actor);
  return roleOrder.filter((role, index) => index >= rank && (role !== 'owner' || actor === 'owner'));
}
