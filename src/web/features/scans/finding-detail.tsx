import { Alert, Badge, Button, CopyButton, DataList, Group, Stack, Text } from '@mantine/core';
import { type ReactNode, useState } from 'react';
import type { FindingView, VulnerabilityInfo } from '../../../contracts/index.ts';
import { canWrite, useCurrentSession } from '../../api/session.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { CodeBox } from './code-box.tsx';
import { HttpMessage, TruncatedBadge } from './http-message.tsx';
import { MaskedText } from './masked-text.tsx';
import { severityColors, severityLabels } from './severity.ts';
import classes from './scans.module.css';
import { useRevealFinding } from './use-scans.ts';

const fieldLabels: Record<string, string> = {
  url: 'URL',
  site: 'site',
  method: 'method',
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
  additionalExchanges: 'further requests and responses',
};

interface FieldProps {
  label: string;
  value: string;
  truncated: boolean;
  /** Long values (evidence, other info) keep their line breaks in a scroll box. */
  block?: boolean;
  testId?: string;
  /** The field holds secrets: `masked` (placeholders shown) or `revealed` (the values as stored). */
  secret?: 'masked' | 'revealed' | null;
}

function SecretBadge({ state }: { state: 'masked' | 'revealed' }) {
  return (
    <Badge component="span" size="xs" color={state === 'masked' ? 'gray' : 'red'} variant="light" radius="sm" tt="none">
      {state === 'masked' ? 'secrets masked' : 'secrets shown'}
    </Badge>
  );
}

function Field({ label, value, truncated, block, testId, secret = null }: FieldProps) {
  const marks = secret === 'masked';
  let shown: ReactNode;
  if (!value) {
    shown = (
      <Text size="sm" c="dimmed">
        —
      </Text>
    );
  } else if (block) {
    shown = <CodeBox text={value} label={label} maxHeight={160} testId={testId} marks={marks} />;
  } else {
    shown = (
      <Text size="sm" className={classes.mono} data-testid={testId}>
        <MaskedText text={value} marks={marks} />
      </Text>
    );
  }
  return (
    <DataList.Item>
      <DataList.ItemLabel>
        <Group gap={4} component="span">
          {label}
          {truncated && <TruncatedBadge />}
          {secret && <SecretBadge state={secret} />}
        </Group>
      </DataList.ItemLabel>
      <DataList.ItemValue style={{ minWidth: 0, flex: 1 }}>{shown}</DataList.ItemValue>
    </DataList.Item>
  );
}

interface SecretsNoticeProps {
  finding: FindingView;
  canReveal: boolean;
  revealing: boolean;
  onReveal: () => void;
  onHide: () => void;
}

/** Says which fields hold masked secrets, with "Reveal secrets" for Contributors and above. */
function SecretsNotice({ finding, canReveal, revealing, onReveal, onHide }: SecretsNoticeProps) {
  const fields = finding.masked.map((field) => fieldLabels[field] ?? field).join(', ');
  if (finding.revealed) {
    return (
      <Alert color="red" variant="light" title="Secrets shown as the scanner wrote them" data-testid="secrets-notice">
        <Stack gap={6} align="flex-start">
          <Text size="sm">
            The {fields} {finding.masked.length === 1 ? 'holds' : 'hold'} credentials. Your reveal was recorded in the
            audit log.
          </Text>
          <Button size="compact-sm" variant="default" onClick={onHide}>
            Mask secrets again
          </Button>
        </Stack>
      </Alert>
    );
  }
  return (
    <Alert color="gray" variant="light" title="Secrets masked" data-testid="secrets-notice">
      <Stack gap={6} align="flex-start">
        <Text size="sm">
          Credentials in the {fields} are shown as <span className={classes.masked}>[masked: …]</span>, as in GitLab
          issues. Vulnbridge keeps them as the scanner wrote them.
        </Text>
        {canReveal ? (
          <Button size="compact-sm" variant="light" color="red" onClick={onReveal} loading={revealing}>
            Reveal secrets
          </Button>
        ) : (
          <Text size="xs" c="dimmed">
            A Contributor or above can reveal them.
          </Text>
        )}
      </Stack>
    </Alert>
  );
}

