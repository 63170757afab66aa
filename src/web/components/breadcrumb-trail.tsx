import { Anchor, Breadcrumbs, Text } from '@mantine/core';
import { Link } from 'react-router';

export interface Crumb {
  label: string;
  to: string;
}

interface BreadcrumbTrailProps {
  /** The pages above this one, outermost first; `null` leaves one out (e.g. while it loads). */
  links: (Crumb | null)[];
  /** This page's name, marked as the current page. */
  current: string;
}

/** The "back" links above a page title: Targets › Customer portal › GitLab integration. */
export function BreadcrumbTrail({ links, current }: BreadcrumbTrailProps) {
  return (
    <nav aria-label="Breadcrumb">
      <Breadcrumbs mb="xs">
        {links.map(
          (link) =>
            link && (
              <Anchor key={link.to} component={Link} to={link.to} size="sm">
                {link.label}
              </Anchor>
            ),
        )}
        <Text size="sm" aria-current="page">
          {current}
        </Text>
      </Breadcrumbs>
    </nav>
  );
}
