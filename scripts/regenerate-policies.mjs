#!/usr/bin/env node
// Regenerates policies/ from samples/ — what a user gets from the bundled samples. A test
// (test/policies-fresh.test.ts) fails when the committed files are stale.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';

rmSync('policies', { recursive: true, force: true });
execFileSync(process.execPath, ['dist/cli/bin.js', 'generate', 'samples/cloudtrail', '-o', 'policies', '--quiet'], { stdio: 'inherit' });
console.log('policies/ regenerated from samples/cloudtrail');
