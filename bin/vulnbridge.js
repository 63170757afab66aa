#!/usr/bin/env node
// Entry point of the `vulnbridge` command. The sources are TypeScript run through tsx, so there is
// no server build step; only the web app is bundled (by Vite).
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
