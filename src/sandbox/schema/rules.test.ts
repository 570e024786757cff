import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { referenceDir } from '../../../test/support/kubectl';
import { checkRules, compileRule, type RuleSchema } from './rules';

const schema: RuleSchema = {
  properties: {
    spec: {
      'x-kubernetes-validations': [
        { rule: 'self == oldSelf', message: 'spec is immutable' },
        { rule: '!(has(self.a) && has(self.b))', message: 'a and b exclude each other' },
      ],
      properties: {
        replicas: { 'x-kubernetes-validations': [{ rule: 'self > 0' }] },
        args: {
          items: {
            'x-kubernetes-validations': [
              { rule: "!self.startsWith('--log')", message: 'no log flags', fieldPath: '' },
            ],
          },
        },
      },
    },
  },
};

const messages = (spec: unknown, oldSpec?: unknown) =>
  checkRules({
    object: { apiVersion: 'x/v1', kind: 'X', metadata: {}, spec },
    schema,
    old:
      oldSpec === undefined
        ? undefined
        : { apiVersion: 'x/v1', kind: 'X', metadata: {}, spec: oldSpec },
  }).map((cause) => `${cause.field}: ${cause.message}`);

describe('CEL validation rules', () => {
  it('checks rules on create, naming the field and the message or the rule', () => {
    expect(messages({ a: 1 })).toEqual([]);
    expect(messages({ a: 1, b: 2, replicas: 0, args: ['--x', '--log-level=debug'] })).toEqual([
      'spec: Invalid value: "object": a and b exclude each other',
      'spec.replicas: Invalid value: "integer": failed rule: self > 0',
      'spec.args[1]: Invalid value: "string": no log flags',
    ]);
  });

  it('checks transition rules only on update', () => {
    expect(messages({ a: 1 })).toEqual([]);
    expect(messages({ a: 2 }, { a: 1 })).toEqual([
      'spec: Invalid value: "object": spec is immutable',
    ]);
    expect(messages({ a: 1 }, { a: 1 })).toEqual([]);
  });

  it('does not check again a value that did not change (ratcheting)', () => {
    // Stored before the rule existed; an update that leaves spec alone passes.
    expect(messages({ a: 1, b: 2 }, { a: 1, b: 2 })).toEqual([]);
  });

  it("fails a rule that cannot be evaluated on the object, with the evaluator's reason", () => {
    const localeSchema: RuleSchema = {
      properties: {
        spec: {
          'x-kubernetes-validations': [
            { rule: "!has(self.icuLocale) || self.localeProvider == 'icu'", message: 'icu only' },
          ],
        },
      },
    };
    const causes = checkRules({
      object: { apiVersion: 'x/v1', kind: 'X', metadata: {}, spec: { icuLocale: 'en' } },
      schema: localeSchema,
    });
    expect(causes.map((cause) => cause.message)).toEqual([
      'Invalid value: "object": no such key: localeProvider evaluating rule: icu only',
    ]);
  });

  it('reports a failed rule in the form its reason names', () => {
    const schema: RuleSchema = {
      properties: {
        spec: {
          'x-kubernetes-validations': [
            { rule: '!has(self.a)', message: 'a is not allowed', reason: 'FieldValueForbidden' },
            { rule: 'has(self.b)', message: 'b is needed', reason: 'FieldValueRequired' },
            { rule: 'self.size() > 5', reason: 'FieldValueDuplicate' },
          ],
        },
      },
    };
    const causes = checkRules({
      object: { apiVersion: 'x/v1', kind: 'X', metadata: {}, spec: { a: 1 } },
      schema,
    });
    expect(causes).toEqual([
      { reason: 'FieldValueForbidden', field: 'spec', message: 'Forbidden: a is not allowed' },
      { reason: 'FieldValueRequired', field: 'spec', message: 'Required value: b is needed' },
      { reason: 'FieldValueDuplicate', field: 'spec', message: 'Duplicate value: "object"' },
    ]);
  });

  it('compiles every rule of the CNPG and Barman Cloud CRDs', () => {
    const dir = path.join(referenceDir, 'crds');
    const rules: string[] = [];
    const collect = (node: unknown): void => {
      if (Array.isArray(node)) node.forEach(collect);
      else if (node !== null && typeof node === 'object') {
        for (const [key, value] of Object.entries(node)) {
          if (key === 'x-kubernetes-validations' && Array.isArray(value)) {
            for (const entry of value) rules.push((entry as { rule: string }).rule);
          } else collect(value);
        }
      }
    };
    for (const file of readdirSync(dir).filter((name) => name.endsWith('.yaml'))) {
      collect(parse(readFileSync(path.join(dir, file), 'utf8')));
    }
    expect(rules.length).toBeGreaterThanOrEqual(10);
    expect(rules.filter((rule) => compileRule(rule) === null)).toEqual([]);
  });
});
