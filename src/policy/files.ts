import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { TailorError } from '../errors.js';
import type { GeneratedPolicy } from './generate.js';

/**
 * Role and session names come from events, which an attacker can shape: a name is reduced to
 * characters IAM allows in role names before it becomes a path segment, and `.`/`..` never pass.
 */
export function safeSegment(name: string): string {
  let s = name.replace(/[^A-Za-z0-9+=,.@_-]/g, '_').slice(0, 128);
  if (s === '' || /^\.+$/.test(s)) s = `_${s}`;
  return s;
}

/** `policies/<account>/<role>.json`, or `<role>/<function>.json` per function. Never outside `root`. */
export function policyPath(root: string, p: Pick<GeneratedPolicy, 'account' | 'role' | 'session'>): string {
  const parts = [safeSegment(p.account), p.session === undefined ? `${safeSegment(p.role)}.json` : join(safeSegment(p.role), `${safeSegment(p.session)}.json`)];
  const full = resolve(root, ...parts);
  const rel = relative(resolve(root), full);
  if (rel.startsWith(`..${sep}`) || rel === '..' || isAbsolute(rel)) {
    throw new TailorError('bad-argument', `policy path for ${p.role} would leave the output directory`, { argument: root });
  }
  return full;
}
