import { Alert, Badge, Button, CopyButton, DataList, Group, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import type { FindingInfo, VulnerabilityInfo } from '../../../contracts/index.ts';
import { CodeBox } from './code-box.tsx';
import { HttpMessage, TruncatedBadge } from './http-message.tsx';
import { severityColors, severityLabels } from './severity.ts';
import classes from './scans.module.css';

const fieldLabels: Record<string, string> = {
  url: 'URL',
  parameter: 'parameter',
  attack: 'attack',
  evidence: 'evidence',
  otherInfo: 'other info',
  requestLine: 'request line',
  requestHeaders: 'request headers',
  requestBody: 'request body',
  responseStatusLine: 'response status line',
  responseHeaders: 'response headers',
  responseBody: 'response body',
};

interface FieldProps {
  label: string;
  value: string;
  truncated: boolean;
  /** Long values (evidence, other info) keep their line breaks in a scroll box. */
  block?: boolean;
  testId?: string;
}

function Field({ label, value, truncated, block, testId }: FieldProps) {
  let shown: ReactNode;
  if (!value) {
    shown = (
      <Text size="sm" c="dimmed">
        —
      </Text>
    );
  } else if (block) {
    shown = <CodeBox text={value} label={label} maxHeight={160} testId={testId} />;
  } else {
    shown = (
      <Text size="sm" className={classes.mono} data-testid={testId}>
        {value}
      </Text>
    );
  }
  return (
    <DataList.Item>
      <DataList.ItemLabel>
        <Group gap={4} component="span">
          {label}
          {truncated && <TruncatedBadge />}
        </Group>
      </DataList.ItemLabel>
      <DataList.ItemValue style={{ minWidth: 0, flex: 1 }}>{shown}</DataList.ItemValue>
    </DataList.Item>
  );
}

/** Everything about one finding: where, how, what was seen, and the request and response. */
export function FindingDetail({ finding, vulnerability }: { finding: FindingInfo; vulnerability: VulnerabilityInfo }) {
  const cut = new Set(finding.truncated);
  return (
    <Stack gap="md" data-testid="finding-detail">
      <Text fw={600} style={{ overflowWrap: 'anywhere' }}>
        {vulnerability.name}
      </Text>
      <Group gap={8} wrap="wrap">
        <Badge color={severityColors[vulnerability.severity]} variant="light" radius="sm">
          {severityLabels[vulnerability.severity]}
        </Badge>
        <CopyButton value={finding.publicId}>
          {({ copied, copy }) => (
            <Button size="compact-xs" variant="default" onClick={copy}>
              {copied ? 'Copied' : 'Copy public ID'}
            </Button>
          )}
        </CopyButton>
      </Group>
      {finding.truncated.length > 0 && (
        <Alert color="orange" variant="light" title="Some fields were truncated on import">
          <Text size="sm">
            The report’s {finding.truncated.map((field) => fieldLabels[field] ?? field).join(', ')}{' '}
            {finding.truncated.length === 1 ? 'was' : 'were'} larger than Vulnbridge keeps, so only the
            beginning is shown. The original report has the whole text.
          </Text>
        </Alert>
      )}
      <DataList size="sm" gap={6} labelWidth="110px" withDivider>
        <Field label="URL" value={finding.url} truncated={cut.has('url')} testId="finding-url" />
        <Field label="Method" value={finding.method} truncated={false} testId="finding-method" />
        <Field label="Parameter" value={finding.parameter} truncated={cut.has('parameter')} testId="finding-parameter" />
        <Field label="Attack / payload" value={finding.attack} truncated={cut.has('attack')} block testId="finding-attack" />
        <Field label="Evidence" value={finding.evidence} truncated={cut.has('evidence')} block testId="finding-evidence" />
        <Field label="Other info" value={finding.otherInfo} truncated={cut.has('otherInfo')} block />
        <Field label="Site" value={finding.site} truncated={false} />
      </DataList>
      <HttpMessage
        title="Request"
        startLine={finding.requestLine}
        headers={finding.requestHeaders}
        body={finding.requestBody}
        headersTruncated={cut.has('requestHeaders')}
        bodyTruncated={cut.has('requestBody')}
      />
      <HttpMessage
        title="Response"
        startLine={finding.responseStatusLine}
        headers={finding.responseHeaders}
        body={finding.responseBody}
        headersTruncated={cut.has('responseHeaders')}
        bodyTruncated={cut.has('responseBody')}
      />
      <Text size="xs" c="dimmed" ff="monospace" className={classes.mono}>
        Fingerprint {finding.fingerprint}
      </Text>
    </Stack>
  );
}
