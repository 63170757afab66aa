import { Badge, Group, Stack, Table, Text, Title } from '@mantine/core';
import { CodeBox } from './code-box.tsx';
import { MaskedText } from './masked-text.tsx';
import classes from './scans.module.css';

interface HttpMessageProps {
  /** 'Request', 'Response', or 'Request 2', 'Response 2' … for more pairs of the finding. */
  title: string;
  /** `GET /path HTTP/1.1` or `HTTP/1.1 200 OK`. */
  startLine: string;
  headers: [string, string][];
  body: string;
  headersTruncated: boolean;
  bodyTruncated: boolean;
  /** The API masked secrets here (`[masked: Authorization]`) and they are not revealed: mark them. */
  marks?: boolean;
}

export function TruncatedBadge() {
  return (
    <Badge component="span" size="xs" color="orange" variant="light" radius="sm" tt="none">
      truncated
    </Badge>
  );
}

/** An HTTP request or response as a reader wants it: start line, headers table, body box. */
export function HttpMessage({
  title,
  startLine,
  headers,
  body,
  headersTruncated,
  bodyTruncated,
  marks = false,
}: HttpMessageProps) {
  const empty = !startLine && headers.length === 0 && !body;
  return (
    <Stack gap={6} component="section" aria-label={title}>
      <Title order={3} size="h5">
        {title}
      </Title>
      {empty ? (
        <Text size="sm" c="dimmed">
          The report holds no {title.toLowerCase()} for this finding.
        </Text>
      ) : (
        <>
          {startLine && (
            <Text size="sm" ff="monospace" fw={600} className={classes.mono}>
              <MaskedText text={startLine} marks={marks} />
            </Text>
          )}
          {headers.length > 0 && (
            <Table.ScrollContainer minWidth={360}>
              <Table withTableBorder withColumnBorders verticalSpacing={4} fz="xs">
                <Table.Caption style={{ captionSide: 'top', textAlign: 'left', marginTop: 0 }}>
                  <Group gap={6} component="span">
                    {title} headers ({headers.length}){headersTruncated && <TruncatedBadge />}
                  </Group>
                </Table.Caption>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col" w="30%">
                      Name
                    </Table.Th>
                    <Table.Th scope="col">Value</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {headers.map(([name, value], index) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: headers repeat and never reorder
                    <Table.Tr key={index}>
                      <Table.Td ff="monospace" fw={600} className={classes.mono}>
                        {name}
                      </Table.Td>
                      <Table.Td ff="monospace" className={classes.mono}>
                        <MaskedText text={value} marks={marks} />
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
          {body && (
            <Stack gap={2}>
              <Group gap={6}>
                <Text size="xs" fw={600}>
                  {title} body ({body.length.toLocaleString('en-GB')} characters)
                </Text>
                {bodyTruncated && <TruncatedBadge />}
              </Group>
              <CodeBox text={body} label={`${title} body`} marks={marks} />
            </Stack>
          )}
        </>
      )}
    </Stack>
  );
}
