import { describe, expect, it } from 'vitest';
import { DomainError } from '../lib/index.ts';
import { assertStrongPassword } from './password-policy.ts';

const ann = { email: 'ann.smith@example.com', name: 'Ann Smith' };

function reason(password: string, context: { email: string; name?: string } = ann): string | null {
  try {
    assertStrongPassword(password, context);
    return null;
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('weak_password');
    return (error as DomainError).message;
  }
}

describe('assertStrongPassword', () => {
  it('refuses fewer than 12 characters', () => {
    expect(reason('Xq7#pLm2!zR')).toBe('the password must be at least 12 characters');
  });

  it('refuses the e-mail address, its local part and passwords containing them', () => {
    expect(reason('ann.smith@example.com')).toBe('the password contains your e-mail address');
    expect(reason('AnnSmith-2024-rules')).toBe('the password contains your e-mail address');
    expect(reason('my ann.smith@example.com!')).toBe('the password contains your e-mail address');
    expect(reason('zzzdemozzz zzz', { email: 'demo@vulnbridge.test' })).toBe(
      'the password contains your e-mail address',
    );
  });

  it('refuses the name and passwords containing it', () => {
    const bob = { email: 'b@example.com', name: 'Roberta Quenneville' };
    expect(reason('Roberta Quenneville', bob)).toBe('the password contains your name');
    expect(reason('quenneville rocks 99', bob)).toBe('the password contains your name');
  });

  it('refuses the commonest passwords, saying so', () => {
    expect(reason('123456789012')).toBe('the password is one of the most common passwords');
    expect(reason('qwertyuiopasdfgh')).not.toBeNull();
  });

  it("refuses guessable passwords with zxcvbn's warning", () => {
    const message = reason('password1234');
    expect(message).toMatch(/^the password is too easy to guess: this is similar to a commonly used password/);
    expect(reason('aaaaaaaaaaaaaaaa')).toMatch(/^the password is too easy to guess: /);
  });

  it('accepts long passphrases and random passwords', () => {
    expect(reason('correct horse battery staple')).toBeNull();
    expect(reason('Xq7#pLm2!zR9w')).toBeNull();
    expect(reason('quiet river under copper hills')).toBeNull();
  });

  it('ignores one- and two-letter e-mail local parts and names', () => {
    expect(reason('an angry otter sings', { email: 'an@example.com', name: 'Jo' })).toBeNull();
  });
});
