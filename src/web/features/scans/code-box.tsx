import type { CSSProperties } from 'react';
import { MaskedText } from './masked-text.tsx';
import classes from './scans.module.css';

interface CodeBoxProps {
  text: string;
  /** The accessible name of the box: "Response body". */
  label: string;
  maxHeight?: number;
  testId?: string | undefined;
  /** Marks the API's `[masked: …]` placeholders (finding text that was not revealed). */
  marks?: boolean;
}

/** Monospace text in a scroll box that keyboard users can focus and scroll (WCAG 2.1.1). */
export function CodeBox({ text, label, maxHeight, testId, marks = false }: CodeBoxProps) {
  const style: CSSProperties | undefined = maxHeight ? { maxHeight } : undefined;
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard
    <section className={classes.codeBox} style={style} tabIndex={0} aria-label={label} data-testid={testId}>
      <pre className={classes.pre}>
        <MaskedText text={text} marks={marks} />
      </pre>
    </section>
  );
}
