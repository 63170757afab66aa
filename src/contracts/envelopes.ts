// Response envelopes of the HTTP API: the item schemas live in the other contract files; these wrap them
// the way the routes answer. Shared by the routes and the web app.
import { z } from 'zod';
import { apiTokenSchema, memberSchema } from './auth.ts';
import { gitlabConnectionSchema, gitlabInstanceSchema, projectLinkSchema } from './gitlab.ts';
import { jobSchema } from './jobs.ts';
import { findingViewSchema, importSummarySchema, scanSchema } from './scans.ts';
import { targetSchema } from './targets.ts';
import { createdIssueSchema, pushSummarySchema } from './tracking.ts';

export const healthSchema = z.object({
  status: z.literal('ok'),
  database: z.enum(['sqlite', 'postgres']),
});

export const targetListSchema = z.object({ targets: z.array(targetSchema) });
export const targetEnvelopeSchema = z.object({ target: targetSchema });

export const memberListSchema = z.object({ members: z.array(memberSchema) });
export const memberEnvelopeSchema = z.object({ member: memberSchema });

export const apiTokenListSchema = z.object({ tokens: z.array(apiTokenSchema) });
export const createdApiTokenSchema = z.object({ token: apiTokenSchema, secret: z.string() });

export const jobListSchema = z.object({ jobs: z.array(jobSchema) });

export const scanListSchema = z.object({ scans: z.array(scanSchema) });
export const importResultSchema = z.object({ imports: z.array(importSummarySchema) });
export const findingPageSchema = z.object({
  findings: z.array(findingViewSchema),
  total: z.number(),
  offset: z.number(),
  limit: z.number(),
});

export const gitlabInstanceListSchema = z.object({ instances: z.array(gitlabInstanceSchema) });
export const gitlabInstanceEnvelopeSchema = z.object({ instance: gitlabInstanceSchema });
export const gitlabConnectionEnvelopeSchema = z.object({ connection: gitlabConnectionSchema });
export const gitlabAuthorizeSchema = z.object({ authorizeUrl: z.string() });
export const projectLinkEnvelopeSchema = z.object({ link: projectLinkSchema.nullable() });

export const pushListSchema = z.object({ pushes: z.array(pushSummarySchema) });
export const createdIssueListSchema = z.object({ issues: z.array(createdIssueSchema) });
export const refreshIssuesResultSchema = z.object({
  refreshed: z.number(),
  calls: z.number(),
  missing: z.number(),
  issues: z.array(createdIssueSchema),
});
