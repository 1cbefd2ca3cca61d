#!/usr/bin/env node
// Turns the researched facts (../shared/data/*.tsv) into the project's own rule tables under
// src/profile/rules/. Run by hand when the facts change; the output is committed and reviewed,
// so nothing at run time or in `npm test` needs ../shared.
//
//   node scripts/import-facts.mjs [--facts ../shared/data]
//
// What this script decides (and the rule tables record per row):
// - which of several rows for one event wins: AWS documentation (SAR, service guides) first,
//   then AWS SDK models (botocore), then iam-dataset, then trailscraper and cloudtracker;
// - for each action of a row, *when* it is needed (`always`, or a named condition that the
//   interpreter in src/profile/conditions.ts checks against the record).
// General patterns (legacy date suffixes, API Gateway verbs, unsigned calls, non-API event
// types) are rules in code, not rows: this script leaves their rows out of the tables.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { facts: { type: 'string', default: '../shared/data' } } });
const out = 'src/profile/rules';
mkdirSync(out, { recursive: true });

function tsv(file) {
  const [head, ...lines] = readFileSync(join(values.facts, file), 'utf8').trimEnd().split('\n');
  const cols = head.split('\t');
  return lines.map((l) => Object.fromEntries(l.split('\t').map((v, i) => [cols[i], v ?? ''])));
}

// ---------------------------------------------------------------------------------------------
// Event source → IAM prefix.
const prefixes = {};
for (const r of tsv('service_prefix.tsv')) {
  if (!/^[a-z0-9.-]+\.amazonaws\.com$/.test(r.eventSource)) continue; // endpoint hosts are not event sources
  const from = cite(r.source);
  prefixes[r.eventSource] ??= { prefix: r.iam_prefix, from };
}

// ---------------------------------------------------------------------------------------------
// Event → actions.
export function sourceKind(source) {
  if (/service-authorization|docs\.aws\.amazon\.com/.test(source)) return 'aws-docs';
  if (/botocore/.test(source)) return 'aws-sdk-model';
  if (/iam-dataset|iamlive/.test(source)) return 'iam-dataset';
  if (/trailscraper/.test(source)) return 'trailscraper';
  if (/cloudtracker/.test(source)) return 'cloudtracker';
  return 'other';
}
const RANK = { 'aws-docs': 0, 'aws-sdk-model': 1, 'iam-dataset': 2, other: 3, trailscraper: 4, cloudtracker: 5 };

function cite(source) {
  const url = source.match(/https?:\/\/\S+/);
  return (url ? url[0] : source).slice(0, 160);
}

// When an action beyond the first is needed. The names are conditions the interpreter knows.
function when(action, primary, row) {
  const [, name] = action.split(':');
  if (row.eventSource === 's3.amazonaws.com' && /Copy/.test(row.eventName)) {
    if (action === 's3:GetObject') return 'copy-source';
    if (action === 's3:PutObject') return 'always';
  }
  if (/^dynamodb:PartiQL/.test(action)) return 'statement-verb';
  if (/^Transact/.test(row.eventName) && row.eventSource === 'dynamodb.amazonaws.com') return 'transact-item';
  if (action === primary) return 'always';
  const note = row.note;
  if (action === 'iam:PassRole') return 'role-passed';
  if (/ForReplication$|ReplicateSettings|Replica|GlobalTableWitness/.test(name)) return 'global-table';
  if (/^(Tag|AddTags|CreateTags|TagQueue|TagSession|TagResource|AddTagsToResource|TagGetWebIdentityToken)/.test(name)) return 'tags';
  if (action === 'iam:CreateServiceLinkedRole') return 'service-linked-role';
  if (action === 'lambda:GetLayerVersion') return 'layers';
  if (action === 'kms:PutKeyPolicy') return 'policy-given';
  if (action === 'sts:SetSourceIdentity') return 'source-identity';
  if (action === 'sts:SetContext') return 'provided-contexts';
  if (/Version$/.test(name) && /VersionId|versionId|version/.test(note)) return 'version-id';
  if (action === 'lambda:PassCapacityProvider') return 'capacity-provider';
  if (action === 's3:GetObject' && /Copy/.test(row.eventName)) return 'copy-source';
  if (action === 's3:PutObjectAcl' || action === 's3:PutBucketAcl') return 'acl-given';
  if (action === 's3:PutObjectTagging') return 'tags';
  return 'dependent';
}

// Rows that are general rules in code (see the header), or not about one event.
function isGeneralRule(r) {
  if (!/^[a-z0-9.-]+\.amazonaws\.com$/.test(r.eventSource)) return true; // '*', 'execute-api (not logged)', '(unverified)'
  if (!/^[A-Za-z0-9_]+$/.test(r.eventName)) return true; // '* (eventType=…)', 'RotateKey / DeleteKey …'
  if (r.eventSource === 'apigateway.amazonaws.com' && /^API Gateway V[12]/.test(r.note)) return true;
  if (/^LEGACY eventName form/.test(r.note)) return true;
  return false;
}

