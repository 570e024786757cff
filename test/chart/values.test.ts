import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isMap, isScalar, parseDocument, type Pair, type YAMLMap } from 'yaml';
import { chartDir } from './helm';

interface Schema {
  properties?: Record<string, Schema>;
  additionalProperties?: boolean | Schema;
}

const valuesText = readFileSync(join(chartDir, 'values.yaml'), 'utf8');
const schema = JSON.parse(readFileSync(join(chartDir, 'values.schema.json'), 'utf8')) as Schema;

// yaml attaches the comment above a map's first key to the map itself.
function commentOf(map: YAMLMap, index: number): string | undefined {
  const pair = map.items[index] as Pair;
  const key = isScalar(pair.key) ? pair.key : undefined;
  return key?.commentBefore ?? (index === 0 ? (map.commentBefore ?? undefined) : undefined);
}

/**
 * Dotted paths of values with no comment. A value counts as described by its
 * own comment, by a comment on the object holding it (for Kubernetes objects
 * passed through whole, such as securityContext), or, for a group of values,
 * by comments on every member.
 */
function undocumented(map: YAMLMap, prefix: string): string[] {
  return map.items.flatMap((item, index) => {
    const pair = item as Pair;
    const path = `${prefix}${String(isScalar(pair.key) ? pair.key.value : pair.key)}`;
    if (commentOf(map, index) !== undefined) return [];
    if (isMap(pair.value)) {
      const missing = undocumented(pair.value, `${path}.`);
      return missing.length === 0 ? [] : [path, ...missing];
    }
    return [path];
  });
}

function unknownToSchema(map: YAMLMap, node: Schema, prefix: string): string[] {
  return map.items.flatMap((item) => {
    const pair = item as Pair;
    const name = String(isScalar(pair.key) ? pair.key.value : pair.key);
    const child = node.properties?.[name];
    if (child === undefined) return node.additionalProperties === false ? [prefix + name] : [];
    return isMap(pair.value) ? unknownToSchema(pair.value, child, `${prefix}${name}.`) : [];
  });
}

describe('chart values', () => {
  const document = parseDocument(valuesText);
  const root = document.contents as YAMLMap;

  it('describes every value with a comment', () => {
    expect(undocumented(root, '')).toEqual([]);
  });

  it('has a schema entry for every value and refuses unknown top-level keys', () => {
    expect(schema.additionalProperties).toBe(false);
    expect(unknownToSchema(root, schema, '')).toEqual([]);
  });

  it('declares JSON Schema draft-07', () => {
    expect((schema as { $schema?: string }).$schema).toBe(
      'http://json-schema.org/draft-07/schema#',
    );
  });
});
