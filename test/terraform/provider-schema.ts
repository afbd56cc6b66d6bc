import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Block, TerraformModule } from '../helpers/terraform-modules.js';

/**
 * A Terraform provider's schema as the cdktf prebuilt-provider packages carry it. Those packages are
 * generated from `terraform providers schema -json` of one provider release; their .jsii manifest keeps,
 * for every resource and data source, each argument's Terraform name (in the registry link of its docs),
 * whether it is optional, and which arguments are nested blocks (with their own struct).
 */
export interface BlockSchema {
  attributes: Map<string, { required: boolean }>;
  blocks: Map<string, { required: boolean; schema: BlockSchema }>;
}

export interface ProviderSchema {
  /** e.g. hashicorp/aws */
  source: string;
  /** The provider release the package was generated from, e.g. 6.25.0. */
  version: string;
  package: { name: string; version: string };
  provider: BlockSchema;
  resources: Map<string, BlockSchema>;
  dataSources: Map<string, BlockSchema>;
}

export const SCHEMA_ROOT = path.resolve('.provider-schemas');

// biome-ignore lint/suspicious/noExplicitAny: the .jsii manifest is untyped JSON
type JsiiType = Record<string, any>;

const LINK =
  /\{@link https:\/\/registry\.terraform\.io\/providers\/([\w-]+)\/([\w-]+)\/([\w.-]+)\/docs(?:\/(resources|data-sources)\/([a-z0-9_]+))?(?:#([A-Za-z0-9_]+))? /;

export function loadProviderSchema(packageName: string): ProviderSchema {
  const dir = path.join(SCHEMA_ROOT, packageName);
  const manifest = path.join(dir, '.jsii');
  if (!existsSync(manifest))
    throw new Error(
      `${manifest} is missing: run sh scripts/bootstrap.sh --test-tools (scripts/provider-schemas.sh)`,
    );
  const jsii = JSON.parse(readFileSync(manifest, 'utf8')) as { types: Record<string, JsiiType> };
  const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
    name: string;
    version: string;
  };
  const schema: ProviderSchema = {
    source: '',
    version: '',
    package: { name: pkg.name, version: pkg.version },
    provider: { attributes: new Map(), blocks: new Map() },
    resources: new Map(),
    dataSources: new Map(),
  };
  const structs = new Map<string, BlockSchema>();
  for (const type of Object.values(jsii.types)) {
    if (
      type.kind !== 'class' ||
      !['cdktf.TerraformResource', 'cdktf.TerraformDataSource', 'cdktf.TerraformProvider'].includes(type.base)
    )
      continue;
    const link = LINK.exec(String(type.docs?.summary ?? ''));
    const configFqn = type.initializer?.parameters?.[2]?.type?.fqn as string | undefined;
    if (!link || !configFqn) continue;
    const [, namespace, provider, version, kind, name] = link as unknown as string[];
    schema.source = `${namespace}/${provider}`;
    schema.version = version as string;
    const block = structSchema(jsii.types, configFqn, structs);
    if (type.base === 'cdktf.TerraformProvider') schema.provider = block;
    else (kind === 'resources' ? schema.resources : schema.dataSources).set(`${provider}_${name}`, block);
  }
  if (schema.resources.size === 0)
    throw new Error(`${manifest}: no resources found; is it a cdktf provider package?`);
  return schema;
}

/** Arguments of one config struct: Terraform name from the registry link, blocks recursively. */
function structSchema(
  types: Record<string, JsiiType>,
  fqn: string,
  cache: Map<string, BlockSchema>,
): BlockSchema {
  const cached = cache.get(fqn);
  if (cached) return cached;
  const block: BlockSchema = { attributes: new Map(), blocks: new Map() };
  cache.set(fqn, block);
  for (const property of types[fqn]?.properties ?? []) {
    const docs = `${property.docs?.summary ?? ''} ${property.docs?.remarks ?? ''}`;
    const terraformName = LINK.exec(docs)?.[6];
    if (!terraformName) continue; // cdktf's own helpers, not Terraform arguments
    const required = property.optional !== true;
    const nested = /^\S+ block\.$/.test(String(property.docs?.summary ?? ''))
      ? structIn(property.type, types)
      : undefined;
    if (nested) block.blocks.set(terraformName, { required, schema: structSchema(types, nested, cache) });
    else block.attributes.set(terraformName, { required });
  }
  return block;
}

function structIn(type: JsiiType | undefined, types: Record<string, JsiiType>): string | undefined {
  if (!type) return undefined;
  if (type.fqn && types[type.fqn]?.datatype) return type.fqn;
  for (const member of type.union?.types ?? []) {
    const found = structIn(member, types);
    if (found) return found;
  }
  return structIn(type.collection?.elementtype, types);
}

const RESOURCE_META = new Set([
  'count',
  'for_each',
  'provider',
  'depends_on',
  'lifecycle',
  'connection',
  'provisioner',
]);
const DATA_META = new Set(['count', 'for_each', 'provider', 'depends_on', 'lifecycle']);
const PROVIDER_META = new Set(['alias']);
const LIFECYCLE = new Set([
  'create_before_destroy',
  'prevent_destroy',
  'ignore_changes',
  'replace_triggered_by',
  'precondition',
  'postcondition',
]);
const DYNAMIC = new Set(['for_each', 'iterator', 'labels', 'content']);

/**
 * Every problem `terraform validate` would report about argument names in this module: unknown resource
 * and data source types, unknown arguments and blocks (also inside dynamic blocks), and missing required
 * ones. Values are not checked (they are expressions until plan time).
 */
export function checkModule(module: TerraformModule, schemas: ProviderSchema[]): string[] {
  const problems: string[] = [];
  const byPrefix = (type: string) => schemas.find((s) => type.startsWith(`${s.source.split('/')[1]}_`));
  for (const [kind, all] of [
    ['resource', module.resources],
    ['data', module.data],
  ] as const) {
    for (const [type, byName] of Object.entries(all)) {
      const schema = byPrefix(type);
      const block = schema && (kind === 'resource' ? schema.resources : schema.dataSources).get(type);
      for (const [name, body] of Object.entries(byName)) {
        const where = `${kind === 'data' ? 'data.' : ''}${type}.${name}`;
        if (!block) {
          problems.push(`${where}: the ${schema?.source ?? 'unknown'} provider has no ${kind} type ${type}`);
          continue;
        }
        problems.push(...checkBlock(where, body, block, kind === 'resource' ? RESOURCE_META : DATA_META));
      }
    }
  }
  for (const [name, body] of Object.entries(module.providers)) {
    const schema = schemas.find((s) => s.source.endsWith(`/${name}`));
    if (!schema) problems.push(`provider ${name}: no schema package for it`);
    else problems.push(...checkBlock(`provider ${name}`, body, schema.provider, PROVIDER_META));
  }
  return problems;
}

function checkBlock(where: string, body: Block, schema: BlockSchema, meta: Set<string>): string[] {
  const problems: string[] = [];
  const present = new Set<string>();
  for (const [key, value] of Object.entries(body)) {
    if (meta.has(key)) {
      if (key === 'lifecycle') problems.push(...checkLifecycle(where, value));
      continue;
    }
    if (key === 'dynamic') {
      for (const [blockName, entries] of Object.entries(value as Record<string, Block[]>)) {
        const nested = schema.blocks.get(blockName);
        if (!nested) {
          problems.push(`${where}: unknown block "${blockName}" (in a dynamic block)`);
          continue;
        }
        present.add(blockName);
        for (const entry of entries) {
          for (const dynamicKey of Object.keys(entry))
            if (!DYNAMIC.has(dynamicKey))
              problems.push(`${where}.dynamic.${blockName}: unknown argument "${dynamicKey}"`);
          for (const content of entry.content ?? [])
            problems.push(...checkBlock(`${where}.${blockName}`, content, nested.schema, new Set()));
        }
      }
      continue;
    }
    present.add(key);
    const nested = schema.blocks.get(key);
    if (nested) {
      if (!Array.isArray(value)) {
        problems.push(`${where}: "${key}" is a block, written as an argument (use ${key} { ... })`);
        continue;
      }
      for (const item of value as Block[])
        problems.push(...checkBlock(`${where}.${key}`, item, nested.schema, new Set()));
    } else if (!schema.attributes.has(key)) {
      problems.push(`${where}: unknown argument "${key}"`);
    }
  }
  for (const [name, attribute] of schema.attributes)
    if (attribute.required && !present.has(name))
      problems.push(`${where}: missing required argument "${name}"`);
  for (const [name, nested] of schema.blocks)
    if (nested.required && !present.has(name)) problems.push(`${where}: missing required block "${name}"`);
  return problems;
}

function checkLifecycle(where: string, value: unknown): string[] {
  const problems: string[] = [];
  for (const block of (Array.isArray(value) ? value : [value]) as Block[])
    for (const key of Object.keys(block))
      if (!LIFECYCLE.has(key)) problems.push(`${where}.lifecycle: unknown argument "${key}"`);
  return problems;
}
