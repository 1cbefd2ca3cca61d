import { createTwoFilesPatch } from 'diff';
import { renderPolicy, type PolicyDocument } from '../policy/document.js';

/** A unified diff of two policy texts. */
export function textDiff(name: string, current: string, proposed: string): string {
  const patch = createTwoFilesPatch(`a/${name}`, `b/${name}`, current, proposed, 'current', 'proposed', { context: 3 });
  // The header's first line ("Index"/"====") adds nothing for one file.
  return patch.replace(/^=+\n/m, '');
}

/** What a role's diff needs: where its policy lives and its two documents. */
export interface PatchInput {
  readonly account: string;
  readonly name: string;
  readonly file?: string;
  readonly current: PolicyDocument;
  readonly proposed: PolicyDocument;
}

/** A changed role's diff is named by its policy file, else by its path in the policies/ layout. */
export const patchName = (c: PatchInput): string => c.file ?? `${c.account}/${c.name}.json`;

/** The unified diff shown for a changed role: of the canonical JSON of its two documents. */
export const rolePatch = (c: PatchInput): string => textDiff(patchName(c), renderPolicy(c.current), renderPolicy(c.proposed));
