/**
 * iam-tailor as a library: the pipeline the CLI runs, stage by stage.
 *
 *   sources (files, LookupEvents, Athena) → profileSource / profileFiles → Usage
 *   Usage → generatePolicies → least-privilege documents
 *   Usage + current policies → compareAll → renderText / renderMarkdown / renderJson
 *
 * Usages are plain JSON and mergeable (mergeUsage), so shards can be profiled apart. What
 * reads from AWS (LookupEvents, Athena, IAM, Lambda) is in `iam-tailor/aws`, so that working
 * from files does not load the AWS SDK.
 */
export { TailorError, describePlace, type Place, type Problem, type ProblemCode } from './errors.js';

export type { RecordBatch, Source, SourceHints } from './ingest/source.js';
export { FileSource, type FileSourceOptions } from './ingest/files.js';

export { Catalog, type CatalogAction, type CatalogResourceType } from './profile/catalog.js';
export { normalize, type Call, type Normalized, type SkipReason } from './profile/call.js';
export { Mapper, type Mapping, type Need } from './profile/mapping.js';
export { NO_FILTER, parseTime, rolePattern, type CallFilter } from './profile/filter.js';
export { Profiler, profileSource, type ProfileOptions, type ProfileProgress } from './profile/profiler.js';
export { defaultWorkers, profileFiles } from './profile/parallel.js';
export {
  emptyUsage,
  isUsageText,
  mergeUsage,
  parseUsage,
  serializeUsage,
  USAGE_SCHEMA,
  USAGE_SCHEMA_VERSION,
  type ActionMap,
  type Coverage,
  type InputStats,
  type Observation,
  type PrincipalUsage,
  type Usage,
} from './profile/usage.js';

export { DEFAULT_THRESHOLD, generatePolicies, type GeneratedPolicy, type GenerateOptions } from './policy/generate.js';
export { renderPolicy, type PolicyDocument, type PolicyStatement } from './policy/document.js';
export { policyPath } from './policy/files.js';

export { fromAuthorizationDetails, loadCurrent, parsePolicyDocument, type CurrentPolicy, type CurrentRole } from './compare/current.js';
export { ActionMatcher, servicesNamed } from './compare/expand.js';
export { loadFunctionConfigs, platformNeeds, type PlatformNeed } from './compare/platform.js';
export type { FunctionConfig } from './profile/function-config.js';
export { parseSelectors, whyUnobservable, type TrailSelectors } from './compare/observability.js';
export { CLASSES, type ActionClass, type ClassifiedAction, type CompareOptions, type RoleComparison } from './compare/classify.js';
export { compareAll, type Comparison } from './compare/report.js';
export { renderText, type TextStyle } from './compare/render-text.js';
export { renderMarkdown, type MarkdownOptions } from './compare/render-markdown.js';
export { DIFF_SCHEMA, renderJson, renderJsonChunks } from './compare/render-json.js';
