import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, SAMPLES } from './support/fixtures.js';

// Run against the build, by the package's own name, as a user's code would import it.
const SCRIPT = `
import { Catalog, FileSource, generatePolicies, parseUsage, policyPath, profileSource, renderPolicy, serializeUsage } from 'iam-tailor';
import * as aws from 'iam-tailor/aws';
const [logs, out] = process.argv.slice(1);
const usage = await profileSource(new FileSource({ paths: [logs] }), new Catalog());
const policies = generatePolicies(parseUsage(serializeUsage(usage), 'usage.json'));
console.log(JSON.stringify({ aws: Object.keys(aws).sort(), policies: policies.map((p) => [policyPath(out, p), renderPolicy(p.document)]) }));
`;

describe('the library', () => {
  it('iam-tailor and iam-tailor/aws resolve from the build; files → usage → policies gives the committed policies/', async () => {
    const stdout = execFileSync(process.execPath, ['--input-type=module', '-e', SCRIPT, SAMPLES, join(ROOT, 'policies')], { cwd: ROOT }).toString();
    const { aws, policies } = JSON.parse(stdout) as { aws: string[]; policies: [string, string][] };
    expect(aws).toEqual(['AthenaSource', 'LookupEventsSource', 'awsClients', 'currentFromIam', 'functionConfig', 'listFunctionRoles']);
    expect(policies.length).toBeGreaterThan(1);
    for (const [file, text] of policies) expect(await readFile(file, 'utf8'), file).toBe(text);
  });
});
