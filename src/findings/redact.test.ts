import { describe, expect, it } from 'vitest';
import { maskPlaceholder, MASK_PLACEHOLDER_PATTERN } from '../contracts/index.ts';
import { REDACTED, redactHeaders, redactText, redactUrl } from './index.ts';

const named = { replacement: maskPlaceholder };

describe('a named mask (what the API shows instead of a secret)', () => {
  it('names the header, parameter, key or kind of credential it replaced', () => {
    expect(
      redactHeaders(
        [
          ['Authorization', 'Bearer abc123def456'],
          ['Cookie', 'a=1; b=2'],
          ['X-Api-Key', 'k'],
        ],
        named,
      ),
    ).toEqual([
      ['Authorization', 'Bearer [masked: Authorization]'],
      ['Cookie', 'a=[masked: Cookie]; b=[masked: Cookie]'],
      ['X-Api-Key', '[masked: X-Api-Key]'],
    ]);
    expect(redactUrl('https://u:pw@e.example/x?access%5Ftoken=abc&page=2', named)).toBe(
      'https://u:[masked: password]@e.example/x?access%5Ftoken=[masked: access_token]&page=2',
    );
    expect(
      redactText(
        '{"password": "hunter2", "user": "a"} sent glpat-ABCDEFGHIJKLMNOPQRST and eyJhbGciOi.eyJzdWIiOi.sig',
        named,
      ),
    ).toBe('{"password": "[masked: password]", "user": "a"} sent [masked: GitLab token] and [masked: JWT]');
    expect(redactText('curl -H "Authorization: Token 0123456789abcdef"', named)).toBe(
      'curl -H "Authorization: Token [masked: Token]"',
    );
  });

  it('keeps a placeholder one line with no brackets from the scanner inside, and finds it again', () => {
    expect(maskPlaceholder('X-]Evil[\nName')).toBe('[masked: X-EvilName]');
    expect(maskPlaceholder('')).toBe('[masked]');
    expect('a [masked: Cookie] b [masked] c'.match(MASK_PLACEHOLDER_PATTERN)).toEqual(['[masked: Cookie]', '[masked]']);
  });

  it('leaves the default for GitLab as it was', () => {
    expect(redactHeaders([['Authorization', 'Bearer x']])).toEqual([['Authorization', `Bearer ${REDACTED}`]]);
    expect(redactText('token=abc')).toBe(`token=${REDACTED}`);
  });
});
