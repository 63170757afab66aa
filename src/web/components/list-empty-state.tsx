import { EmptyState } from '@mantine/core';
import type { ReactNode } from 'react';

interface ListEmptyStateProps {
  icon: ReactNode;
  title: string;
  description: ReactNode;
  /** The button that creates the first item; left out for those who may not create one. */
  action?: ReactNode;
  py?: number;
}

/** What an empty list shows instead of its table: an icon, what the list holds, and how to add to it. */
export function ListEmptyState({ icon, title, description, action, py = 40 }: ListEmptyStateProps) {
  return (
    <EmptyState py={py} icon={icon} variant="light" title={title} description={description}>
      {action && <EmptyState.Actions>{action}</EmptyState.Actions>}
    </EmptyState>
  );
}
