import { Button, EmptyState, Paper } from '@mantine/core';
import { Link } from 'react-router';
import { ScanIcon } from '../../components/icons.tsx';
import { PageHeader } from '../../components/page-header.tsx';

export function ScansPage() {
  return (
    <>
      <PageHeader
        title="Scans"
        description="Scan reports of your targets, with their vulnerabilities grouped by severity."
      />
      <Paper withBorder radius="md">
        <EmptyState
          py={48}
          icon={<ScanIcon size={28} />}
          variant="light"
          title="No scans yet"
          description="Scans arrive with the import feature, which is coming next. Create a target first: every scan report is filed under the target it tested."
        >
          <EmptyState.Actions>
            <Button component={Link} to="/targets" variant="light">
              Go to targets
            </Button>
          </EmptyState.Actions>
        </EmptyState>
      </Paper>
    </>
  );
}
