import { beforeAll, describe, expect, it } from 'vitest';
import { ActionMatcher } from '../../src/compare/expand.js';
import { catalog } from '../support/fixtures.js';

describe('action wildcard expansion over the catalog', () => {
  const m = new ActionMatcher(catalog());
  beforeAll(async () => {
    await catalog().loadAll();
  });

  it.each([
    ['s3:Get*', (a: string) => a.startsWith('s3:Get')],
    ['S3:get*', (a: string) => a.startsWith('s3:Get')],
    ['sqs:*Message', (a: string) => a.startsWith('sqs:') && a.endsWith('Message')],
    ['kms:ReEncrypt*', (a: string) => a === 'kms:ReEncryptFrom' || a === 'kms:ReEncryptTo'],
    ['iam:?ut*Policy', (a: string) => /^iam:.ut.*Policy$/.test(a)],
  ])('%s names exactly the catalog actions it matches', (pattern, expected) => {
    const all = m.expand('*');
    expect(m.expand(pattern)).toEqual(all.filter(expected));
    expect(m.expand(pattern).length).toBeGreaterThan(0);
  });

  it('* is every action of every service', () => {
    const all = m.expand('*');
    expect(all.length).toBeGreaterThan(15000);
    expect(all).toContain('s3:GetObject');
    expect(all).toContain('lambda:InvokeFunction');
    expect(new Set(all.map((a) => a.split(':')[0])).size).toBe(catalog().loadedPrefixes().length);
  });

  it('an exact action expands to its catalog spelling; an unknown one to nothing', () => {
    expect(m.expand('dynamodb:getitem')).toEqual(['dynamodb:GetItem']);
    expect(m.expand('s3:NoSuchAction')).toEqual([]);
    expect(m.expand('nosuchservice:*')).toEqual([]);
  });

  it('NotAction: iam:* is everything outside IAM', () => {
    const rest = m.complement(['iam:*']);
    expect(rest.some((a) => a.startsWith('iam:'))).toBe(false);
    expect(rest.length + m.expand('iam:*').length).toBe(m.expand('*').length);
    expect(m.complement(['*'])).toEqual([]);
  });
});
