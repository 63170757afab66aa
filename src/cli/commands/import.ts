import { stat } from 'node:fs/promises';
import type { Command } from 'commander';
import { isReportFormat, REPORT_FORMATS } from '../../findings/index.ts';
import { DomainError } from '../../lib/index.ts';
import { importReport } from '../../imports/index.ts';
import { PROGRESS_MIN_BYTES, type ProgressBar, progressBar } from '../import-progress.ts';
import { resolveOrganization } from '../organization.ts';
import { openRuntime } from '../runtime.ts';

export function register(program: Command): void {
  program
    .command('import <file>')
    .description('import a scan report (ZAP JSON/XML, Nuclei, SARIF, GitLab DAST, Burp XML, Wapiti JSON)')
    .requiredOption('--target <base-url-or-id>', 'the target: its id, or its base URL (created when new)')
    .option('--format <format>', `skip detection: ${REPORT_FORMATS.join(', ')}`)
    .option('--split-sites', 'a report with findings on several sites becomes one scan per site’s target')
    .option(
      '--all-sites',
      'a report with findings on several sites is imported whole into the target (by default only the target’s site is, and the rest is counted as left out)',
    )
    .option('--organization-id <id>', 'the organization (default: the only one)')
    .option('--json', 'print one JSON object with the counts (and no progress)')
    .option(
      '--progress',
      'show the progress bar even when stderr is not a terminal (it is shown on a terminal for files of 1 MiB and more)',
    )
    .action(
      async (
        file: string,
        options: {
          target: string;
          format?: string;
          splitSites?: boolean;
          allSites?: boolean;
          organizationId?: string;
          json?: boolean;
          progress?: boolean;
        },
      ) => {
        if (options.format !== undefined && !isReportFormat(options.format))
          throw new Error(`--format must be one of ${REPORT_FORMATS.join(', ')}`);
        if (options.splitSites && options.allSites)
          throw new Error(
            '--split-sites and --all-sites exclude each other: choose one scan per site, or all findings into the target',
          );
        const size = (await stat(file)).size;
        const runtime = await openRuntime({ generateKey: true, quiet: true, existingDatabase: true });
        let bar: ProgressBar | null = null;
        const say = (line: string) => {
          if (!options.json) process.stderr.write(`${line}\n`);
        };
        try {
          const organizationId = await resolveOrganization(runtime.db, options.organizationId);
          const target = /^https?:\/\//i.test(options.target) ? { url: options.target } : { id: options.target };
          const started = performance.now();
          say(`importing ${file} (${(size / 1_048_576).toFixed(1)} MiB)…`);
          const showBar =
            !options.json && (options.progress === true || (process.stderr.isTTY && size >= PROGRESS_MIN_BYTES));
          bar = showBar ? progressBar(process.stderr, !process.stderr.isTTY) : null;
          const results = await importReport(runtime.db, {
            ...(bar ? { onProgress: bar.update } : {}),
            organizationId,
            actorUserId: null,
            target,
            file: { path: file },
            ...(options.format && isReportFormat(options.format) ? { format: options.format } : {}),
            ...(options.splitSites ? { sites: 'split' as const } : options.allSites ? { sites: 'all' as const } : {}),
          });
          bar?.stop();
          if (options.json) {
            process.stdout.write(`${JSON.stringify(results.length === 1 ? results[0] : results)}\n`);
          } else {
            for (const r of results) {
              process.stdout.write(
                r.empty
                  ? `scan ${r.scanId} of target ${r.targetId}: ${r.tool} (${r.format}), empty: the report holds no finding (not compared with the previous scan)\n`
                  : `scan ${r.scanId} of target ${r.targetId}: ${r.tool} (${r.format}), ${r.vulnerabilities} vulnerabilities, ${r.findings} findings: ${r.new} new, ${r.recurring} recurring, ${r.missing} missing\n`,
              );
              for (const w of r.warnings) process.stdout.write(`  warning: ${w.message}\n`);
            }
            say(`done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
          }
        } catch (error) {
          if (error instanceof DomainError) throw new Error(error.message);
          throw error;
        } finally {
          bar?.stop();
          await runtime.close();
        }
      },
    );
}
