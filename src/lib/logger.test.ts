import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, REDACTED } from './logger.ts';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { lines, logger: createLogger({ level: 'info', destination }) };
}

describe('logger redaction', () => {
  it('redacts credential keys in any casing and at depth', () => {
    const { lines, logger } = capture();
    logger.info(
      {
        Authorization: 'Bearer abc123',
        nested: { refreshToken: 'r-1', CLIENT_SECRET: 's-1', Password: 'p', list: [{ 'Private-Token': 'glpat-x' }] },
        harmless: 'visible',
      },
      'hello',
    );
    const line = lines.join('');
    for (const secret of ['abc123', 'r-1', 's-1', '"p"', 'glpat-x']) expect(line).not.toContain(secret);
    expect(line).toContain('visible');
    expect(line.split(REDACTED).length - 1).toBe(5);
  });

  it('masks credential query parameters inside URLs and messages', () => {
    const { lines, logger } = capture();
    logger.info({ url: '/oauth/callback?code=SECRETCODE&state=STATE1&x=1' }, 'GET /x?access_token=TOK9 done');
    const line = lines.join('');
    expect(line).not.toMatch(/SECRETCODE|STATE1|TOK9/);
    expect(line).toContain('x=1');
  });

  it('masks the token of an invitation link in request lines (issue #14)', () => {
    const { lines, logger } = capture();
    const token = 'Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0Z2FycGx5';
    logger.info(
      {
        req: Object.assign(Object.create({ kind: 'request' }), {
          method: 'GET',
          url: `/invitations/${token}`,
          ip: '127.0.0.1',
        }),
      },
      `GET /invitations/${token} 200 1 ms`,
    );
    const line = lines.join('');
    expect(line).not.toContain(token);
    expect(line).toContain(`/invitations/${REDACTED}`);
  });
});

describe('logger serializers', () => {
  it('serializes requests with their URL redacted and errors with their message redacted', () => {
    const { lines, logger } = capture();
    logger.info(
      {
        req: Object.assign(Object.create({ kind: 'request' }), {
          method: 'GET',
          url: '/cb?code=ABC&x=2',
          ip: '127.0.0.1',
        }),
      },
      'r',
    );
    logger.error({ err: new Error('refresh failed for /oauth/token?refresh_token=RT123') }, 'e');
    const [request, error] = lines.map((l) => JSON.parse(l));
    expect(request.req).toEqual({ method: 'GET', url: `/cb?code=${REDACTED}&x=2`, remoteAddress: '127.0.0.1' });
    expect(JSON.stringify(error)).not.toContain('RT123');
    expect(error.err.message).toContain('refresh failed');
  });
});
