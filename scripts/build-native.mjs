#!/usr/bin/env node
// Builds the native record scanner at install, quietly. It is optional: without a compiler the
// install goes on, says so in one line, and profiling takes the JSON.parse path (same results,
// slower). `npm run build:native` shows the compiler's own output.
import { spawnSync } from 'node:child_process';

// npm hands its bundled node-gyp to scripts; elsewhere it may be on PATH.
const gyp = process.env.npm_config_node_gyp;
const [command, args] = gyp ? [process.execPath, [gyp, 'rebuild']] : ['node-gyp', ['rebuild']];
const result = spawnSync(command, args, { encoding: 'utf8', shell: !gyp && process.platform === 'win32' });
if (result.status !== 0) {
  const lines = `${result.stderr ?? ''}\n${result.error?.message ?? ''}`.split('\n').map((l) => l.trim());
  const why = lines.filter((l) => /error|not found|cannot/i.test(l)).slice(0, 2).join(' / ');
  console.warn(`iam-tailor: the native record scanner did not build, so profiling will use JSON.parse (same results, slower). Run \`npm run build:native\` to see why.${why ? ` First error: ${why}` : ''}`);
}
