// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Terraform and shell interpolations such as ${var.x} are literal strings here
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { parse as parseYaml } from 'yaml';
import { loadModule, readPins } from '../helpers/terraform-modules.js';
import { renderTemplate, ShellSandbox } from './user-data-sandbox.js';

const RUNNER = path.resolve('terraform/runner');
const read = (file: string) => readFileSync(path.join(RUNNER, file), 'utf8');
const base64 = (text: string) => Buffer.from(text).toString('base64');

/** The user data exactly as main.tf's templatefile() call renders it, for the pinned k3s by default. */
function renderUserData(overrides: Record<string, string | number> = {}): string {
  const pins = readPins();
  return renderTemplate(read('user-data.sh.tftpl'), {
    k3s_version: pins.k3s.version,
    k3s_sha256: pins.k3s.arm64_sha256,
    k3s_url: `https://github.com/k3s-io/k3s/releases/download/${encodeURIComponent(pins.k3s.version)}/k3s-arm64`,
    k3s_images_url: `https://github.com/k3s-io/k3s/releases/download/${encodeURIComponent(pins.k3s.version)}/k3s-airgap-images-arm64.tar.zst`,
    k3s_images_sha256: pins.k3s.airgap_images_arm64_sha256,
    k3s_ready_timeout_seconds: 600,
    target_kind: 'k3s',
    eks_cluster_name: '',
    region: 'eu-west-1',
    expiry_watchdog_b64: base64(read('expiry-watchdog.sh')),
    ecr_credential_provider_b64: base64(read('ecr-credential-provider.sh')),
    ...overrides,
  });
}

function shellcheck(script: string) {
  // shellcheck is installed by `scripts/bootstrap.sh --test-tools`; a finding fails with its text.
  return execFileSync('shellcheck', ['--shell=bash', '--severity=style', '-'], {
    input: script,
    encoding: 'utf8',
  });
}

