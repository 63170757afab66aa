import { findConnection } from '../../../gitlab/index.ts';
import { DomainError } from '../../../lib/index.ts';
import type { AppContext } from '../../context.ts';

export async function connectedClient(context: AppContext, organizationId: string, targetId: string) {
  const connection = await findConnection(context.db.kysely, organizationId, targetId);
  if (!connection)
    throw new DomainError(
      'conflict',
      'this target is not connected to GitLab yet: open its GitLab settings and click Authorize',
    );
  return context.gitlab.tokens.client(connection.id);
}
