import { Avatar, Group, Text, Tooltip, VisuallyHidden } from '@mantine/core';
import { initialsOf, safeAvatar } from '../gitlab/index.ts';

export interface Person {
  id: number;
  username: string;
  name: string;
  avatarUrl: string | null;
}

/** A GitLab user's avatar, or their initials when there is none (or it cannot be loaded here). */
export function PersonAvatar({ person, size = 24 }: { person: Person; size?: number }) {
  return (
    <Avatar src={safeAvatar(person.avatarUrl)} alt="" size={size} radius="xl" color="indigo" aria-hidden="true">
      {initialsOf(person.name)}
    </Avatar>
  );
}

/** Assignees as avatars (names on hover and for screen readers); "Unassigned" when none. */
export function Assignees({ people }: { people: Person[] }) {
  if (people.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        Unassigned
      </Text>
    );
  }
  return (
    <Group gap={6} wrap="nowrap">
      {people.map((person) => (
        <Tooltip key={person.id} label={`${person.name} (@${person.username})`} withArrow>
          <Group gap={6} wrap="nowrap">
            <PersonAvatar person={person} />
            {people.length === 1 ? (
              <Text size="sm" title={person.name}>
                @{person.username}
              </Text>
            ) : (
              <VisuallyHidden>{`${person.name} (@${person.username})`}</VisuallyHidden>
            )}
          </Group>
        </Tooltip>
      ))}
    </Group>
  );
}
