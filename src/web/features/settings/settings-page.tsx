import { Tabs } from '@mantine/core';
import { Navigate, useNavigate, useParams } from 'react-router';
import { isAdmin, useCurrentSession } from '../../api/session.ts';
import { PageHeader } from '../../components/page-header.tsx';
import { AuditPanel } from './audit-panel.tsx';
import { GitlabPanel } from './gitlab-panel.tsx';
import { JobsPanel } from './jobs-panel.tsx';
import { MembersPanel } from './members-panel.tsx';
import { SlaPanel } from './sla-panel.tsx';
import { TokensPanel } from './tokens-panel.tsx';

const tabs = [
  { value: 'members', label: 'Members', adminOnly: false },
  { value: 'tokens', label: 'API tokens', adminOnly: false },
  { value: 'gitlab', label: 'GitLab', adminOnly: false },
  { value: 'sla', label: 'SLA', adminOnly: false },
  { value: 'jobs', label: 'Jobs', adminOnly: true },
  { value: 'audit', label: 'Audit log', adminOnly: true },
] as const;

export function SettingsPage() {
  const { role } = useCurrentSession();
  const { tab } = useParams();
  const navigate = useNavigate();
  const visible = tabs.filter((item) => !item.adminOnly || isAdmin(role));
  if (!visible.some((item) => item.value === tab)) {
    return <Navigate to="/settings/members" replace />;
  }
  return (
    <>
      <PageHeader
        title="Settings"
        description="Who has access to your organization, the tokens your CI uses, GitLab instances, the remediation SLA, background jobs and the audit log."
      />
      <Tabs value={tab ?? 'members'} onChange={(value) => value && navigate(`/settings/${value}`)} keepMounted={false}>
        <Tabs.List mb="lg">
          {visible.map((item) => (
            <Tabs.Tab key={item.value} value={item.value}>
              {item.label}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        <Tabs.Panel value="members">
          <MembersPanel />
        </Tabs.Panel>
        <Tabs.Panel value="tokens">
          <TokensPanel />
        </Tabs.Panel>
        <Tabs.Panel value="gitlab">
          <GitlabPanel />
        </Tabs.Panel>
        <Tabs.Panel value="sla">
          <SlaPanel />
        </Tabs.Panel>
        {isAdmin(role) && (
          <Tabs.Panel value="jobs">
            <JobsPanel />
          </Tabs.Panel>
        )}
        {isAdmin(role) && (
          <Tabs.Panel value="audit">
            <AuditPanel />
          </Tabs.Panel>
        )}
      </Tabs>
    </>
  );
}
