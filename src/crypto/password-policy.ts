// The one rule for every password a person chooses (first-run set-up, `vulnbridge user create`, members,
// invitations): at least 12 characters, not the person's e-mail address or name, not one of the
// commonest passwords, and hard to guess for an offline estimator (zxcvbn's TypeScript port, run here
// on the server only, so the web app's bundle does not carry its dictionaries).
import { ZxcvbnFactory, type ZxcvbnResult } from '@zxcvbn-ts/core';
import { adjacencyGraphs, dictionary as commonDictionary } from '@zxcvbn-ts/language-common';
import { dictionary as englishDictionary, translations } from '@zxcvbn-ts/language-en';
import { DomainError } from '../lib/index.ts';

export const MIN_PASSWORD_LENGTH = 12;
/** zxcvbn's score 3: "safely unguessable", about 10^8 guesses or more (our hashes are scrypt). */
const MIN_SCORE = 3;
/** Shorter parts of an e-mail address or a name are too common to refuse in a password ("an", "jo"). */
const MIN_PERSONAL_PART = 3;

export interface PasswordContext {
  email: string;
  name?: string;
}

let estimator: ZxcvbnFactory | undefined;

/** Built on first use (its dictionaries take a few hundred milliseconds to rank). */
function zxcvbn(): ZxcvbnFactory {
  estimator ??= new ZxcvbnFactory({
    translations,
    graphs: adjacencyGraphs,
    dictionary: { ...commonDictionary, ...englishDictionary },
    maxLength: 128,
  });
  return estimator;
}

const fold = (text: string) => text.normalize('NFKC').toLowerCase();
/** Letters and digits only, so "ann.smith" is found in "AnnSmith2024!". */
const compact = (text: string) => fold(text).replace(/[^\p{L}\p{N}]+/gu, '');

function personalParts(context: PasswordContext): { email: string[]; name: string[] } {
  const email = fold(context.email.trim());
  const local = email.split('@')[0] ?? '';
  const name = fold(context.name?.trim() ?? '');
  const words = name.split(/[^\p{L}\p{N}]+/u).filter((w) => w.length > MIN_PERSONAL_PART);
  const keep = (parts: string[]) => [...new Set(parts)].filter((p) => compact(p).length >= MIN_PERSONAL_PART);
  return { email: keep([email, local]), name: keep([name, ...words]) };
}

function contains(password: string, parts: string[]): boolean {
  const folded = fold(password);
  const compacted = compact(password);
  return parts.some((part) => folded.includes(part) || compacted.includes(compact(part)));
}

/** The whole password is one entry (maybe reversed or in l33t) of the common-passwords list. */
function isCommonPassword(result: ZxcvbnResult): boolean {
  const [only, ...rest] = result.sequence;
  if (!only || rest.length > 0 || only.pattern !== 'dictionary' || !('dictionaryName' in only)) return false;
  return String(only.dictionaryName).startsWith('passwords');
}

const sentence = (text: string) => text.replace(/\.$/, '').replace(/^./, (c) => c.toLowerCase());

/** Throws DomainError('weak_password', reason) when the password may not be used; the message says why ("the password contains your e-mail address"). */
export function assertStrongPassword(password: string, context: PasswordContext): void {
  if ([...password].length < MIN_PASSWORD_LENGTH) {
    throw new DomainError('weak_password', `the password must be at least ${MIN_PASSWORD_LENGTH} characters`);
  }
  const parts = personalParts(context);
  if (contains(password, parts.email))
    throw new DomainError('weak_password', 'the password contains your e-mail address');
  if (contains(password, parts.name)) throw new DomainError('weak_password', 'the password contains your name');
  const result = zxcvbn().check(password, [...parts.email, ...parts.name]);
  if (isCommonPassword(result))
    throw new DomainError('weak_password', 'the password is one of the most common passwords');
  if (result.score < MIN_SCORE) {
    const { warning, suggestions } = result.feedback;
    const why = warning ? `: ${sentence(warning)}` : '';
    const hint = suggestions[0] ? ` (${sentence(suggestions[0])})` : '';
    throw new DomainError('weak_password', `the password is too easy to guess${why}${hint}`);
  }
}