describe('runner user data: what main.tf passes and what the template uses', () => {
  it('templatefile() gets exactly the variables the template uses, nothing per-run', async () => {
    const runner = await loadModule('runner');
    const call = String(runner.resources.aws_instance?.runner?.user_data);
    const passed = [...call.matchAll(/^\s*([a-z0-9_]+)\s*=/gm)].map((m) => m[1]).sort();
    const used = [
      ...new Set([...read('user-data.sh.tftpl').matchAll(/(?<!\$)\$\{([a-z0-9_]+)\}/g)].map((m) => m[1])),
    ].sort();
    expect(used).toEqual(passed);
    // A new expiry or run id must change tags only: user data changes stop and start the instance.
    for (const perRun of ['expires_at', 'kind', 'execution_id', 'github_run_id', 'name', 'state_key'])
      expect(call).not.toContain(`var.${perRun}`);
    expect(call).toContain('base64encode(file("${path.module}/expiry-watchdog.sh"))');
    expect(call).toContain('base64encode(file("${path.module}/ecr-credential-provider.sh"))');
  });

  it('downloads exactly the pinned release asset and checks the pinned sha256', () => {
    const script = renderUserData();
    const pins = readPins();
    expect(script).toContain(
      `'https://github.com/k3s-io/k3s/releases/download/${pins.k3s.version.replace('+', '%2B')}/k3s-arm64'`,
    );
    expect(script).toContain(`echo '${pins.k3s.arm64_sha256}  '"$workdir/k3s" | sha256sum --check --strict`);
    expect(script).toMatch(/^set -euo pipefail$/m);
  });

  it('downloads the air-gap image bundle of the same pinned release and checks its pinned sha256, before k3s starts', () => {
    const script = renderUserData();
    const pins = readPins();
    const bundle = `'https://github.com/k3s-io/k3s/releases/download/${pins.k3s.version.replace('+', '%2B')}/k3s-airgap-images-arm64.tar.zst'`;
    expect(script).toContain(bundle);
    const check = `echo '${pins.k3s.airgap_images_arm64_sha256}  '"$workdir/k3s-airgap-images-arm64.tar.zst" | sha256sum --check --strict`;
    expect(script).toContain(check);
    const install = '"$root/var/lib/rancher/k3s/agent/images/k3s-airgap-images-arm64.tar.zst"';
    const start = script.indexOf('systemctl enable --now k3s');
    expect(
      [script.indexOf(bundle), script.indexOf(check), script.indexOf(install)].every(
        (i) => i > 0 && i < start,
      ),
    ).toBe(true);
    expect(script.indexOf(check)).toBeLessThan(script.indexOf(install)); // checked, then installed
  });

  it('the pinned hashes are sha256 digests, and main.tf refuses malformed ones before creating anything', async () => {
    const pins = readPins();
    expect(pins.k3s.arm64_sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(pins.k3s.airgap_images_arm64_sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(pins.k3s.airgap_images_arm64_sha256).not.toBe(pins.k3s.arm64_sha256);
    const runner = await loadModule('runner');
    const preconditions = runner.resources.aws_instance?.runner?.lifecycle?.[0]?.precondition ?? [];
    const condition = preconditions.map((p: { condition: string }) => String(p.condition)).join(' ');
    expect(condition).toContain('regex("^[0-9a-f]{64}$", local.pins.k3s.airgap_images_arm64_sha256)');
    expect(condition).toContain('regex("^[0-9a-f]{64}$", local.pins.k3s.arm64_sha256)');
  });

  it('is valid bash, shellcheck-clean once rendered, and under the 16 KB EC2 user data limit', () => {
    const script = renderUserData();
    execFileSync('bash', ['-n'], { input: script });
    expect(() => shellcheck(script)).not.toThrow();
    expect(() => shellcheck(read('expiry-watchdog.sh'))).not.toThrow();
    expect(() => shellcheck(read('ecr-credential-provider.sh'))).not.toThrow();
    expect(Buffer.byteLength(script)).toBeLessThan(16 * 1024);
  });

  it('the timer runs the installed watchdog every minute', () => {
    const script = renderUserData();
    const timer = /standby-expiry\.timer" <<'UNIT'\n([\s\S]*?)\nUNIT/.exec(script)?.[1] ?? '';
    const service = /standby-expiry\.service" <<'UNIT'\n([\s\S]*?)\nUNIT/.exec(script)?.[1] ?? '';
    expect(timer).toMatch(/^OnUnitActiveSec=1min$/m);
    expect(timer).toMatch(/^OnActiveSec=1min$/m);
    expect(timer).toMatch(/^WantedBy=timers\.target$/m);
    expect(service).toMatch(/^Type=oneshot$/m);
    expect(service).toMatch(/^ExecStart=\/usr\/local\/sbin\/standby-expiry-check$/m);
    expect(script).toContain('base64 -d >"$root/usr/local/sbin/standby-expiry-check"');
  });
});

/**
 * A fake k3s release binary: answers /readyz ok from the READY_AFTER-th call on (never when 0). With
 * `kubectl --kubeconfig=<file>` (the eks kubectl host's client) the file must exist: no kubeconfig, no cluster.
 */
const FAKE_K3S = `#!/bin/bash
name=\${0##*/}
echo "$name $*" >>"$CALLS"
request="$*"
[ "$name" = kubectl ] && request="kubectl $*"
case $request in "kubectl --kubeconfig="*)
  kubeconfig=\${request#kubectl --kubeconfig=}; kubeconfig=\${kubeconfig%% *}
  [ -f "$kubeconfig" ] || { echo 'no kubeconfig' >&2; exit 1; }
  request="kubectl \${request#kubectl --kubeconfig=* }";;
esac
if [ "$request" = "kubectl get --raw /readyz" ]; then
  n=$(( $(cat "$SANDBOX/readyz-calls" 2>/dev/null || echo 0) + 1 )); echo "$n" >"$SANDBOX/readyz-calls"
  if [ "\${READY_AFTER:-1}" -gt 0 ] && [ "$n" -ge "\${READY_AFTER:-1}" ]; then echo ok; exit 0; fi
  echo 'The connection to the server 127.0.0.1:6443 was refused' >&2; exit 1
fi
`;

function bootSandbox(options: { skipTools?: string[]; k3sContent?: string; imagesContent?: string } = {}) {
  const box = new ShellSandbox();
  box.write('k3s-release', FAKE_K3S);
  box.write('images-release', options.imagesContent ?? 'zstd-compressed image tarball stand-in\n');
  box.stub('systemctl', '');
  // dnf "installs" each package as a command on PATH (awscli-2 provides aws), except those skipped.
  const skip = (options.skipTools ?? []).join(' ');
  box.stub(
    'dnf',
    `for pkg in "$@"; do case $pkg in -*|install) continue;; awscli-2) pkg=aws;; esac
       case " ${skip} " in *" $pkg "*) continue;; esac
       printf '#!/bin/sh\\n' >"$STUBS/$pkg"; chmod +x "$STUBS/$pkg"; done`,
  );
  box.stub(
    'curl',
    `out=""; url=""; while [ $# -gt 0 ]; do case $1 in --output) out=$2;; https:*) url=$1;; esac; shift; done
     case $url in */k3s-arm64) cp "$SANDBOX/k3s-release" "$out";; */k3s-airgap-images-arm64.tar.zst) cp "$SANDBOX/images-release" "$out";; *) exit 22;; esac`,
  );
  // A fake clock: sleep advances what `date +%s` answers, so a readiness deadline passes instantly.
  box.stub('sleep', 'echo $(( $(cat "$SANDBOX/clock" 2>/dev/null || echo 0) + $1 )) >"$SANDBOX/clock"');
  box.stub(
    'date',
    `if [ "$*" = "+%s" ]; then echo $(( $(${box.system}/date +%s) + $(cat "$SANDBOX/clock" 2>/dev/null || echo 0) )); else exec ${box.system}/date "$@"; fi`,
  );
  if (options.k3sContent !== undefined) box.write('k3s-release', options.k3sContent);
  const sha = (file: string) =>
    createHash('sha256')
      .update(readFileSync(box.path(file)))
      .digest('hex');
  return { box, k3sSha: sha('k3s-release'), imagesSha: sha('images-release') };
}

function boot(
  options: {
    skipTools?: string[];
    readyAfter?: number;
    pinnedSha?: string;
    pinnedImagesSha?: string;
    /** An eks target: the cluster's name; `aws` then answers update-kubeconfig (unless it fails). */
    eks?: { cluster: string; updateKubeconfigFails?: boolean };
  } = {},
) {
  const { box, k3sSha, imagesSha } = bootSandbox({
    ...options,
    skipTools: [...(options.skipTools ?? []), ...(options.eks ? ['aws'] : [])],
  });
  if (options.eks)
    box.stub(
      'aws',
      options.eks.updateKubeconfigFails
        ? 'echo "An error occurred (ResourceNotFoundException) when calling the DescribeCluster operation: No cluster found" >&2; exit 254'
        : `out=""; while [ $# -gt 0 ]; do case $1 in --kubeconfig) out=$2; shift;; esac; shift; done
           [ -n "$out" ] || exit 2
           printf 'apiVersion: v1\nkind: Config\n' >"$out"`,
    );
  const script = renderUserData({
    k3s_sha256: options.pinnedSha ?? k3sSha,
    k3s_images_sha256: options.pinnedImagesSha ?? imagesSha,
    k3s_ready_timeout_seconds: 60,
    ...(options.eks ? { target_kind: 'eks', eks_cluster_name: options.eks.cluster } : {}),
  });
  const result = box.run(script, {
    STANDBY_ROOT: box.root,
    SANDBOX: box.dir,
    STUBS: box.stubs,
    READY_AFTER: String(options.readyAfter ?? 3),
  });
  const marker = path.join(box.root, 'var/lib/standby/ready.json');
  const log = () => readFileSync(path.join(box.root, 'var/log/standby-user-data.log'), 'utf8');
  return { box, result, marker, log };
}

describe('runner user data, run against a scratch root with stub commands', () => {
  it('happy path: watchdog first, then tools, k3s, the credential provider, k3s start, /readyz, and the marker last', () => {
    const { box, result, marker, log } = boot();
    expect(result.status).toBe(0);
    const calls = box.calls().map((line) => line.replace(/ --output \S+/g, '').replace(/ https:\S+\//g, ' '));
    const curl =
      'curl --fail --silent --show-error --location --proto =https --tlsv1.2 --retry 5 --retry-delay 5 --retry-all-errors';
    const order = [
      'systemctl enable --now standby-expiry.timer',
      'dnf install -y zstd tar jq awscli-2',
      `${curl} k3s-arm64`,
      `${curl} k3s-airgap-images-arm64.tar.zst`,
      'systemctl enable --now k3s',
      'k3s kubectl get --raw /readyz',
    ];
    const positions = order.map((call) => calls.indexOf(call));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(calls.filter((c) => c === 'k3s kubectl get --raw /readyz')).toHaveLength(3); // waited for ok
    expect(log()).toMatch(
      /step 1 dead-man switch[\s\S]*step 2 tools[\s\S]*step 3 k3s[\s\S]*step 4 ECR[\s\S]*step 5 start k3s[\s\S]*answers \/readyz ok[\s\S]*step 6 ready marker[\s\S]*standby: ready\n$/,
    );

    const ready = JSON.parse(readFileSync(marker, 'utf8'));
    expect(ready).toEqual({
      ready_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      k3s_version: readPins().k3s.version,
      readyz: 'ok',
      tools: ['jq', 'zstd', 'tar', 'aws'],
    });
    expect(existsSync(`${marker}.tmp`)).toBe(false);
    // Nothing the boot wrote is newer than the marker.
    const written = [
      'usr/local/bin/k3s',
      'var/lib/rancher/k3s/agent/images/k3s-airgap-images-arm64.tar.zst',
      'var/lib/standby/runner.json',
      'var/lib/rancher/credentialprovider/config.yaml',
      'etc/systemd/system/k3s.service',
      'usr/local/sbin/standby-expiry-check',
    ];
    for (const file of written)
      expect(statSync(path.join(box.root, file)).mtimeMs).toBeLessThanOrEqual(statSync(marker).mtimeMs);
    // The watchdog and the credential provider are installed byte for byte and executable.
    expect(readFileSync(path.join(box.root, 'usr/local/sbin/standby-expiry-check'), 'utf8')).toBe(
      read('expiry-watchdog.sh'),
    );
    const provider = path.join(box.root, 'var/lib/rancher/credentialprovider/bin/ecr-credential-provider');
    expect(readFileSync(provider, 'utf8')).toBe(read('ecr-credential-provider.sh'));
    expect(statSync(provider).mode & 0o111).toBe(0o111);
  });

  it('k3s never answers /readyz: fails after the deadline and writes no marker', () => {
    const { result, marker, log } = boot({ readyAfter: 0 });
    expect(result.status).not.toBe(0);
    expect(existsSync(marker)).toBe(false);
    expect(log()).toContain('k3s did not answer /readyz ok within 60 s; no ready marker');
  });

  it('a tool missing after dnf: fails naming it and writes no marker', () => {
    const { result, marker, log } = boot({ skipTools: ['aws'] });
    expect(result.status).not.toBe(0);
    expect(existsSync(marker)).toBe(false);
    expect(log()).toContain('standby: aws is not installed; no ready marker');
  });

  it('a k3s download that does not match the pinned sha256 is never installed or started', () => {
    const { box, result, marker } = boot({ pinnedSha: 'f'.repeat(64) });
    expect(result.status).not.toBe(0);
    expect(existsSync(path.join(box.root, 'usr/local/bin/k3s'))).toBe(false);
    expect(box.calls()).not.toContain('systemctl enable --now k3s');
    expect(existsSync(marker)).toBe(false);
    // ...but the dead-man switch is already armed.
    expect(box.calls()).toContain('systemctl enable --now standby-expiry.timer');
  });

  it("the air-gap image bundle lands byte for byte in k3s's agent/images directory before k3s starts", () => {
    const { box, result } = boot();
    expect(result.status).toBe(0);
    const installed = path.join(box.root, 'var/lib/rancher/k3s/agent/images/k3s-airgap-images-arm64.tar.zst');
    expect(readFileSync(installed, 'utf8')).toBe(readFileSync(box.path('images-release'), 'utf8'));
    const runner = JSON.parse(readFileSync(path.join(box.root, 'var/lib/standby/runner.json'), 'utf8'));
    expect(runner.k3s_images_sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('an image bundle that does not match the pinned sha256 is never installed, and k3s never starts', () => {
    const { box, result, marker } = boot({ pinnedImagesSha: 'e'.repeat(64) });
    expect(result.status).not.toBe(0);
    expect(
      existsSync(path.join(box.root, 'var/lib/rancher/k3s/agent/images/k3s-airgap-images-arm64.tar.zst')),
    ).toBe(false);
    expect(box.calls()).not.toContain('systemctl enable --now k3s');
    expect(existsSync(marker)).toBe(false);
  });

  it('the credential provider is configured before k3s first starts (k3s only enables it if present at start)', () => {
    const script = renderUserData();
    expect(script).toContain('credprov="$root/var/lib/rancher/credentialprovider"');
    expect(script.indexOf('>"$credprov/config.yaml"')).toBeGreaterThan(0);
    expect(script.indexOf('>"$credprov/config.yaml"')).toBeLessThan(
      script.indexOf('systemctl enable --now k3s'),
    );
    const config = parseYaml(/credprov\/config.yaml" <<'YAML'\n([\s\S]*?)\nYAML/.exec(script)?.[1] ?? '');
    expect(config).toMatchObject({
      apiVersion: 'kubelet.config.k8s.io/v1',
      kind: 'CredentialProviderConfig',
    });
    const [provider] = config.providers;
    // The kubelet runs <bin dir>/<name>: the name must be the installed file's name.
    expect(provider.name).toBe('ecr-credential-provider');
    expect(script).toContain('"$credprov/bin/ecr-credential-provider"');
    expect(provider.apiVersion).toBe('credentialprovider.kubelet.k8s.io/v1');
    expect(provider.matchImages).toContain('*.dkr.ecr.*.amazonaws.com');
    expect(provider.defaultCacheDuration).toBe('6h');
  });
});

describe('runner user data on an eks target: the kubectl host of the existing cluster', () => {
  const kubeconfig = (box: ShellSandbox) => path.join(box.root, 'var/lib/standby/kubeconfig');

  it('installs the pinned binary as kubectl only, writes the kubeconfig, waits for the cluster, never starts k3s', () => {
    const { box, result, marker, log } = boot({ eks: { cluster: 'prod' } });
    expect(result.status).toBe(0);
    const calls = box.calls().map((line) => line.replace(/ --output \S+/g, '').replace(/ https:\S+\//g, ' '));
    const readyz = `k3s kubectl --kubeconfig=${kubeconfig(box)} get --raw /readyz`;
    const order = [
      'systemctl enable --now standby-expiry.timer',
      'dnf install -y zstd tar jq awscli-2',
      'curl --fail --silent --show-error --location --proto =https --tlsv1.2 --retry 5 --retry-delay 5 --retry-all-errors k3s-arm64',
      `aws eks update-kubeconfig --name prod --region eu-west-1 --kubeconfig ${kubeconfig(box)}`,
      readyz,
    ];
    const positions = order.map((call) => calls.indexOf(call));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(calls.filter((c) => c === readyz)).toHaveLength(3);
    // Nothing of the k3s server: no image bundle, no k3s config or unit, no credential provider, no start.
    expect(calls.some((c) => c.includes('k3s-airgap-images'))).toBe(false);
    expect(calls).not.toContain('systemctl enable --now k3s');
    for (const file of [
      'var/lib/rancher/k3s/agent/images/k3s-airgap-images-arm64.tar.zst',
      'etc/rancher/k3s/config.yaml',
      'etc/systemd/system/k3s.service',
      'var/lib/rancher/credentialprovider/config.yaml',
    ])
      expect([file, existsSync(path.join(box.root, file))]).toEqual([file, false]);
    expect(statSync(kubeconfig(box)).mode & 0o777).toBe(0o600);
    expect(log()).toMatch(
      /step 3 k3s[\s\S]*step 4 kubeconfig for EKS cluster prod[\s\S]*step 5 the EKS cluster answers[\s\S]*EKS cluster prod answers \/readyz ok[\s\S]*step 6 ready marker[\s\S]*standby: ready\n$/,
    );
    expect(JSON.parse(readFileSync(marker, 'utf8'))).toEqual({
      ready_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      k3s_version: readPins().k3s.version,
      readyz: 'ok',
      tools: ['jq', 'zstd', 'tar', 'aws'],
      target_kind: 'eks',
      eks_cluster_name: 'prod',
    });
  });

  it('the cluster never answers (endpoint unreachable, or no access entry): fails after the deadline, no marker', () => {
    const { result, marker, log } = boot({ eks: { cluster: 'prod' }, readyAfter: 0 });
    expect(result.status).not.toBe(0);
    expect(existsSync(marker)).toBe(false);
    expect(log()).toContain('EKS cluster prod did not answer /readyz ok within 60 s');
  });

  it('a cluster the runner cannot describe: update-kubeconfig fails, nothing waits, no marker', () => {
    const { box, result, marker } = boot({ eks: { cluster: 'prod', updateKubeconfigFails: true } });
    expect(result.status).not.toBe(0);
    expect(existsSync(marker)).toBe(false);
    expect(box.calls().some((c) => c.includes('get --raw /readyz'))).toBe(false);
  });

  it('a binary that does not match the pinned sha256 is never installed as kubectl', () => {
    const { box, result, marker } = boot({ eks: { cluster: 'prod' }, pinnedSha: 'f'.repeat(64) });
    expect(result.status).not.toBe(0);
    expect(existsSync(path.join(box.root, 'usr/local/bin/kubectl'))).toBe(false);
    expect(box.calls().some((c) => c.startsWith('aws eks'))).toBe(false);
    expect(existsSync(marker)).toBe(false);
  });

  it('refuses a target kind it does not know, before installing anything', () => {
    const box = new ShellSandbox();
    box.stub('systemctl', '');
    const result = box.run(renderUserData({ target_kind: 'k8s' }), { STANDBY_ROOT: box.root });
    expect(result.status).not.toBe(0);
    expect(readFileSync(path.join(box.root, 'var/log/standby-user-data.log'), 'utf8')).toContain(
      "standby: unknown target kind 'k8s'",
    );
    expect(box.calls()).toEqual([]);
  });

  it('is shellcheck-clean for eks as well, and main.tf passes the kind, cluster and region (per deployment)', async () => {
    expect(shellcheck(renderUserData({ target_kind: 'eks', eks_cluster_name: 'prod' }))).toBe('');
    const runner = await loadModule('runner');
    const call = String(runner.resources.aws_instance?.runner?.user_data);
    expect(call).toMatch(/target_kind\s+= var\.target_kind/);
    expect(call).toMatch(/eks_cluster_name\s+= var\.eks_cluster_name/);
    expect(call).toMatch(/region\s+= var\.region/);
  });
});

/** IMDSv2 as the watchdog sees it: a token from PUT /latest/api/token, then GETs that carry the token. */
function watchdogSandbox(
  tags: Record<string, string>,
  options: { imdsDown?: boolean; cache?: Record<string, string> } = {},
) {
  const box = new ShellSandbox();
  for (const [key, value] of Object.entries(tags)) box.write(`imds/tags/instance/${key}`, value);
  for (const [file, value] of Object.entries(options.cache ?? {})) box.write(`state/${file}`, `${value}\n`);
  box.stub(
    'curl',
    `${options.imdsDown ? 'exit 7' : ''}
     method=GET token=""; url=""
     while [ $# -gt 0 ]; do case $1 in -X) method=$2; shift;; -H) case $2 in X-aws-ec2-metadata-token:*) token=\${2#*: };; esac; shift;; http*) url=$1;; esac; shift; done
     case $url in */latest/api/token) [ "$method" = PUT ] || exit 22; echo -n TOKEN-1; exit 0;; esac
     [ "$token" = TOKEN-1 ] || exit 22
     file="$SANDBOX/imds/\${url#*/latest/meta-data/}"; [ -f "$file" ] || exit 22; cat "$file"`,
  );
  box.stub('shutdown', '');
  const run = () =>
    box.run(read('expiry-watchdog.sh'), { STANDBY_STATE_DIR: box.path('state'), SANDBOX: box.dir });
  const shutdowns = () => box.calls().filter((c) => c.startsWith('shutdown'));
  const cached = (file: string) => readFileSync(box.path('state', file), 'utf8').trim();
  return { box, run, shutdowns, cached };
}

const inMinutes = (minutes: number) =>
  new Date(Date.now() + minutes * 60_000).toISOString().replace(/\.\d+Z$/, 'Z');

describe('expiry watchdog (the dead-man switch)', () => {
  it.each(['drill', 'dr'])('%s: before the expiry it keeps running and remembers the expiry', (kind) => {
    const expires = inMinutes(30);
    const w = watchdogSandbox({ 'standby-kind': kind, 'standby-expires-at': expires });
    const result = w.run();
    expect(result.status).toBe(0);
    expect(w.shutdowns()).toEqual([]);
    expect(w.cached('expires-at')).toBe(expires);
    expect(w.cached('kind')).toBe(kind);
    expect(result.stdout).toMatch(/expires at .* \(from imds\), (29|30) min left/);
  });

  it.each(['drill', 'dr'])('%s: past the expiry it shuts the instance down (terminate)', (kind) => {
    const w = watchdogSandbox({ 'standby-kind': kind, 'standby-expires-at': inMinutes(-1) });
    expect(w.run().status).toBe(0);
    expect(w.shutdowns()).toEqual(['shutdown -h now']);
  });

  it.each(['dr', 'drill'])(
    '%s: a serving standby (activation wrote the marker) is never shut down by the clock (issue 20.2)',
    (kind) => {
      const w = watchdogSandbox(
        { 'standby-kind': kind, 'standby-expires-at': inMinutes(-60) },
        { cache: { serving: '{"serving":true,"execution_id":"alarm-1"}' } },
      );
      const result = w.run();
      expect(result.status).toBe(0);
      expect(w.shutdowns()).toEqual([]);
      expect(result.stdout).toContain('serving standby');
    },
  );

  it('an extended tag wins over an older, already passed value it read before', () => {
    const extended = inMinutes(45);
    const w = watchdogSandbox(
      { 'standby-kind': 'drill', 'standby-expires-at': extended },
      { cache: { kind: 'drill', 'expires-at': inMinutes(-5) } },
    );
    w.run();
    expect(w.shutdowns()).toEqual([]);
    expect(w.cached('expires-at')).toBe(extended);
  });

  it('IMDS down, drill: falls back to the last expiry read and still shuts down past it', () => {
    const w = watchdogSandbox({}, { imdsDown: true, cache: { kind: 'drill', 'expires-at': inMinutes(-2) } });
    const result = w.run();
    expect(w.shutdowns()).toEqual(['shutdown -h now']);
    expect(result.stdout).toContain('drill runner: using the last value read');
  });

  it('IMDS down, drill, cached expiry still ahead: keeps running', () => {
    const w = watchdogSandbox({}, { imdsDown: true, cache: { kind: 'drill', 'expires-at': inMinutes(20) } });
    w.run();
    expect(w.shutdowns()).toEqual([]);
  });

  it('IMDS down, dr: never shuts a real standby down on a metadata failure', () => {
    const w = watchdogSandbox({}, { imdsDown: true, cache: { kind: 'dr', 'expires-at': inMinutes(-60) } });
    const result = w.run();
    expect(result.status).toBe(0);
    expect(w.shutdowns()).toEqual([]);
    expect(result.stdout).toContain('kind=dr: not shutting down');
  });

  it('nothing ever read (kind unknown): treated as dr, keeps running', () => {
    const w = watchdogSandbox({}, { imdsDown: true });
    expect(w.run().status).toBe(0);
    expect(w.shutdowns()).toEqual([]);
  });

  it('tags not exposed in IMDS (404) behave like IMDS down', () => {
    const w = watchdogSandbox({ 'standby-kind': 'drill' }, { cache: { 'expires-at': inMinutes(-1) } });
    w.run();
    expect(w.shutdowns()).toEqual(['shutdown -h now']);
  });

  it.each(['tomorrow', '2026-11-28 10:00:00', '2026-13-45T99:00:00Z', ''])(
    'a malformed tag value (%j) is not trusted: drill falls back to the cached value',
    (value) => {
      const cached = inMinutes(15);
      const w = watchdogSandbox(
        { 'standby-kind': 'drill', 'standby-expires-at': value },
        { cache: { 'expires-at': cached } },
      );
      w.run();
      expect(w.shutdowns()).toEqual([]);
      expect(w.cached('expires-at')).toBe(cached);
    },
  );

  it('uses IMDSv2: without the session token the stub IMDS answers nothing', () => {
    const w = watchdogSandbox({ 'standby-kind': 'drill', 'standby-expires-at': inMinutes(-1) });
    w.run();
    const curls = w.box.calls().filter((c) => c.startsWith('curl'));
    expect(curls[0]).toMatch(/-X PUT http:\/\/169\.254\.169\.254\/latest\/api\/token/);
    const reads = curls.filter((c) => !c.includes('-X PUT'));
    expect(reads.map((c) => c.replace(/.* http/, 'http'))).toEqual([
      'http://169.254.169.254/latest/meta-data/tags/instance/standby-kind',
      'http://169.254.169.254/latest/meta-data/tags/instance/standby-expires-at',
    ]);
    expect(reads.every((c) => c.includes('X-aws-ec2-metadata-token: TOKEN-1'))).toBe(true);
  });
});

describe('ECR credential provider (kubelet exec plugin)', () => {
  let box: ShellSandbox;
  beforeAll(() => {
    box = new ShellSandbox();
    box.link('jq');
    box.stub(
      'aws',
      '[ -n "${AWS_FAIL:-}" ] && { echo "Unable to locate credentials" >&2; exit 255; }; echo "eyJwYXlsb2FkIjoi-TOKEN"',
    );
  });
  const request = (image: string) =>
    JSON.stringify({
      apiVersion: 'credentialprovider.kubelet.k8s.io/v1',
      kind: 'CredentialProviderRequest',
      image,
    });
  const run = (image: string, env: Record<string, string> = {}) =>
    box.run(read('ecr-credential-provider.sh'), { STDIN: request(image), ...env });

  it('answers a fresh token for the image registry, with the region taken from the host', () => {
    const image = `123456789012.dkr.ecr.eu-west-1.amazonaws.com/app/batch@sha256:${'a'.repeat(64)}`;
    const result = run(image);
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      apiVersion: 'credentialprovider.kubelet.k8s.io/v1',
      kind: 'CredentialProviderResponse',
      cacheKeyType: 'Registry',
      cacheDuration: '6h',
      auth: {
        '123456789012.dkr.ecr.eu-west-1.amazonaws.com': {
          username: 'AWS',
          password: 'eyJwYXlsb2FkIjoi-TOKEN',
        },
      },
    });
    expect(box.calls()).toContain('aws ecr get-login-password --region eu-west-1');
    // The token never appears on a command line.
    expect(box.calls().join('\n')).not.toContain('TOKEN');
  });

  it('refuses a registry that is not ECR, without asking AWS', () => {
    const before = box.calls().length;
    const result = run('ghcr.io/acme/app:1.0');
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain("'ghcr.io' is not an Amazon ECR registry");
    expect(box.calls().length).toBe(before);
  });

  it('fails with no output when AWS refuses the token (the kubelet then reports the pull error)', () => {
    const result = run('123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1', { AWS_FAIL: '1' });
    expect(result.status).not.toBe(0);
    expect(result.stdout).toBe('');
  });
});
