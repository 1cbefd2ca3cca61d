/**
 * Worker thread entry: unified diffs of changed roles, made while the main thread goes on
 * comparing the next ones (Myers' diff is a fifth of a large `diff`).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { textDiff } from './unified.js';

/** Roles' policy texts, numbered from `first`: strings cross threads far cheaper than documents. */
export interface ToPatchWorker {
  readonly first: number;
  readonly roles: readonly { readonly name: string; readonly current: string; readonly proposed: string }[];
}
export interface FromPatchWorker {
  readonly first: number;
  readonly patches: readonly string[];
}

if (parentPort && workerData?.iamTailorPatches) {
  const port = parentPort;
  port.on('message', (m: ToPatchWorker) => port.postMessage({ first: m.first, patches: m.roles.map((r) => textDiff(r.name, r.current, r.proposed)) } satisfies FromPatchWorker));
}
