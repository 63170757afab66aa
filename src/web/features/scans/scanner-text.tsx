// Text written by scanners is untrusted: it is only ever rendered as React text, never as HTML.
import { Anchor, List, Text } from '@mantine/core';
import classes from './scans.module.css';

/** An http(s) URL, or null when the text is anything else (javascript:, data:, plain words). */
export function safeHttpUrl(text: string): string | null {
  const trimmed = text.trim();
  if (!/^https?:\/\//i.test(trimmed)) return null;
  try {
    const url = new URL(trimmed);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

/** A block of scanner text, line breaks kept. */
export function ScannerText({ text, empty = 'None given.' }: { text: string; empty?: string }) {
  if (!text.trim()) {
    return (
      <Text size="sm" c="dimmed">
        {empty}
      </Text>
    );
  }
  return (
    <Text size="sm" className={classes.longText}>
      {text}
    </Text>
  );
}

/** References: each a link when it is an http(s) URL, plain text otherwise. */
export function References({ references }: { references: string[] }) {
  if (references.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        None given.
      </Text>
    );
  }
  return (
    <List size="sm" spacing={2}>
      {references.map((reference, index) => {
        const href = safeHttpUrl(reference);
        return (
          // References may repeat, so the position is part of the key.
          // biome-ignore lint/suspicious/noArrayIndexKey: a static list that never reorders
          <List.Item key={`${index}-${reference}`} style={{ overflowWrap: 'anywhere' }}>
            {href ? (
              <Anchor href={href} target="_blank" rel="noopener noreferrer nofollow" size="sm">
                {reference.trim()}
              </Anchor>
            ) : (
              reference
            )}
          </List.Item>
        );
      })}
    </List>
  );
}
