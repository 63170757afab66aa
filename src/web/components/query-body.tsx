import { Paper, Skeleton, Stack } from '@mantine/core';
import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { ErrorAlert } from './error-alert.tsx';

interface QueryBodyProps<T> {
  query: UseQueryResult<T[]>;
  /** What loading the list means, for messages: "the members". */
  noun: string;
  empty: ReactNode;
  children: (items: T[]) => ReactNode;
}

/** A bordered card showing a list query's loading skeleton, its error, its empty state or its rows. */
export function QueryBody<T>({ query, noun, empty, children }: QueryBodyProps<T>) {
  if (query.isPending) {
    return (
      <Paper withBorder radius="md" p="md">
        <Stack gap="sm" aria-busy="true" aria-label={`Loading ${noun}`}>
          {[0, 1, 2].map((row) => (
            <Skeleton key={row} height={28} radius="sm" />
          ))}
        </Stack>
      </Paper>
    );
  }
  if (query.isError) {
    return (
      <ErrorAlert
        error={query.error}
        action={`load ${noun}`}
        onRetry={() => void query.refetch()}
        retrying={query.isFetching}
      />
    );
  }
  return (
    <Paper withBorder radius="md">
      {query.data.length === 0 ? empty : children(query.data)}
    </Paper>
  );
}
