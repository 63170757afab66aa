// Upload a report to a target: multipart, the file streamed to a temporary file (never held whole in
// memory by the HTTP layer), size-limited by MAX_REPORT_BYTES, imported atomically, then removed.
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { z } from 'zod';
import { idParam, importSummarySchema, sitesModeSchema } from '../../../contracts/index.ts';
import { isReportFormat, REPORT_FORMATS } from '../../../findings/index.ts';
import { DomainError } from '../../../lib/index.ts';
import { getTarget } from '../../../services/index.ts';
import { importReport } from '../../../imports/index.ts';
import { principalOf } from '../../auth/access.ts';
import type { RouteModule } from '../../context.ts';

export const uploadScanRoute: RouteModule = (app, { db, env }) => {
  app.post(
    '/api/targets/:targetId/scans',
    {
      config: { access: 'contributor' },
      schema: {
        tags: ['scans'],
        summary: `Upload a scan report (multipart field "file"; optional fields "format" (${REPORT_FORMATS.join(', ')}) and "sites": for a report with findings on several sites, "target" (default: only the target's site; the others are counted in leftOut), "all" (every finding into this target) or "split" (one scan per site; "splitSites"=true says the same))`,
        consumes: ['multipart/form-data'],
        params: z.object({ targetId: idParam }),
        response: { 201: z.object({ imports: z.array(importSummarySchema) }) },
      },
    },
    async (request, reply) => {
      const p = principalOf(request);
      await getTarget(db.kysely, p.organizationId, request.params.targetId);
      if (!request.isMultipart())
        throw new DomainError('invalid_request', 'send the report as multipart/form-data with a "file" field');
      const dir = await mkdtemp(join(tmpdir(), 'vb-upload-'));
      try {
        const fields: Record<string, string> = {};
        let path: string | null = null;
        let name = 'report';
        try {
          for await (const part of request.parts()) {
            if (part.type === 'file') {
              if (part.fieldname !== 'file' || path) {
                part.file.resume();
                continue;
              }
              name = part.filename || 'report';
              path = join(dir, 'report');
              await pipeline(part.file, createWriteStream(path));
              if (part.file.truncated)
                throw new DomainError(
                  'payload_too_large',
                  `the report is larger than the limit of ${env.MAX_REPORT_BYTES} bytes (MAX_REPORT_BYTES)`,
                );
            } else if (typeof part.value === 'string') {
              fields[part.fieldname] = part.value;
            }
          }
        } catch (error) {
          // The multipart limits (app.ts) say "413 reach files limit"; say what to do instead.
          const code = (error as { code?: string }).code;
          if (code === 'FST_FILES_LIMIT')
            throw new DomainError(
              'invalid_request',
              'send one report file per upload: this request holds more than one file',
            );
          if (code === 'FST_FIELDS_LIMIT' || code === 'FST_PARTS_LIMIT')
            throw new DomainError(
              'invalid_request',
              'too many form fields: send "file" and, optionally, "format" and "sites"',
            );
          throw error;
        }
        if (!path) throw new DomainError('invalid_request', 'no "file" field in the upload');
        const format = fields.format || undefined;
        if (format !== undefined && !isReportFormat(format))
          throw new DomainError('invalid_request', `format must be one of ${REPORT_FORMATS.join(', ')}`);
        const sites = sitesModeSchema.safeParse(fields.sites || (fields.splitSites === 'true' ? 'split' : 'target'));
        if (!sites.success) throw new DomainError('invalid_request', 'sites must be one of target, all, split');
        const imports = await importReport(db, {
          organizationId: p.organizationId,
          actorUserId: p.userId,
          target: { id: request.params.targetId },
          file: { path, name },
          ...(format && isReportFormat(format) ? { format } : {}),
          sites: sites.data,
        });
        return reply.status(201).send({ imports });
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  );
};
