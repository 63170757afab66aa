import { Badge, Group, Skeleton, Text } from '@mantine/core';
import { useVirtualizer } from '@tanstack/react-virtual';
import { type KeyboardEvent, useEffect, useRef, useState } from 'react';
import type { FindingInfo, VulnerabilityInfo } from '../../../contracts/index.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import classes from './scans.module.css';
import { FINDINGS_PAGE, useFindingPages } from './use-scans.ts';

const ROW = 60;
/** The list's height when it holds more rows than fit. */
const MAX_HEIGHT = 440;

interface FindingsListProps {
  vulnerability: VulnerabilityInfo;
  selectedId: string | null;
  /** Row to bring into view (a deep-linked finding), once known. */
  scrollToIndex: number | null;
  onSelect: (finding: FindingInfo, index: number) => void;
}

/**
 * A vulnerability's findings as a virtualised list: only the rows in view are in the DOM, and the
 * pages of 500 that hold them are fetched as they scroll into view. Arrow keys, Home, End, Page Up
 * and Page Down move between rows.
 */
export function FindingsList({ vulnerability, selectedId, scrollToIndex, onSelect }: FindingsListProps) {
  const count = vulnerability.findingCount;
  const scroller = useRef<HTMLDivElement>(null);
  const listRef = useRef<HTMLUListElement>(null);
  const [focusIndex, setFocusIndex] = useState<number | null>(null);
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW,
    overscan: 10,
  });
  const items = virtualizer.getVirtualItems();
  const pages = [...new Set(items.map((item) => Math.floor(item.index / FINDINGS_PAGE)))];
  if (pages.length === 0 && count > 0) pages.push(0);
  const results = useFindingPages(vulnerability.id, pages);
  const pageData = new Map(pages.map((page, i) => [page, results[i]]));
  const failed = results.find((result) => result.isError);

  useEffect(() => {
    if (scrollToIndex !== null && scrollToIndex < count) {
      virtualizer.scrollToIndex(scrollToIndex, { align: 'center' });
    }
  }, [scrollToIndex, count, virtualizer]);

  // After a keyboard move the target row may only now be rendered; focus it once it is.
  useEffect(() => {
    if (focusIndex === null) return;
    const row = listRef.current?.querySelector<HTMLElement>(`[data-index="${focusIndex}"] button`);
    if (row) {
      row.focus({ preventScroll: true });
      setFocusIndex(null);
    }
  });

  const onKeyDown = (event: KeyboardEvent) => {
    const current = Number((event.target as HTMLElement).closest('li')?.dataset.index ?? -1);
    if (current < 0) return;
    const perPage = Math.max(1, Math.floor((scroller.current?.clientHeight ?? ROW * 8) / ROW) - 1);
    const moves: Record<string, number> = {
      ArrowDown: current + 1,
      ArrowUp: current - 1,
      PageDown: current + perPage,
      PageUp: current - perPage,
      Home: 0,
      End: count - 1,
    };
    const next = moves[event.key];
    if (next === undefined) return;
    event.preventDefault();
    const index = Math.min(count - 1, Math.max(0, next));
    virtualizer.scrollToIndex(index, { align: 'auto' });
    setFocusIndex(index);
  };

  return (
    <>
      {failed && (
        <ErrorAlert
          error={failed.error}
          action="load the findings"
          onRetry={() => void failed.refetch()}
          retrying={failed.isFetching}
        />
      )}
      <div
        ref={scroller}
        className={classes.findingScroller}
        style={{ height: Math.min(MAX_HEIGHT, count * ROW + 2) }}
        data-testid="findings-scroller"
      >
        <ul
          ref={listRef}
          aria-label={`Findings of ${vulnerability.name}`}
          onKeyDown={onKeyDown}
          style={{ height: virtualizer.getTotalSize(), position: 'relative', margin: 0, padding: 0, listStyle: 'none' }}
        >
          {items.map((item) => {
            const page = pageData.get(Math.floor(item.index / FINDINGS_PAGE))?.data;
            const finding = page?.findings[item.index - page.offset];
            return (
              <li
                key={item.key}
                data-index={item.index}
                aria-setsize={count}
                aria-posinset={item.index + 1}
                className={classes.findingItem}
                style={{ height: item.size, transform: `translateY(${item.start}px)` }}
              >
                {finding ? (
                  <FindingRow
                    finding={finding}
                    active={finding.id === selectedId}
                    onSelect={() => onSelect(finding, item.index)}
                  />
                ) : (
                  <Group h="100%" px="sm" aria-label={`Loading finding ${item.index + 1}`}>
                    <Skeleton height={14} width="30%" />
                    <Skeleton height={14} width="55%" />
                  </Group>
                )}
              </li>
            );
          })}
        </ul>
      </div>
    </>
  );
}

function FindingRow({ finding, active, onSelect }: { finding: FindingInfo; active: boolean; onSelect: () => void }) {
  return (
    <button
      type="button"
      className={classes.findingRow}
      data-active={active || undefined}
      aria-current={active ? 'true' : undefined}
      onClick={onSelect}
    >
      <Group gap={8} wrap="nowrap" w="100%">
        <Text component="span" size="xs" fw={700} ff="monospace">
          {finding.publicId}
        </Text>
        {finding.method && (
          <Badge component="span" size="xs" variant="light" color="gray" radius="sm">
            {finding.method}
          </Badge>
        )}
        {finding.parameter && (
          <Text component="span" size="xs" c="dimmed" truncate>
            parameter: {finding.parameter}
          </Text>
        )}
      </Group>
      <Text component="span" size="xs" ff="monospace" truncate w="100%" title={finding.url}>
        {finding.url || '(no URL)'}
      </Text>
    </button>
  );
}
