import fc from 'fast-check';
import type { Nodes } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmFromMarkdown } from 'mdast-util-gfm';
import { gfm } from 'micromark-extension-gfm';
import { describe, expect, it } from 'vitest';
import { extractCommands } from '../sandbox/quick-actions/extract.ts';
import { findReferences } from '../sandbox/quick-actions/references.ts';
import { attributionLine, isInertMarkdown, neutralizeMarkdown, neutralizePlainText } from './neutralize-prose.ts';

const parse = (md: string) => fromMarkdown(md, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] });

function htmlNodes(md: string): string[] {
  const found: string[] = [];
  const visit = (n: Nodes) => {
    if (n.type === 'html') found.push(n.value);
    if ('children' in n) for (const c of n.children as Nodes[]) visit(c);
  };
  visit(parse(md));
  return found;
}

/** Everything that could act in GitLab, by an independent reader (the sandbox's model of GitLab). */
function acting(md: string) {
  const refs = findReferences(md);
  return {
    commands: extractCommands(md, () => true).commands,
    // Any line that starts with `/`, blanks or not, read as GitLab (CR deleted) or as CommonMark.
    slashLines: [...md.replace(/\r/g, '').split('\n'), ...md.split(/\r\n|\r|\n/)].filter((l) => /^\s*\//.test(l)),
    references: [
      refs.users,
      refs.all ? ['@all'] : [],
      refs.issues,
      refs.projectIssues,
      refs.mergeRequests,
      refs.snippets,
      refs.epics,
      refs.labels,
      refs.milestones,
      refs.wikiPages,
    ].flat(),
    html: htmlNodes(md),
  };
}
const NOTHING = { commands: [], slashLines: [], references: [], html: [] };

const token = fc.constantFrom(
  '/close',
  '/assign @bob',
  '/label ~x',
  '/remove_label ~VB-ABCDEF123456',
  '/confidential',
  '/move a/b',
  '/unlabel',
  ' /lock',
  '\t/title x',
  '@all',
  '@bob',
  '#1',
  '!1',
  '~bug',
  '~"needs review"',
  '%v1.0',
  '%"Sprint 3"',
  '$1',
  '&1',
  '[[wiki]]',
  'group/project#1',
  '*iteration:1',
  '[vulnerability:1]',
  '&#64;bob',
  '\\@bob',
  '<b>',
  '</b>',
  '<div>',
  '</div>',
  '<!-- x -->',
  '<img src=x onerror=alert(1)>',
  '<a href="x">',
  '<code>',
  '`',
  '``',
  '```',
  '````',
  '~~~',
  '>>>',
  '> ',
  '- ',
  '1. ',
  '* ',
  '# ',
  '| a | b |\n|---|---|\n',
  '\\',
  '[x](http://e "t")',
  '[a\n/close](u)',
  '![i\n/close](u)',
  '**',
  '_',
  '    ',
  '\n',
  '\n\n',
  '\r',
  '\r\n',
  '\u2028',
  ' ',
  'word',
  'https://e.example/x#1',
  'jane@example.com',
);
const nasty = fc
  .array(fc.oneof({ weight: 4, arbitrary: token }, { weight: 1, arbitrary: fc.string({ maxLength: 6 }) }), {
    maxLength: 40,
  })
  .map((p) => p.join(''));

describe('neutralizeMarkdown', () => {
  it('keeps plain text and ordinary Markdown as written', () => {
    expect(neutralizeMarkdown('Plain words stay the same')).toBe('Plain words stay the same');
    expect(neutralizeMarkdown('Retested on **staging**: still _vulnerable_, see `config.yml`.')).toBe(
      'Retested on **staging**: still *vulnerable*, see `config.yml`.',
    );
    expect(neutralizeMarkdown('- one\n- two')).toBe('- one\n- two');
    expect(neutralizeMarkdown('```js\nconst a = 1;\n```')).toBe('```js\nconst a = 1;\n```');
    expect(neutralizeMarkdown('See <https://e.example/a#1> and [docs](https://e.example/d).')).toBe(
      'See <https://e.example/a#1> and [docs](https://e.example/d).',
    );
  });

  it('puts quick actions, references and raw HTML in code spans, not the whole comment in a block', () => {
    const md = neutralizeMarkdown(
      'Please check.\n/close\n/assign @bob\ncc @all, see #1 and group/project#2 (!3), ~bug %v1 $4 &5 [[Home]]\n<img src=x onerror=alert(1)>',
    );
    expect(md).toBe(
      'Please check.\n`/close`\n`/assign` `@bob`\ncc `@all`, see `#1` and `group/project#2` (`!3`), `~bug` `%v1` `$4` `&5` `[[Home]]`\n`<img src=x onerror=alert(1)>`',
    );
    expect(acting(md)).toEqual(NOTHING);
  });

  it('builds code spans longer than the backtick runs inside a token', () => {
    const md = neutralizeMarkdown('see @a`b and #1``x');
    expect(md).toBe('see ``@a`b`` and `#1``x`');
    expect(acting(md)).toEqual(NOTHING);
    const block = neutralizeMarkdown('Text\n\n<div>\n/close @all\n</div>');
    expect(block).toBe('Text\n\n> ```html\n> <div>\n> /close @all\n> </div>\n> ```');
    expect(acting(block)).toEqual(NOTHING);
  });

  it('keeps fences, longer than any backtick run, and quotes one that holds a /command line', () => {
    expect(neutralizeMarkdown('```\nx ``` y\n```')).toBe('````\nx ``` y\n````');
    const md = neutralizeMarkdown('````\n```\n/close\n```\n````\n~~~\n@all\n~~~');
    expect(md).toBe('> ````\n> ```\n> /close\n> ```\n> ````\n\n```\n@all\n```');
    expect(acting(md)).toEqual(NOTHING);
  });

  it('makes line breaks of every kind safe (CR, CRLF, U+2028) and lines inside links', () => {
    for (const s of [
      'a\r/close',
      'a\r\n/close',
      'a\u2028/close',
      '[a\n/close](http://e "t\n/close")',
      '![a\n/close](http://e)',
      'x\\\n/close',
      'a  \n/close',
    ])
      expect(acting(neutralizeMarkdown(s)), JSON.stringify(s)).toEqual(NOTHING);
  });

  it('for any text: no line starts a quick action, no reference or raw HTML is live, and plain words are unchanged', () => {
    fc.assert(
      fc.property(nasty, (s) => {
        const md = neutralizeMarkdown(s);
        expect(acting(md)).toEqual(NOTHING);
        expect(isInertMarkdown(md)).toBe(true);
      }),
      { numRuns: 600 },
    );
    fc.assert(
      fc.property(fc.array(fc.stringMatching(/^[A-Za-z0-9]{1,12}$/), { minLength: 1, maxLength: 30 }), (words) => {
        expect(neutralizeMarkdown(words.join(' '))).toBe(words.join(' '));
      }),
    );
  });
});

describe('neutralizePlainText', () => {
  it('shows scanner prose as written: paragraphs, Markdown characters escaped, acting tokens as code', () => {
    expect(neutralizePlainText('The page reflects input.\n\nUse a CSP.')).toBe(
      'The page reflects input.\n\nUse a CSP.',
    );
    // A line break stays a line break (a hard break), so the scanner's lines are not joined.
    expect(neutralizePlainText('# not a heading\n* not a list <b>x</b>')).toBe(
      '\\# not a heading\\\n\\* not a list \\<b>x\\</b>',
    );
    expect(neutralizePlainText('/close\n@all')).toBe('`/close`\\\n`@all`');
  });

  it('for any text: nothing acts', () => {
    fc.assert(
      fc.property(nasty, (s) => {
        expect(acting(neutralizePlainText(s))).toEqual(NOTHING);
      }),
      { numRuns: 600 },
    );
  });
});

describe('attributionLine', () => {
  it('names the hub author in bold, the name made inert too', () => {
    expect(attributionLine('Jane Doe')).toBe('**Jane Doe** (Vulnbridge) wrote:');
    expect(attributionLine('@all /close <b>Eve</b> #1')).toBe(
      '**`@all` /close \\<b>Eve\\</b> `#1`** (Vulnbridge) wrote:',
    );
    expect(attributionLine('  ')).toBe('**A Vulnbridge user** (Vulnbridge) wrote:');
  });

  it('is one line that acts on nothing, for any name', () => {
    fc.assert(
      fc.property(nasty, (name) => {
        const line = attributionLine(name);
        expect(line).not.toMatch(/[\r\n]/);
        expect(line).toMatch(/^\*\*[\s\S]*\*\* \(Vulnbridge\) wrote:$/);
        expect(acting(line)).toEqual(NOTHING);
      }),
      { numRuns: 400 },
    );
  });
});
