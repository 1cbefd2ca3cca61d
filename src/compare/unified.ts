import { createTwoFilesPatch } from 'diff';
import { renderPolicy, type PolicyDocument } from '../policy/document.js';

/** A unified diff of the canonical JSON of the current and proposed documents. */
export function unifiedDiff(name: string, current: PolicyDocument, proposed: PolicyDocument): string {
  const patch = createTwoFilesPatch(`a/${name}`, `b/${name}`, renderPolicy(current), renderPolicy(proposed), 'current', 'proposed', { context: 3 });
  // The header's first line ("Index"/"====") adds nothing for one file.
  return patch.replace(/^=+\n/m, '');
}
