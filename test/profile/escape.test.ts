import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeResourceName } from '../../src/profile/escape.js';

describe('escapeResourceName', () => {
  it('writes every literal * ? $ as ${*} ${?} ${$}, and nothing else changes', () => {
    const char = fc.constantFrom(...'ab/:-[]{}*?$'.split(''));
    fc.assert(
      fc.property(fc.array(char, { maxLength: 40 }), (chars) => {
        const value = chars.join('');
        const out = escapeResourceName(value);
        // Read back token by token: an escape, or a character that needs none.
        let back = '';
        for (let i = 0; i < out.length; ) {
          const token = out.slice(i, i + 4);
          if (token === '${*}' || token === '${?}' || token === '${$}') {
            back += token[2];
            i += 4;
          } else {
            expect('*?$').not.toContain(out[i]);
            back += out[i];
            i++;
          }
        }
        expect(back).toBe(value);
      }),
      { numRuns: 3000 },
    );
  });
});
