import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from '@cdktf/hcl2json';

/** A block as @cdktf/hcl2json returns it: attributes as values, nested blocks as arrays. */
// biome-ignore lint/suspicious/noExplicitAny: parsed HCL is untyped by nature
export type Block = Record<string, any>;

export interface TerraformModule {
  dir: string;
  files: string[];
  terraform: Block[];
  variables: Record<string, Block>;
  outputs: Record<string, Block>;
  locals: Block;
  resources: Record<string, Record<string, Block>>;
  data: Record<string, Record<string, Block>>;
  providers: Record<string, Block>;
  /** Module calls, by name. */
  modules: Record<string, Block>;
  /** `moved` blocks (from/to as "${address}"). */
  moved: Block[];
}

export const TERRAFORM_ROOT = path.resolve('terraform');
/** The root modules a deployment applies. */
export const MODULE_NAMES = ['bootstrap', 'runner', 'orchestrator'] as const;
/** Local child modules the root modules call (no provider block, no backend, no account of their own). */
export const SHARED_MODULE_NAMES = ['modules/hardened-bucket'] as const;
export const ALL_MODULE_NAMES = [...MODULE_NAMES, ...SHARED_MODULE_NAMES] as const;

/**
 * Parses every .tf file of a root module and merges them the way Terraform does (one namespace per module).
 * `root` lets a test load an edited copy of the tree.
 */
export async function loadModule(name: string, root: string = TERRAFORM_ROOT): Promise<TerraformModule> {
  const dir = path.join(root, name);
  const files = readdirSync(dir)
    .filter((file) => file.endsWith('.tf'))
    .sort();
  const module: TerraformModule = {
    dir,
    files,
    terraform: [],
    variables: {},
    outputs: {},
    locals: {},
    resources: {},
    data: {},
    providers: {},
    modules: {},
    moved: [],
  };
  for (const file of files) {
    const parsed = (await parse(file, readFileSync(path.join(dir, file), 'utf8'))) as Block;
    module.terraform.push(...(parsed.terraform ?? []));
    for (const [key, blocks] of Object.entries(parsed.variable ?? {}))
      module.variables[key] = (blocks as Block[])[0] as Block;
    for (const [key, blocks] of Object.entries(parsed.output ?? {}))
      module.outputs[key] = (blocks as Block[])[0] as Block;
    for (const locals of parsed.locals ?? []) Object.assign(module.locals, locals);
    for (const [key, blocks] of Object.entries(parsed.module ?? {}))
      module.modules[key] = (blocks as Block[])[0] as Block;
    module.moved.push(...(parsed.moved ?? []));
    for (const [key, blocks] of Object.entries(parsed.provider ?? {}))
      module.providers[key] = (blocks as Block[])[0] as Block;
    for (const kind of ['resource', 'data'] as const) {
      const target = kind === 'resource' ? module.resources : module.data;
      for (const [type, byName] of Object.entries(parsed[kind] ?? {})) {
        target[type] ??= {};
        for (const [resourceName, blocks] of Object.entries(byName as Record<string, Block[]>))
          target[type][resourceName] = blocks[0] as Block;
      }
    }
  }
  return module;
}

export function resource(module: TerraformModule, type: string, name: string): Block {
  const found = module.resources[type]?.[name];
  if (!found) throw new Error(`${path.basename(module.dir)}: no resource ${type}.${name}`);
  return found;
}

export function allTfFiles(): string[] {
  return ALL_MODULE_NAMES.flatMap((name) =>
    readdirSync(path.join(TERRAFORM_ROOT, name))
      .filter((file) => file.endsWith('.tf'))
      .map((file) => path.join(TERRAFORM_ROOT, name, file)),
  );
}

export function readPins(): {
  terraform: string;
  k3s: { version: string; arm64_sha256: string; airgap_images_arm64_sha256: string };
} {
  return JSON.parse(readFileSync(path.join(TERRAFORM_ROOT, 'versions.json'), 'utf8'));
}

/**
 * The regular expression inside a validation like `can(regex("^t4g\\.(...)$", var.x))`, as a JS RegExp.
 * HCL string escapes are JSON's for what these patterns use.
 */
export function validationRegex(variable: Block): RegExp {
  for (const validation of variable.validation ?? []) {
    const match = /regex\(("(?:[^"\\]|\\.)*")/.exec(String(validation.condition));
    if (match) return new RegExp(JSON.parse(match[1] as string));
  }
  throw new Error('variable has no regex validation');
}

export function exists(...parts: string[]): boolean {
  return existsSync(path.join(TERRAFORM_ROOT, ...parts));
}
