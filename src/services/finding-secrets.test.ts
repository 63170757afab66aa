import { describe, expect, it } from 'vitest';
import type { FindingInfo } from '../contracts/index.ts';
import { maskFinding, maskOptions, revealFinding } from './finding-secrets.ts';

const exchange = (cookie: string) => ({
  requestLine: 'GET /a HTTP/1.1',
  requestHeaders: [['Cookie', `sid=${cookie}`]] as [string, string][],
  requestBody: '',
  responseStatusLine: 'HTTP/1.1 200 OK',
  responseHeaders: [] as [string, string][],
  responseBody: '',
});

const base: FindingInfo = {
  id: 'f1',
  scanId: 's1',
  vulnerabilityId: 'v1',
  publicId: 'VB-ABCDEF123456',
  fingerprint: 'x',
  site: 'https://e.example',
  url: 'https://e.example/a',
  method: 'GET',
  parameter: 'q',
  attack: '<script>',
  evidence: '<script>',
  otherInfo: '',
  requestLine: 'GET /a HTTP/1.1',
  requestHeaders: [['Accept', '*/*']],
  requestBody: '',
  responseStatusLine: 'HTTP/1.1 200 OK',
  responseHeaders: [],
  responseBody: '',
  additionalExchanges: [],
  truncated: [],
};

describe('maskFinding', () => {
  it('leaves a finding without secrets as it is, masked: []', () => {
    expect(maskFinding(base, maskOptions(''))).toEqual({ ...base, masked: [], revealed: false });
  });

  it('masks the further request/response pairs too', () => {
    const finding = {
      ...base,
      additionalExchanges: [
        exchange('first-secret-cookie'),
        { ...exchange(''), requestHeaders: [] as [string, string][] },
      ],
    };
    const view = maskFinding(finding, maskOptions(''));
    expect(view.masked).toEqual(['additionalExchanges']);
    expect(view.additionalExchanges[0]?.requestHeaders).toEqual([['Cookie', 'sid=[masked: Cookie]']]);
    expect(view.additionalExchanges[1]).toEqual(finding.additionalExchanges[1]);
    expect(JSON.stringify(view)).not.toContain('first-secret-cookie');
    expect(revealFinding(finding, maskOptions(''))).toEqual({
      ...finding,
      masked: ['additionalExchanges'],
      revealed: true,
    });
  });

  it("masks the operator's extra names (REDACT_EXTRA_NAMES)", () => {
    const finding = { ...base, requestHeaders: [['X-Tenant', 'acme-7']] as [string, string][] };
    expect(maskFinding(finding, maskOptions('')).masked).toEqual([]);
    expect(maskFinding(finding, maskOptions(' x-tenant , other ')).requestHeaders).toEqual([
      ['X-Tenant', '[masked: X-Tenant]'],
    ]);
  });
});
