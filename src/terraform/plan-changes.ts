/** One resource change in a saved plan, as `terraform show -json <plan>` reports it. */
export interface PlannedChange {
  address: string;
  actions: string[];
}

/**
 * The resource changes of a plan, sorted by address, no-ops left out. This is what a plan-only drill
 * records: unlike the plan file itself (which embeds timestamps), it is the same for the same plan.
 */
export function plannedChanges(showJson: string): PlannedChange[] {
  let plan: { resource_changes?: { address?: unknown; change?: { actions?: unknown } }[] };
  try {
    plan = JSON.parse(showJson);
  } catch {
    throw new Error('terraform show -json did not print JSON');
  }
  return (plan.resource_changes ?? [])
    .map((rc) => ({
      address: String(rc.address ?? ''),
      actions: Array.isArray(rc.change?.actions) ? rc.change.actions.map(String) : [],
    }))
    .filter((rc) => rc.address !== '' && !(rc.actions.length === 1 && rc.actions[0] === 'no-op'))
    .sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
}
