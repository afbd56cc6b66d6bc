/** The parts of GitHub's REST response shapes that standby reads (docs.github.com/rest/actions). */
export interface GitHubUser {
  login: string;
  id: number;
  html_url?: string;
}

export interface GitHubEnvironment {
  id: number;
  name: string;
  html_url?: string;
}

/**
 * GET /repos/{o}/{r}/actions/runs/{id}/approvals: the review log (no timestamps in the API). GitHub's
 * schema allows 'pending' too (a comment without a decision).
 */
export interface RunApproval {
  state: 'approved' | 'rejected' | 'pending';
  comment: string;
  user: GitHubUser;
  environments: GitHubEnvironment[];
}

/** GET /repos/{o}/{r}/actions/runs/{id}/pending_deployments */
export interface PendingDeployment {
  environment: GitHubEnvironment;
  wait_timer: number;
  wait_timer_started_at: string | null;
  current_user_can_approve: boolean;
  reviewers: { type: 'User' | 'Team'; reviewer: { login?: string; slug?: string; name?: string } }[];
}

export interface WorkflowRun {
  id: number;
  name: string | null;
  run_number: number;
  run_attempt?: number;
  event: string;
  status: string | null;
  conclusion: string | null;
  workflow_id: number;
  /** The workflow file, e.g. .github/workflows/drill.yml (GitHub adds @<ref> for some runs). */
  path?: string;
  head_sha: string;
  html_url: string;
  created_at: string;
  updated_at: string;
  run_started_at?: string;
  /** The branch the run ran on (null for some events); with `path`, what proves where a receipt came from. */
  head_branch?: string | null;
  /** Who started the run, and who started this attempt (a re-run can be started by someone else). */
  actor?: GitHubUser;
  triggering_actor?: GitHubUser;
  repository?: { full_name: string };
}

export interface WorkflowJob {
  id: number;
  run_id: number;
  name: string;
  status: string;
  conclusion: string | null;
  started_at: string;
  completed_at: string | null;
  html_url: string | null;
  /** The job's steps (name, status, conclusion), as GET .../runs/{id}/jobs lists them. */
  steps?: { name: string; status: string; conclusion: string | null; number: number }[];
}
