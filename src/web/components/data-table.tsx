import { Button, Table } from '@mantine/core';
import type { ReactNode } from 'react';

/** A column heading: its text, or its text with a right alignment or no wrapping. */
export type Column = string | { label: string; align?: 'right'; nowrap?: boolean };

interface DataTableProps {
  /** Below this width the table scrolls sideways instead of squeezing its columns. */
  minWidth: number;
  /** Column headings, left to right; `false` leaves a column out. */
  columns: (Column | false)[];
  /** Adds a right-aligned "Actions" column heading after the others. */
  actions?: boolean;
  highlightOnHover?: boolean;
  horizontalSpacing?: 'sm' | 'md';
  caption?: ReactNode;
  testId?: string;
  /** The rows (`Table.Tr`). */
  children: ReactNode;
}

/** The app's list table: a horizontal scroll container, column headings and the given rows. */
export function DataTable(props: DataTableProps) {
  const { minWidth, columns, actions, highlightOnHover, horizontalSpacing = 'md', caption, testId, children } = props;
  return (
    <Table.ScrollContainer minWidth={minWidth}>
      <Table
        verticalSpacing="sm"
        horizontalSpacing={horizontalSpacing}
        highlightOnHover={highlightOnHover}
        data-testid={testId}
      >
        {caption != null && <Table.Caption>{caption}</Table.Caption>}
        <Table.Thead>
          <Table.Tr>
            {columns.map((column) => {
              if (column === false) return null;
              const { label, align, nowrap } = typeof column === 'string' ? { label: column } : column;
              return (
                <Table.Th key={label} scope="col" ta={align} style={nowrap ? { whiteSpace: 'nowrap' } : undefined}>
                  {label}
                </Table.Th>
              );
            })}
            {actions && (
              <Table.Th scope="col" ta="right">
                Actions
              </Table.Th>
            )}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>{children}</Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

interface RowActionProps {
  /** The accessible name, naming the row: "Remove Ada Lovelace". */
  label: string;
  children: ReactNode;
  onClick: () => void;
  /** `danger` for removing or revoking; `neutral` for a plain action. */
  tone?: 'danger' | 'primary' | 'neutral';
  loading?: boolean;
}

/** A small button acting on one table row. */
export function RowAction({ label, children, onClick, tone = 'danger', loading }: RowActionProps) {
  return (
    <Button
      size="xs"
      variant={tone === 'neutral' ? 'default' : 'light'}
      color={tone === 'danger' ? 'red' : undefined}
      aria-label={label}
      loading={loading}
      onClick={onClick}
    >
      {children}
    </Button>
  );
}