// Rows the catalog proves wrong, each corrected with its evidence. The conformance test pins them.
const CORRECTIONS = {
  's3.amazonaws.com\tDeleteBucketIntelligentTieringConfiguration': {
    iam_actions: 's3:PutIntelligentTieringConfiguration',
    source: 'https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteBucketIntelligentTieringConfiguration.html (needs s3:PutIntelligentTieringConfiguration; iam-dataset names an action the catalog lacks)',
  },
  'lakeformation.amazonaws.com\tGetWorkUnits': {
    iam_actions: 'lakeformation:GetWorkUnits,lakeformation:StartQueryPlanning',
    source: 'iam-dataset row with its typo "lakeaformation" corrected (the catalog has lakeformation:StartQueryPlanning)',
  },
};

const rows = tsv('mapping_exceptions.tsv').map((r) => {
  const fix = CORRECTIONS[`${r.eventSource}\t${r.eventName}`];
  return fix && sourceKind(r.source) === 'iam-dataset' ? { ...r, ...fix, note: `${r.note} | corrected` } : r;
});
const groups = new Map();
for (const r of rows) {
  if (isGeneralRule(r)) continue;
  const k = `${r.eventSource}\t${r.eventName}`;
  if (!groups.has(k)) groups.set(k, []);
  groups.get(k).push(r);
}

const NONE = /^\(none/;
const events = {};
for (const [k, group] of [...groups].sort(([a], [b]) => (a < b ? -1 : 1))) {
  const [eventSource, eventName] = k.split('\t');
  // S3 Control rows describe another API logged under the same names; they become variants
  // chosen from the record (Outposts host, account-level request), never by name alone.
  const variants = group.filter((r) => /sdk=S3Control/.test(r.note));
  const plain = group.filter((r) => !variants.includes(r));
  const candidates = plain.length ? plain : variants;
  const best = Math.min(...candidates.map((r) => RANK[sourceKind(r.source)]));
  const winners = candidates.filter((r) => RANK[sourceKind(r.source)] === best);
  // Without a plain row the plain S3 call maps by the general rule; only the variants are listed.
  const entry = plain.length ? rule(winners) : { from: 'general rule <prefix>:<eventName>' };
  {
    for (const v of variants) {
      const acts = v.iam_actions.split(',');
      const key = acts[0].startsWith('s3-outposts:') ? 'outposts' : 'account-level';
      (entry.variants ??= {})[key] = { actions: acts.map((a) => [a, when(a, acts[0], v)]), from: cite(v.source) };
    }
  }
  (events[eventSource] ??= {})[eventName] = entry;
}

function rule(winners) {
  if (winners.every((r) => NONE.test(r.iam_actions))) {
    return { none: winners[0].note.slice(0, 160), from: winners.map((r) => cite(r.source)).join(' ; ') };
  }
  const actions = [];
  for (const r of winners) {
    if (NONE.test(r.iam_actions)) continue;
    const acts = r.iam_actions.split(',');
    // A row that says the call is renamed/split into several actions needs all of them.
    const split = /split|ReEncryptFrom/.test(r.note);
    for (const a of acts) {
      if (actions.some(([x]) => x === a)) continue;
      actions.push([a, split ? 'always' : when(a, acts[0], r)]);
    }
  }
  return { actions, from: [...new Set(winners.map((r) => cite(r.source)))].join(' ; ') };
}

// API Gateway management calls: the facts give each operation's HTTP method and path; the rule
// in src/profile/apigateway.ts turns them into `apigateway:<METHOD>` on `arn:…:apigateway:<region>::<path>`.
const apigateway = {};
for (const r of rows) {
  const m = /^API Gateway (V[12])\(.*?resource arn:aws:apigateway:\$\{Region\}::(\S+)/.exec(r.note);
  if (r.eventSource !== 'apigateway.amazonaws.com' || !m) continue;
  const method = r.iam_actions.replace(/^apigateway:/, '');
  (apigateway[r.eventName] ??= {})[m[1].toLowerCase()] = { method, path: m[2] };
}

const header = 'generated by scripts/import-facts.mjs from the researched facts; edit the script, not this file';
writeFileSync(join(out, 'event-sources.json'), JSON.stringify({ $comment: header, sources: sortKeys(prefixes) }, null, 2) + '\n');
writeFileSync(join(out, 'event-actions.json'), JSON.stringify({ $comment: header, events: sortKeys(events) }, null, 1) + '\n');
writeFileSync(join(out, 'apigateway-operations.json'), JSON.stringify({ $comment: header, operations: sortKeys(apigateway) }, null, 1) + '\n');
console.log(`event sources: ${Object.keys(prefixes).length}; events: ${Object.values(events).reduce((n, e) => n + Object.keys(e).length, 0)}`);

function sortKeys(o) {
  return Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k] && typeof o[k] === 'object' && !Array.isArray(o[k]) && !('actions' in o[k]) && !('none' in o[k]) && !('prefix' in o[k]) ? sortKeys(o[k]) : o[k]]));
}
