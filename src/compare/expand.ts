import type { Catalog } from '../profile/catalog.js';

/**
 * IAM action patterns (`s3:Get*`, `*`, `iam:?ut*`) matched against the catalog, the way IAM
 * matches them: case-insensitive, `*` any run, `?` one character, service and action apart.
 */
function patternRegex(pattern: string): RegExp {
  const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`, 'i');
}

/**
 * The catalog services a set of statements can name: their prefixes, or every service when a
 * statement uses NotAction or a wildcard in the service part.
 */
export function servicesNamed(statements: readonly { Action?: string | string[]; NotAction?: string | string[] }[]): Set<string> | 'all' {
  const out = new Set<string>();
  for (const s of statements) {
    if (s.NotAction !== undefined) return 'all';
    for (const a of [s.Action ?? []].flat()) {
      const service = a.includes(':') ? a.slice(0, a.indexOf(':')) : a;
      if (/[*?]/.test(service)) return 'all';
      out.add(service.toLowerCase());
    }
  }
  return out;
}

export class ActionMatcher {
  private readonly cache = new Map<string, readonly string[]>();

  /** Needs a catalog with every service loaded (`Catalog.loadAll`). */
  constructor(private readonly catalog: Catalog) {}

  /** Every catalog action a pattern names, in the catalog's spelling, sorted. */
  expand(pattern: string): readonly string[] {
    const key = pattern.toLowerCase();
    let out = this.cache.get(key);
    if (out) return out;
    if (pattern === '*') {
      out = this.catalog.loadedPrefixes().flatMap((p) => this.catalog.actionsOf(p).map((a) => a.id));
    } else {
      const i = pattern.indexOf(':');
      const service = i > 0 ? pattern.slice(0, i) : '';
      const action = i > 0 ? pattern.slice(i + 1) : '';
      const serviceRe = patternRegex(service);
      const actionRe = patternRegex(action);
      const services = /[*?]/.test(service) ? this.catalog.loadedPrefixes().filter((p) => serviceRe.test(p)) : [service.toLowerCase()];
      out = services.flatMap((p) => this.catalog.actionsOf(p).filter((a) => actionRe.test(a.id.slice(a.id.indexOf(':') + 1))).map((a) => a.id));
    }
    out = [...new Set(out)].sort();
    this.cache.set(key, out);
    return out;
  }

  /** Every catalog action *not* named by any of the patterns (NotAction). */
  complement(patterns: readonly string[]): readonly string[] {
    const named = new Set(patterns.flatMap((p) => this.expand(p)));
    return this.expand('*').filter((a) => !named.has(a));
  }
}
