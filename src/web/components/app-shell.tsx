import { AppShell, Badge, Burger, Group, NavLink, Text, VisuallyHidden } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import type { ReactNode } from 'react';
import { Link, Outlet, useLocation } from 'react-router';
import { useLiveEvents } from '../api/live-events.ts';
import { useCurrentSession } from '../api/session.ts';
import { ScanIcon, SettingsIcon, ShieldIcon, TargetIcon } from './icons.tsx';
import { UserMenu } from './user-menu.tsx';
import classes from './app-shell.module.css';

const links: { to: string; label: string; icon: ReactNode }[] = [
  { to: '/targets', label: 'Targets', icon: <TargetIcon /> },
  { to: '/scans', label: 'Scans', icon: <ScanIcon /> },
  { to: '/settings', label: 'Settings', icon: <SettingsIcon /> },
];

/** The signed-in frame: header (product, organization, user menu), navigation, and the page. */
export function Shell() {
  const session = useCurrentSession();
  // One stream per session: a switch of organization is a new session, so a new stream.
  useLiveEvents(session.csrfToken);
  const [opened, { toggle, close }] = useDisclosure(false);
  const { pathname } = useLocation();
  return (
    <AppShell
      header={{ height: 60 }}
      navbar={{ width: 240, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding="xl"
    >
      <a href="#main" className={classes.skipLink}>
        Skip to content
      </a>
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger
              opened={opened}
              onClick={toggle}
              hiddenFrom="sm"
              size="sm"
              aria-label={opened ? 'Close navigation' : 'Open navigation'}
            />
            <Link to="/targets" className={classes.brand} aria-label="Vulnbridge, home">
              <ShieldIcon size={24} />
              <Text component="span" fw={700} size="lg">
                Vulnbridge
              </Text>
            </Link>
            <Badge variant="light" color="gray" size="lg" radius="sm" tt="none" visibleFrom="xs">
              <VisuallyHidden>Organization: </VisuallyHidden>
              {session.organization.name}
            </Badge>
          </Group>
          <UserMenu />
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="sm" aria-label="Main">
        {links.map((link) => {
          const active = pathname === link.to || pathname.startsWith(`${link.to}/`);
          return (
            <NavLink
              key={link.to}
              component={Link}
              to={link.to}
              label={link.label}
              leftSection={link.icon}
              active={active}
              aria-current={active ? 'page' : undefined}
              onClick={close}
              className={classes.navLink}
            />
          );
        })}
      </AppShell.Navbar>
      <AppShell.Main id="main" tabIndex={-1} className={classes.main}>
        <div className={classes.content}>
          <Outlet />
        </div>
      </AppShell.Main>
    </AppShell>
  );
}
