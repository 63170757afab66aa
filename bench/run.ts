// `npm run bench -- [name ...]`: runs the named benchmarks (all when none is named) and prints figures.
import { benchImport } from './import.ts';
import { benchPush } from './push.ts';
import { benchQueue } from './queue.ts';
import { benchWebhooks } from './webhooks.ts';

const benches: Record<string, () => Promise<void>> = {
  queue: benchQueue,
  import: () => benchImport(),
  push: benchPush,
  webhooks: benchWebhooks,
};
const names = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const chosen = names.length > 0 ? names : Object.keys(benches);
for (const name of chosen) {
  const bench = benches[name];
  if (!bench) {
    console.error(`unknown benchmark ${name}; known: ${Object.keys(benches).join(', ')}`);
    process.exit(2);
  }
  await bench();
}