/** Everything about one finding: where, how, what was seen, and the request and response. */
export function FindingDetail({
  finding: listed,
  vulnerability,
}: {
  finding: FindingView;
  vulnerability: VulnerabilityInfo;
}) {
  const { role } = useCurrentSession();
  const reveal = useRevealFinding();
  // The revealed finding lives only here: closing the finding (or opening another) forgets it.
  const [revealed, setRevealed] = useState<FindingView | null>(null);
  const finding = revealed?.id === listed.id ? revealed : listed;
  const cut = new Set(finding.truncated);
  const holdsSecret = new Set(finding.masked);
  const secret = (field: string) => (holdsSecret.has(field) ? (finding.revealed ? 'revealed' : 'masked') : null);
  const marks = !finding.revealed && finding.masked.length > 0;
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
            {finding.truncated.length === 1 ? 'was' : 'were'} larger than Vulnbridge keeps, so only the beginning is
            shown. The original report has the whole text.
          </Text>
        </Alert>
      )}
      {finding.masked.length > 0 && (
        <SecretsNotice
          finding={finding}
          canReveal={canWrite(role)}
          revealing={reveal.isPending}
          onReveal={() =>
            reveal.mutate(
              { scanId: finding.scanId, findingId: finding.id },
              { onSuccess: (shown) => setRevealed(shown) },
            )
          }
          onHide={() => {
            setRevealed(null);
            reveal.reset();
          }}
        />
      )}
      {reveal.isError && <ErrorAlert error={reveal.error} action="reveal the secrets" />}
      <DataList size="sm" gap={6} labelWidth="110px" withDivider>
        <Field label="URL" value={finding.url} truncated={cut.has('url')} testId="finding-url" secret={secret('url')} />
        <Field
          label="Method"
          value={finding.method}
          truncated={false}
          testId="finding-method"
          secret={secret('method')}
        />
        <Field
          label="Parameter"
          value={finding.parameter}
          truncated={cut.has('parameter')}
          testId="finding-parameter"
          secret={secret('parameter')}
        />
        <Field
          label="Attack / payload"
          value={finding.attack}
          truncated={cut.has('attack')}
          block
          testId="finding-attack"
          secret={secret('attack')}
        />
        <Field
          label="Evidence"
          value={finding.evidence}
          truncated={cut.has('evidence')}
          block
          testId="finding-evidence"
          secret={secret('evidence')}
        />
        <Field
          label="Other info"
          value={finding.otherInfo}
          truncated={cut.has('otherInfo')}
          block
          testId="finding-other-info"
          secret={secret('otherInfo')}
        />
        <Field label="Site" value={finding.site} truncated={false} secret={secret('site')} />
      </DataList>
      <HttpMessage
        title="Request"
        startLine={finding.requestLine}
        headers={finding.requestHeaders}
        body={finding.requestBody}
        headersTruncated={cut.has('requestHeaders')}
        bodyTruncated={cut.has('requestBody')}
        marks={marks}
      />
      <HttpMessage
        title="Response"
        startLine={finding.responseStatusLine}
        headers={finding.responseHeaders}
        body={finding.responseBody}
        headersTruncated={cut.has('responseHeaders')}
        bodyTruncated={cut.has('responseBody')}
        marks={marks}
      />
      {finding.additionalExchanges.map((x, i) => (
        // More request/response pairs the scanner gave for this finding (a Burp issue may carry several).
        // biome-ignore lint/suspicious/noArrayIndexKey: the pairs are fixed and in report order
        <Stack key={i} gap="xs" data-testid="finding-more-exchange">
          <HttpMessage
            title={`Request ${i + 2}`}
            startLine={x.requestLine}
            headers={x.requestHeaders}
            body={x.requestBody}
            headersTruncated={false}
            bodyTruncated={false}
            marks={marks}
          />
          <HttpMessage
            title={`Response ${i + 2}`}
            startLine={x.responseStatusLine}
            headers={x.responseHeaders}
            body={x.responseBody}
            headersTruncated={false}
            bodyTruncated={false}
            marks={marks}
          />
        </Stack>
      ))}
      <Text size="xs" c="dimmed" ff="monospace" className={classes.mono}>
        Fingerprint {finding.fingerprint}
      </Text>
    </Stack>
  );
}
