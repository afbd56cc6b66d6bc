/** One entry of `terraform output -json`. */
interface RawOutput {
  sensitive?: boolean;
  type?: unknown;
  value?: unknown;
}

export interface PublicOutputs {
  values: Record<string, unknown>;
  /** Names of outputs left out because Terraform marks them sensitive (their values never leave). */
  withheld: string[];
}

/** Parses `terraform output -json` and drops every sensitive output. */
export function publicOutputs(json: string): PublicOutputs {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json.trim() === '' ? '{}' : json);
  } catch {
    throw new Error('terraform output -json did not print JSON');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new Error('terraform output -json did not print an object');
  }
  const values: Record<string, unknown> = {};
  const withheld: string[] = [];
  for (const [name, entry] of Object.entries(parsed as Record<string, RawOutput>)) {
    if (entry === null || typeof entry !== 'object' || !('value' in entry)) {
      throw new Error(`terraform output '${name}' has no value field`);
    }
    if (entry.sensitive !== false) withheld.push(name);
    else values[name] = entry.value;
  }
  return { values, withheld: withheld.sort() };
}
