import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type ParseOptions, parseReport, ReportError } from './index.ts';
import { REPORT_FIXTURES } from './testing.ts';

const fixture = (name: string) => readFileSync(fileURLToPath(new URL(name, REPORT_FIXTURES)));

async function refusal(input: string | Buffer, options?: ParseOptions): Promise<ReportError> {
  try {
    await parseReport(input, options);
  } catch (e) {
    expect(e).toBeInstanceOf(ReportError);
    return e as ReportError;
  }
  throw new Error('expected the report to be refused');
}

const zapJson = (alerts: string) =>
  `{"@version":"2.15.0","@generated":"Wed, 3 Dec 2025 12:46:55","site":[{"@name":"http://a","@host":"a","@port":"80","@ssl":"false","alerts":[${alerts}]}]}`;
const alert = (extra = '') =>
  `{"pluginid":"1","alertRef":"1","alert":"A","riskcode":"2","confidence":"2","desc":"<p>d</p>"${extra},"instances":[{"uri":"http://a/x","method":"GET"}]}`;

describe('bad input is refused whole with format, position and reason', () => {
  it('refuses a truncated ZAP JSON report, naming the end of the file', async () => {
    const full = fixture('zap-anubissbe-1.json');
    const err = await refusal(full.subarray(0, 40_000), { format: 'zap-json' });
    expect(err.format).toBe('zap-json');
    expect(err.reason).toMatch(/unexpected end|unterminated|truncated/);
    expect(err.position.line).toBeGreaterThan(1);
    expect(err.message).toMatch(/^zap-json report rejected \(line \d+/);
  });

  it('gives line and column of a syntax error inside an instance', async () => {
    const text = zapJson(alert()).replace('"method":"GET"', '"method":GET');
    const err = await refusal(text);
    expect(err.position).toMatchObject({ line: 1, path: '$.site[0].alerts[0]' });
    expect(text.slice((err.position.column ?? 0) - 1).startsWith('GET')).toBe(true);
    expect(err.reason).toMatch(/unexpected character "G"/);
  });

  it('gives the line of a syntax error outside the alerts (multi-line file)', async () => {
    const err = await refusal(
      `{\n"@version": "2.15.0",\n"site": [ {"@name": "x", "alerts": [] } ],\n"@generated": oops\n}`,
      { format: 'zap-json' },
    );
    expect(err.position).toMatchObject({ line: 4, column: 15 });
  });

  it('names the JSON path of a missing required field', async () => {
    const err = await refusal(zapJson(`${alert()},{"alert":"B","riskcode":"1","instances":[]}`));
    expect(err.reason).toMatch(/required field "pluginid"/);
    expect(err.position.path).toBe('$.site[0].alerts[1].pluginid');
    const noUri = await refusal(zapJson(alert().replace('"uri":"http://a/x",', '')));
    expect(noUri.position.path).toBe('$.site[0].alerts[0].instances[0].uri');
  });

  it('refuses the wrong format when one is forced', async () => {
    const err = await refusal(fixture('nuclei-defectdojo-2.json'), { format: 'zap-json' });
    expect(err.format).toBe('zap-json');
    const xml = await refusal(fixture('burp-defectdojo-1.xml'), { format: 'zap-xml' });
    expect(xml.reason).toMatch(/DOCTYPE/);
    const sarif = await refusal(fixture('zap-anubissbe-1.json'), { format: 'sarif' });
    expect(sarif.reason).toMatch(/runs/);
  });

  it('refuses unrecognised content when detecting', async () => {
    expect((await refusal('hello')).format).toBe('unknown');
    expect((await refusal('{"a":1}')).reason).toMatch(/unrecognised/);
    expect((await refusal('<html><body/></html>')).reason).toMatch(/root element <html>/);
  });

  it('refuses XML with entities or an external DTD, never resolving them (XXE)', async () => {
    const xxe = `<?xml version="1.0"?><!DOCTYPE OWASPZAPReport [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><OWASPZAPReport version="1"><site name="&xxe;"/></OWASPZAPReport>`;
    const err = await refusal(xxe);
    expect(err.format).toBe('zap-xml');
    expect(err.reason).toMatch(/DOCTYPE/);
    expect(err.message).not.toContain('root:');
    const burpEntity = `<?xml version="1.0"?><!DOCTYPE issues [<!ENTITY a "aaaaaaaa"><!ENTITY b "&a;&a;&a;">]><issues burpVersion="1"><issue><type>1</type><name>&b;</name></issue></issues>`;
    expect((await refusal(burpEntity)).reason).toMatch(/declares entities/);
    const external = `<?xml version="1.0"?><!DOCTYPE issues SYSTEM "http://evil.example/x.dtd"><issues burpVersion="1"/>`;
    expect((await refusal(external)).reason).toMatch(/external DTD/);
    const undefinedEntity = `<OWASPZAPReport version="1"><site name="&nope;"/></OWASPZAPReport>`;
    expect((await refusal(undefinedEntity)).reason).toMatch(/entity/i);
  });

  it('refuses invalid UTF-8 and UTF-16, with the position of the bad byte', async () => {
    const bytes = Buffer.concat([
      Buffer.from('{"@version":"1",\n"site":[{"@name":"'),
      Buffer.from([0xc3, 0x28]),
      Buffer.from('"}]}'),
    ]);
    const err = await refusal(bytes);
    expect(err.reason).toMatch(/invalid UTF-8 \(byte 0xc3/);
    expect(err.position).toEqual({ line: 2, column: 19 });
    // The error names the format the file looks like, though none was given.
    expect(err.format).toBe('zap-json');
    const nuclei = Buffer.concat([
      Buffer.from('{"template-id":"t","matched-at":"'),
      Buffer.from([0xff]),
      Buffer.from('"}\n'),
    ]);
    expect((await refusal(nuclei)).format).toBe('nuclei-jsonl');
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('{}', 'utf16le')]);
    expect((await refusal(utf16)).reason).toMatch(/UTF-16/);
  });

  it('refuses bad options', async () => {
    expect((await refusal('{}', { format: 'pdf' as never })).reason).toMatch(/unknown format/);
    expect((await refusal('{}', { maxFieldBytes: 10 })).reason).toMatch(/maxFieldBytes/);
    await expect(parseReport({ path: '/nonexistent/report.json' })).rejects.toBeInstanceOf(ReportError);
  });
});

