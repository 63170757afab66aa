import { Center, Group, Paper, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { ShieldIcon } from './icons.tsx';
import { useDocumentTitle } from './page-header.tsx';

interface AuthLayoutProps {
  title: string;
  description: ReactNode;
  children: ReactNode;
  width?: number;
}

/** The frame of the pages shown before sign-in: product name, a card with the form. */
export function AuthLayout({ title, description, children, width = 420 }: AuthLayoutProps) {
  useDocumentTitle(title);
  return (
    <Center mih="100vh" p="md" bg="gray.0">
      <Stack w="100%" maw={width} gap="lg">
        <header>
          <Group gap={8} justify="center" c="indigo.8">
            <ShieldIcon size={30} />
            <Text component="span" fw={700} fz={26}>
              Vulnbridge
            </Text>
          </Group>
        </header>
        <main>
          <Paper withBorder shadow="sm" radius="md" p="xl">
            <Stack gap={4} mb="lg">
              <Title order={1} size="h3">
                {title}
              </Title>
              <Text c="dimmed" size="sm">
                {description}
              </Text>
            </Stack>
            {children}
          </Paper>
        </main>
      </Stack>
    </Center>
  );
}
