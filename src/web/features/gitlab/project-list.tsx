import { Avatar, Button, Center, Group, Loader, Radio, Stack, Text } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import type { z } from 'zod';
import type { pickerProjectSchema } from '../../../contracts/index.ts';
import { GitlabErrorAlert } from './gitlab-error-alert.tsx';
import { initialsOf, safeAvatar } from './instance-label.ts';
import { type PickerFilter, usePickerProjects } from './use-gitlab.ts';
import classes from './gitlab.module.css';

export type PickerProject = z.infer<typeof pickerProjectSchema>;

interface ProjectListProps {
  targetId: string;
  filter: PickerFilter;
  selectedId: number | null;
  onSelect: (project: PickerProject) => void;
  disabled: boolean;
}

/** True while `ref`'s element is within its scroll container's view. */
function useVisible<T extends Element>() {
  const ref = useRef<T | null>(null);
  const [visible, setVisible] = useState(false);
  useEffect(() => {
    const element = ref.current;
    if (!element || typeof IntersectionObserver === 'undefined') return;
    const observer = new IntersectionObserver(([entry]) => setVisible(Boolean(entry?.isIntersecting)), {
      rootMargin: '0px 0px 120px 0px',
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return { ref, visible };
}

/** Projects as radio cards, loading the next page as the end of the list scrolls into view. */
export function ProjectList({ targetId, filter, selectedId, onSelect, disabled }: ProjectListProps) {
  const query = usePickerProjects(targetId, filter, true);
  const { ref: endRef, visible: endVisible } = useVisible<HTMLDivElement>();
  const { hasNextPage, isFetchingNextPage, isError, fetchNextPage } = query;

  // Also after a page that came back empty while more follow: the end is still in view, so keep going.
  useEffect(() => {
    if (endVisible && hasNextPage && !isFetchingNextPage && !isError) void fetchNextPage();
  }, [endVisible, hasNextPage, isFetchingNextPage, isError, fetchNextPage]);

  const projects = query.data?.pages.flatMap((page) => page.projects) ?? [];
  const byId = new Map(projects.map((project) => [String(project.id), project]));
  const loadingFirst = query.isPending;
  const finishedEmpty = !loadingFirst && !query.isError && projects.length === 0 && !hasNextPage;

  return (
    <Stack gap="xs">
      <div className={classes.projectScroll} data-testid="project-list">
        {loadingFirst ? (
          <Center py="xl" role="status">
            <Group gap="sm">
              <Loader size="sm" aria-hidden="true" />
              <Text size="sm" c="dimmed">
                Loading projects from GitLab…
              </Text>
            </Group>
          </Center>
        ) : (
          <Radio.Group
            label="Projects"
            labelProps={{ className: classes.visuallyHidden }}
            value={selectedId === null ? null : String(selectedId)}
            onChange={(value) => {
              const project = byId.get(value);
              if (project) onSelect(project);
            }}
          >
            <Stack gap={6} p={6}>
              {projects.map((project) => (
                <Radio.Card
                  key={project.id}
                  value={String(project.id)}
                  className={classes.projectCard}
                  disabled={disabled}
                  aria-label={project.pathWithNamespace}
                >
                  <Group gap="sm" wrap="nowrap">
                    <Radio.Indicator aria-hidden="true" />
                    <Avatar src={safeAvatar(project.avatarUrl)} alt="" radius="sm" size={32} color="indigo">
                      {initialsOf(project.name)}
                    </Avatar>
                    <Stack gap={0} style={{ minWidth: 0 }}>
                      <Text size="sm" fw={600} truncate>
                        {project.name}
                      </Text>
                      <Text size="xs" c="dimmed" ff="monospace" truncate>
                        {project.pathWithNamespace}
                      </Text>
                    </Stack>
                  </Group>
                </Radio.Card>
              ))}
            </Stack>
          </Radio.Group>
        )}
        {finishedEmpty && (
          <Text size="sm" c="dimmed" p="md" ta="center">
            {filter.search
              ? `No project matches “${filter.search}”.${filter.includeGroups ? '' : ' Try Include group resources.'}`
              : 'No project where you can create issues.'}
          </Text>
        )}
        <div ref={endRef} className={classes.listEnd}>
          {isFetchingNextPage && (
            <Group gap="xs" justify="center" role="status">
              <Loader size="xs" aria-hidden="true" />
              <Text size="xs" c="dimmed">
                Loading more projects…
              </Text>
            </Group>
          )}
          {hasNextPage && !isFetchingNextPage && !isError && (
            <Center>
              <Button size="xs" variant="subtle" onClick={() => void fetchNextPage()}>
                Load more
              </Button>
            </Center>
          )}
        </div>
      </div>
      {query.isError && (
        <GitlabErrorAlert
          error={query.error}
          action="load the projects"
          targetId={targetId}
          onRetry={() => void (projects.length ? fetchNextPage() : query.refetch())}
          retrying={query.isFetching}
        />
      )}
      <Text size="xs" c="dimmed" aria-live="polite">
        {loadingFirst
          ? ''
          : `${projects.length} project${projects.length === 1 ? '' : 's'} shown${hasNextPage ? '; scroll for more' : ''}.`}
      </Text>
    </Stack>
  );
}