describe('valid edge cases', () => {
  it('accepts an empty ZAP JSON report (no alerts) and a UTF-8 BOM', async () => {
    const r = await parseReport(`\uFEFF${zapJson('')}`);
    expect(r).toMatchObject({ format: 'zap-json', vulnerabilities: [], sites: [{ name: 'http://a' }] });
  });

  it('caps a field of many megabytes and marks it truncated', async () => {
    const big = 'A'.repeat(5 * 1024 * 1024);
    const r = await parseReport(zapJson(alert().replace('"method":"GET"', `"method":"GET","evidence":"${big}"`)), {
      maxFieldBytes: 64 * 1024,
    });
    const f = r.vulnerabilities[0]?.findings[0];
    expect(f?.truncated).toEqual(['evidence']);
    expect(Buffer.byteLength(f?.evidence ?? '')).toBeLessThan(64 * 1024 + 200);
    expect(f?.evidence).toMatch(/…\[truncated by Vulnbridge: 5242880 bytes in the report, 65536 kept\]$/);
  });

  it('marks a huge HTML description as cut, with its size in the report, even when its text would fit', async () => {
    // 800,000 bytes of HTML whose text is 100,000 bytes: over twice the 64 KiB cap, so only its head is read.
    const html = '<b>a</b>'.repeat(100_000);
    const r = await parseReport(zapJson(alert().replace('"desc":"<p>d</p>"', `"desc":"${html}"`)), {
      maxFieldBytes: 64 * 1024,
    });
    const description = r.vulnerabilities[0]?.description ?? '';
    // Only the head (twice the cap, 131,072 characters: 16,384 tags' text) is read, and the cut is marked.
    expect(description).toMatch(/^a{16384}\n…\[truncated by Vulnbridge: 800000 bytes in the report, 16384 kept\]$/);
    const small = '<b>a</b>'.repeat(1_000);
    const fits = await parseReport(zapJson(alert().replace('"desc":"<p>d</p>"', `"desc":"${small}"`)), {
      maxFieldBytes: 64 * 1024,
    });
    expect(fits.vulnerabilities[0]?.description).toBe('a'.repeat(1_000));
  });

  it('turns NUL and lone surrogates into U+FFFD so any database can store the text', async () => {
    const r = await parseReport(
      zapJson(alert().replace('"method":"GET"', '"method":"GET","evidence":"a\\u0000b\\ud800c"')),
    );
    expect(r.vulnerabilities[0]?.findings[0]?.evidence).toBe('a\uFFFDb\uFFFDc');
  });

  it('keeps scanner HTML out of descriptions but leaves payloads verbatim', async () => {
    const r = await parseReport(
      zapJson(
        alert().replace(
          '"desc":"<p>d</p>"',
          '"desc":"<p>One &amp; two</p><script>alert(1)</script><ul><li>x</li></ul>"',
        ),
      ),
    );
    expect(r.vulnerabilities[0]?.description).toBe('One & two\n\n- x');
  });
});
