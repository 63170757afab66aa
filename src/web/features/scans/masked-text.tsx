// Scanner text in which the API masked secrets: each `[masked: Authorization]` placeholder is set apart
// so it cannot be mistaken for what the scanner wrote. Everything is React text, never HTML.
import { Fragment, type ReactNode } from 'react';
import { MASK_PLACEHOLDER_PATTERN } from '../../../contracts/index.ts';
import classes from './scans.module.css';

/** The text with its mask placeholders marked; plain text when `marks` is false (revealed values). */
export function MaskedText({ text, marks = true }: { text: string; marks?: boolean }): ReactNode {
  if (!marks || !text.includes('[masked')) return text;
  const parts: ReactNode[] = [];
  let last = 0;
  for (const match of text.matchAll(new RegExp(MASK_PLACEHOLDER_PATTERN.source, 'g'))) {
    const at = match.index ?? 0;
    if (at > last) parts.push(<Fragment key={`t${last}`}>{text.slice(last, at)}</Fragment>);
    parts.push(
      <span key={`m${at}`} className={classes.masked} data-testid="masked-secret">
        {match[0]}
      </span>,
    );
    last = at + match[0].length;
  }
  if (last < text.length) parts.push(<Fragment key={`t${last}`}>{text.slice(last)}</Fragment>);
  return parts;
}
