import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  codeBlock,
  hasBareTripleFenceLine,
  inlineCode,
  longestBacktickRun,
  neutralizeText,
} from './neutralize-markdown.ts';

/** Inverse of codeBlock: drop the quote prefixes, find the fence, return the inner text. */
function parseBlock(md: string): { inner: string; fence: string; info: string; quoted: boolean } {
  const quoted = md.startsWith('> ');
  const block = quoted ? md.slice(2).replace(/(\r\n|\r|\n)> /g, '$1') : md;
  const nl = block.indexOf('\n');
  const open = /^(`{3,})([^`]*)$/.exec(block.slice(0, nl));
  if (!open?.[1]) throw new Error(`no opening fence in ${JSON.stringify(md.slice(0, 40))}`);
  const fence = open[1];
  if (!block.endsWith(`\n${fence}`)) throw new Error('no closing fence');
  return { inner: block.slice(nl + 1, block.length - fence.length - 1), fence, info: open[2] ?? '', quoted };
}

/** Inverse of inlineCode. */
function parseInline(md: string): string {
  if (md === '') return '';
  const m = /^(`+)([\s\S]*?)\1$/.exec(md);
  if (!m?.[1]) throw new Error('not a code span');
  const body = m[2] ?? '';
  if (longestBacktickRun(body) >= m[1].length) throw new Error('delimiter run inside');
  return body.length >= 2 && body.startsWith(' ') && body.endsWith(' ') && !/^ +$/.test(body)
    ? body.slice(1, -1)
    : body;
}

/**
 * A strict, line-based quick-action reader: CR deleted (as GitLab does), a fence opens on a line
 * starting with ``` and closes on a bare ``` line, nothing else protects. Returns the command lines
 * it would run.
 */
function strictCommands(md: string): string[] {
  let inFence = false;
  const found: string[] = [];
  for (const line of md.replace(/\r/g, '').split('\n')) {
    if (inFence) {
      if (/^```\s*$/.test(line)) inFence = false;
      continue;
    }
    if (line.startsWith('```')) inFence = true;
    else if (/^\s*\/\w/.test(line)) found.push(line);
  }
  return found;
}

const nasty = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        '`',
        '``',
        '```',
        '````',
        '```\u00a0',
        '```\f',
        '~~~',
        '\n',
        '\r',
        '\r\n',
        '/close',
        '/assign @root',
        '/label ~x',
        ' ',
        '> ',
        '<div>',
        '@all',
        '#1',
        '\t',
        '\u2028',
      ),
      fc.string(),
      fc.string({ unit: 'binary' }),
    ),
    { maxLength: 30 },
  )
  .map((parts) => parts.join(''));

describe('codeBlock', () => {
  it('wraps in a fence longer than any backtick run, at least 3, never ~~~', () => {
    expect(codeBlock('a')).toBe('```\na\n```');
    expect(codeBlock('a ``` b', 'http')).toBe('````http\na ``` b\n````');
    expect(codeBlock('``````')).toMatch(/^`{7}\n/);
    expect(codeBlock('x', 'js`\n/close')).toBe('```jsclose\nx\n```');
    expect(codeBlock('~~~\n/close')).toBe('```\n~~~\n/close\n```');
  });

  it('quotes the block when a bare ``` line would end it early for a line-based reader', () => {
    const md = codeBlock('```\n/close\n```');
    expect(md).toBe('> ````\n> ```\n> /close\n> ```\n> ````');
    expect(strictCommands(md)).toEqual([]);
    expect(hasBareTripleFenceLine('a\r```\rb')).toBe(true);
    expect(hasBareTripleFenceLine('```js\n/close')).toBe(false);
  });

  it('round-trips any string exactly, and nothing outside the fence starts with /', () => {
    fc.assert(
      fc.property(fc.oneof(nasty, fc.string({ unit: 'binary' })), (s) => {
        const md = codeBlock(s, 'text');
        const { inner, fence, quoted } = parseBlock(md);
        expect(inner).toBe(s);
        expect(fence.length).toBeGreaterThan(Math.max(2, longestBacktickRun(s)));
        const lines = md.split(/\r\n|\r|\n/);
        if (quoted) for (const l of lines) expect(l.startsWith('>')).toBe(true);
        else {
          expect(lines[0]?.startsWith('```')).toBe(true);
          expect(lines.at(-1)).toBe(fence);
        }
        expect(strictCommands(md)).toEqual([]);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('inlineCode', () => {
  it('uses a longer backtick run and pads when needed', () => {
    expect(inlineCode('a')).toBe('`a`');
    expect(inlineCode('a`b')).toBe('``a`b``');
    expect(inlineCode('`x')).toBe('`` `x ``');
    expect(inlineCode(' a ')).toBe('`  a  `');
    expect(inlineCode('   ')).toBe('`   `');
    expect(inlineCode('a\n/close\r\nb')).toBe('`a /close b`');
    expect(inlineCode('')).toBe('');
  });

  it('round-trips any string (newlines as spaces) and is one line not starting with /', () => {
    fc.assert(
      fc.property(fc.oneof(nasty, fc.string({ unit: 'binary' })), (s) => {
        const md = inlineCode(s);
        expect(parseInline(md)).toBe(s.replace(/\r\n|\r|\n/g, ' '));
        expect(md).not.toMatch(/[\r\n]/);
        expect(md.startsWith('/')).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('neutralizeText', () => {
  it('escapes Markdown, HTML, references and quick actions', () => {
    const zwj = '\u200D';
    expect(neutralizeText('/close')).toBe('\\/close');
    expect(neutralizeText('  /assign @root')).toBe(`  \\/assign \\@${zwj}root`);
    expect(neutralizeText('<script>alert(1)</script>')).toBe('\\<script\\>alert\\(1\\)\\<\\/script\\>');
    expect(neutralizeText('[x](http://e) ![i](j) **b** # h &amp;')).toBe(
      `\\[x\\]\\(http\\:\\/\\/e\\) \\!${zwj}\\[i\\]\\(j\\) \\*\\*b\\*\\* \\#${zwj} h \\&${zwj}amp\\;`,
    );
    expect(neutralizeText('a\n/close\r\n@all')).toBe(`a \\/close \\@${zwj}all`);
    expect(neutralizeText('Plain name 1')).toBe('Plain name 1');
  });

  it('never yields a line starting with / or an unescaped @word, #1, ~x, %m, !1', () => {
    fc.assert(
      fc.property(fc.oneof(nasty, fc.string({ unit: 'binary' })), (s) => {
        const out = neutralizeText(s);
        for (const line of out.split(/\r\n|\r|\n/)) expect(line).not.toMatch(/^\s*\//);
        // Every reference prefix is escaped and followed by the joiner, never by a word character.
        expect(out).not.toMatch(/(^|[^\\])[@#!~%$&]/);
        expect(out).not.toMatch(/[@#!~%$&][\w"]/);
        // No raw HTML tag or entity can start: every < and & is escaped.
        expect(out).not.toMatch(/(^|[^\\])[<&[`*_|]/);
      }),
      { numRuns: 2000 },
    );
  });
});
