import { Button, Group, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { PlusIcon } from './icons.tsx';

/** A panel's first line: a dimmed explanation on the left and its main action(s) on the right. */
export function PanelIntro({ children, action }: { children: ReactNode; action?: ReactNode }) {
  return (
    <Group justify="space-between" align="center">
      <Text size="sm" c="dimmed">
        {children}
      </Text>
      {action}
    </Group>
  );
}

/** The "add / create / new …" button that opens a list's creation form. */
export function AddButton({ children, onClick }: { children: ReactNode; onClick: () => void }) {
  return (
    <Button leftSection={<PlusIcon />} onClick={onClick}>
      {children}
    </Button>
  );
}
