import { StringDecoder } from 'node:string_decoder';
import { SaxesParser } from 'saxes';
import { ReportError } from './errors.ts';
import type { ReportFormat } from './types.ts';

/**
 * A streaming XML reader on saxes that never resolves anything: no external DTD, no entity beyond the
 * five predefined ones and character references (saxes refuses any other reference as undefined).
 * A DOCTYPE is refused outright unless the caller allows a declarations-only internal subset (Burp's
 * export carries one): even then any ENTITY declaration, parameter entity or external identifier
 * (SYSTEM/PUBLIC) is refused, so XXE and entity expansion are impossible.
 */
export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
  line: number;
  column: number;
}

export interface XmlReadOptions {
  format: ReportFormat;
  /** Name the root element must have. */
  root: string;
  doctype: 'refuse' | 'declarations-only';
  /** Elements handed over whole as soon as they close, then dropped from the tree. */
  isRecord: (name: string, ancestors: readonly XmlElement[]) => boolean;
  onRecord: (record: XmlElement, ancestors: readonly XmlElement[]) => void;
}

const MAX_DEPTH = 64;
const CHUNK = 1 << 20;

export function readXml(buf: Buffer, start: number, opts: XmlReadOptions): XmlElement {
  const parser = new SaxesParser({ xmlns: false, position: true });
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  let recordDepth = -1;
  const fail = (reason: string): never => {
    throw new ReportError(opts.format, reason, { line: parser.line, column: parser.column + 1 });
  };
  parser.on('error', (err) => {
    fail(err.message.replace(/^[^:]*:\d+:\d+: /, '').replace(/^\d+:\d+: /, ''));
  });
  parser.on('doctype', (doctype) => {
    if (opts.doctype === 'refuse') fail('a DOCTYPE is not allowed in this report format (XXE protection)');
    checkDoctype(doctype, fail);
  });
  parser.on('opentag', (tag) => {
    if (stack.length >= MAX_DEPTH) fail(`elements nested deeper than ${MAX_DEPTH} levels`);
    const el: XmlElement = {
      name: tag.name,
      attrs: tag.attributes as Record<string, string>,
      children: [],
      text: '',
      line: parser.line,
      column: parser.column,
    };
    if (stack.length === 0) {
      if (tag.name !== opts.root) fail(`the root element is <${tag.name}>, expected <${opts.root}>`);
      root = el;
    } else {
      stack[stack.length - 1]?.children.push(el);
      if (recordDepth === -1 && opts.isRecord(tag.name, stack)) recordDepth = stack.length;
    }
    stack.push(el);
  });
  const onText = (text: string) => {
    const top = stack[stack.length - 1];
    if (top) top.text += text;
  };
  parser.on('text', onText);
  parser.on('cdata', onText);
  parser.on('closetag', () => {
    const el = stack.pop();
    if (el && stack.length === recordDepth) {
      recordDepth = -1;
      const parent = stack[stack.length - 1];
      parent?.children.pop();
      opts.onRecord(el, stack);
    }
  });
  const decoder = new StringDecoder('utf8');
  try {
    for (let at = start; at < buf.length; at += CHUNK)
      parser.write(decoder.write(buf.subarray(at, Math.min(buf.length, at + CHUNK))));
    parser.write(decoder.end());
    parser.close();
  } catch (e) {
    if (e instanceof ReportError) throw e;
    fail(e instanceof Error ? e.message : 'malformed XML');
  }
  if (!root) return fail('the file has no root element');
  return root;
}

/** Allows only <!ELEMENT>, <!ATTLIST> and comments in an internal subset; no external identifier. */
function checkDoctype(doctype: string, fail: (reason: string) => never): void {
  const bracket = doctype.indexOf('[');
  const head = bracket === -1 ? doctype : doctype.slice(0, bracket);
  if (/\b(SYSTEM|PUBLIC)\b/.test(head)) fail('the DOCTYPE names an external DTD (refused: XXE protection)');
  if (bracket === -1) return;
  let subset = doctype.slice(bracket + 1, doctype.lastIndexOf(']') === -1 ? undefined : doctype.lastIndexOf(']'));
  subset = subset.replace(/<!--[\s\S]*?-->/g, '');
  if (/<!ENTITY/i.test(subset)) fail('the DOCTYPE declares entities (refused: XXE and entity expansion protection)');
  if (/%/.test(subset.replace(/"[^"]*"|'[^']*'/g, ''))) fail('the DOCTYPE uses parameter entities (refused)');
  const rest = subset.replace(/<!(ELEMENT|ATTLIST)\b(?:[^<>"']|"[^"]*"|'[^']*')*>/g, '').trim();
  if (rest !== '') fail('the DOCTYPE holds declarations other than ELEMENT and ATTLIST (refused)');
}

/** Text of the first child with this name ('' when absent). */
export function childText(el: XmlElement, name: string): string {
  for (const c of el.children) if (c.name === name) return c.text;
  return '';
}

export function children(el: XmlElement, name: string): XmlElement[] {
  return el.children.filter((c) => c.name === name);
}

export function child(el: XmlElement, name: string): XmlElement | undefined {
  return el.children.find((c) => c.name === name);
}
