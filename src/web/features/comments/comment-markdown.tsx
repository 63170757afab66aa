import { Anchor, Code, Text } from '@mantine/core';
import type { ComponentProps } from 'react';
import Markdown, { type Components } from 'react-markdown';
import rehypeSanitize from 'rehype-sanitize';
import remarkGfm from 'remark-gfm';
import classes from './comments.module.css';

/** Links and images may only point at http(s) or mailto; anything else (javascript:, data:) is dropped. */
function safeUrl(url: string | undefined, protocols: string[]): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url, window.location.href);
    return protocols.includes(parsed.protocol) ? parsed.href : null;
  } catch {
    return null;
  }
}

function Link({ href, children }: ComponentProps<'a'>) {
  const safe = safeUrl(href, ['https:', 'http:', 'mailto:']);
  if (!safe) return <span className={classes.deadLink}>{children}</span>;
  return (
    <Anchor href={safe} target="_blank" rel="noopener noreferrer nofollow" size="sm">
      {children}
    </Anchor>
  );
}

/** Only https images are loaded; others become a link to the image, which nothing loads by itself. */
function Image({ src, alt }: ComponentProps<'img'>) {
  const https = safeUrl(typeof src === 'string' ? src : undefined, ['https:']);
  if (https)
    return <img src={https} alt={alt ?? ''} className={classes.image} loading="lazy" referrerPolicy="no-referrer" />;
  const other = safeUrl(typeof src === 'string' ? src : undefined, ['http:']);
  const label = `Image${alt ? `: ${alt}` : ''}`;
  return other ? (
    <Anchor href={other} target="_blank" rel="noopener noreferrer nofollow" size="sm">
      {label}
    </Anchor>
  ) : (
    <span className={classes.deadLink}>{label}</span>
  );
}

interface HastNode {
  type: string;
  value?: string;
  children?: HastNode[];
}

/** HTML written in a comment is shown as the text it is (never interpreted, never silently dropped). */
function rawAsText() {
  const walk = (node: HastNode) => {
    if (node.type === 'raw') node.type = 'text';
    node.children?.forEach(walk);
  };
  return (tree: HastNode) => walk(tree);
}

const components: Components = {
  a: Link,
  img: Image,
  p: ({ children }) => (
    <Text size="sm" component="p" className={classes.paragraph}>
      {children}
    </Text>
  ),
  code: ({ children, className }) => <Code className={className}>{children}</Code>,
  pre: ({ children }) => <pre className={classes.pre}>{children}</pre>,
};

/**
 * A GitLab comment's Markdown (with GitHub-flavoured tables, task lists and autolinks) rendered as
 * React elements: HTML in the text is shown as text (no rehype-raw), the tree is sanitised, links
 * open in a new tab without referrer or opener, and only https images load.
 */
export function CommentMarkdown({ body }: { body: string }) {
  return (
    <div className={classes.markdown}>
      <Markdown remarkPlugins={[remarkGfm]} rehypePlugins={[rawAsText, rehypeSanitize]} components={components}>
        {body}
      </Markdown>
    </div>
  );
}
