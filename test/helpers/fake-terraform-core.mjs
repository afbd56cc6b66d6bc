// A stand-in `terraform` for the tests, faithful where the tests rely on it (see fake-terraform.ts):
// - the S3 backend: `init -backend-config=...` is remembered per working directory; state lives at the
//   backend key in (emulated) S3 as a version-4 state document, encrypted with kms_key_id when given;
// - locking as Terraform's S3 backend does it: `<key>.tflock` written with If-None-Match and the DynamoDB
//   item LockID=<bucket>/<key> (Info = the lock's JSON), both released after the operation; a held lock
//   fails the operation with Terraform's "Error acquiring the state lock" and the holder's lock info;
//   the state's MD5 in the `<bucket>/<key>-md5` item (Digest);
// - variables: every variable without a default needs a value, for destroy too;
// - variables: the module's own validation blocks are evaluated (test/terraform/hcl-eval.ts) and a failing
//   one refuses the plan with its error_message, as Terraform's "Invalid value for variable" does;
// - apply creates an EC2 instance and a security group tagged from the variables (the runner contract),
//   in the region the `region` variable names; with target_kind = "eks" it also creates the execution's
//   node group in the named cluster through the EKS API (the cluster itself is looked up at plan, as the
//   module's data source does, and never created); destroy removes exactly what the state holds;
// - `plan -out` saves the state serial; applying a plan whose state moved on fails as stale.
// It does not wait for a held lock (-lock-timeout), and it ignores subnet_id (the emulator has no such subnet).
// What the emulator cannot answer is not checked: the cluster's authentication mode (moto's clusters have no
// accessConfig) and the runner role's access entry (moto answers CreateAccessEntry/DescribeAccessEntry with
// "Not yet implemented"); terraform/runner/eks.tf's postconditions and lookup are tested by test/terraform.
//
// One call is `runTerraform({ args, cwd, env })`, answering what the process would print and its exit code.
// fake-terraform-daemon.mjs runs the calls of a test file in one process (the AWS SDK loads once, not on
// every call), and the bash `terraform` fake-terraform.ts puts on PATH hands it each call.
import { createHash, randomUUID } from 'node:crypto';
import { appendFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, userInfo } from 'node:os';
import path from 'node:path';

// The AWS SDK and the HCL parser load once per process, and only for the commands that use them.
const once = (load) => {
  let loaded;
  return () => {
    loaded ??= load();
    return loaded;
  };
};
const sdk = {
  s3: once(() => import('@aws-sdk/client-s3')),
  dynamo: once(() => import('@aws-sdk/client-dynamodb')),
  ec2: once(() => import('@aws-sdk/client-ec2')),
  ssm: once(() => import('@aws-sdk/client-ssm')),
  eks: once(() => import('@aws-sdk/client-eks')),
};
// The same evaluator the Terraform tests use; Node runs the TypeScript file with type stripping.
const hclEval = once(() => import('../terraform/hcl-eval.ts'));

/** A non-zero exit, as the process would have ended. */
class Exit extends Error {
  constructor(code) {
    super(`exit ${code}`);
    this.code = code;
  }
}

/** One `terraform` call: what it prints and how it exits. `env` is the caller's environment. */
export async function runTerraform({ args, cwd, env }) {
  const output = { stdout: '', stderr: '', code: 0 };
  // What the call log records (test/helpers/fake-terraform.ts reads it): plan adds vars and planSha256.
  const entry = { args, cwd };
  const out = (text) => {
    output.stdout += text;
  };
  const outLine = (text) => out(`${text}\n`);
  const err = (text) => {
    output.stderr += text;
  };
  try {
    await call();
  } catch (error) {
    if (!(error instanceof Exit)) {
      err(`${error.stack ?? error}\n`);
      output.code = 1;
    } else output.code = error.code;
  } finally {
    appendFileSync(env.FAKE_TF_LOG, `${JSON.stringify(entry)}\n`);
  }
  return output;

  // ---------------------------------------------------------------------------------------------------
  async function call() {
    const command = args[0];
    const flag = (name) => (args.find((a) => a.startsWith(`${name}=`)) ?? '').slice(name.length + 1);
    const red = (s) => `\u001b[31m${s}\u001b[0m`;
    const bold = (s) => `\u001b[1m${s}\u001b[0m`;
    const backendFile = path.join(
      env.FAKE_TF_DIR,
      `backend-${createHash('sha256').update(cwd).digest('hex').slice(0, 16)}.json`,
    );

    function fail(message, code = 1) {
      err(`${red('Error: ')}${bold(message)}\n`);
      throw new Exit(code);
    }
    const inCwd = (file) => path.resolve(cwd, file);

    function backend() {
      if (!existsSync(backendFile)) fail('Backend initialization required, please run "terraform init"');
      return JSON.parse(readFileSync(backendFile, 'utf8'));
    }
    // Every client takes its endpoint and credentials from the caller's environment, as a terraform process
    // would: never from the daemon's (which has none).
    const access = (region) => ({
      region,
      endpoint: env.AWS_ENDPOINT_URL,
      credentials:
        env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY
          ? { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY }
          : undefined,
    });
    const s3 = async (b, command, input) => {
      const { S3Client, ...commands } = await sdk.s3();
      return new S3Client({ ...access(b.region), forcePathStyle: true }).send(new commands[command](input));
    };
    const dynamo = async (b, command, input) => {
      const { DynamoDBClient, ...commands } = await sdk.dynamo();
      return new DynamoDBClient(access(b.region)).send(new commands[command](input));
    };
    const ec2 = async (region, command, input) => {
      const { EC2Client, ...commands } = await sdk.ec2();
      return new EC2Client(access(region)).send(new commands[command](input));
    };
    const ssm = async (region, command, input) => {
      const { SSMClient, ...commands } = await sdk.ssm();
      return new SSMClient(access(region)).send(new commands[command](input));
    };
    const eks = async (region, command, input) => {
      const { EKSClient, ...commands } = await sdk.eks();
      return new EKSClient(access(region)).send(new commands[command](input));
    };
    const lockPath = (b) => `${b.bucket}/${b.key}`;

    async function readState(b) {
      try {
        const answer = await s3(b, 'GetObjectCommand', { Bucket: b.bucket, Key: b.key });
        const text = await answer.Body.transformToString();
        return text.trim() === '' ? undefined : JSON.parse(text);
      } catch (error) {
        if (error.name === 'NoSuchKey') return undefined;
        throw error;
      }
    }

    async function writeState(b, state) {
      const body = `${JSON.stringify(state, null, 2)}\n`;
      const encryption = b.kms_key_id
        ? { ServerSideEncryption: 'aws:kms', SSEKMSKeyId: b.kms_key_id }
        : { ServerSideEncryption: 'AES256' };
      await s3(b, 'PutObjectCommand', {
        Bucket: b.bucket,
        Key: b.key,
        Body: body,
        ContentType: 'application/json',
        ...encryption,
      });
      if (b.dynamodb_table) {
        const digest = createHash('md5').update(body).digest('hex');
        await dynamo(b, 'PutItemCommand', {
          TableName: b.dynamodb_table,
          Item: { LockID: { S: `${lockPath(b)}-md5` }, Digest: { S: digest } },
        });
      }
    }

    async function heldLock(b) {
      try {
        const answer = await s3(b, 'GetObjectCommand', { Bucket: b.bucket, Key: `${b.key}.tflock` });
        return JSON.parse(await answer.Body.transformToString());
      } catch {
        const item = await dynamo(b, 'GetItemCommand', {
          TableName: b.dynamodb_table,
          Key: { LockID: { S: lockPath(b) } },
        });
        return item.Item?.Info?.S ? JSON.parse(item.Item.Info.S) : { ID: '(unknown)' };
      }
    }

    function lockError(info) {
      fail(
        `Error acquiring the state lock\n\nError message: operation error: ConditionalCheckFailed (lock already held)\nLock Info:\n  ID:        ${info.ID}\n  Path:      ${info.Path}\n  Operation: ${info.Operation}\n  Who:       ${info.Who}\n  Version:   ${info.Version}\n  Created:   ${info.Created}\n  Info:      ${info.Info}\n\nTerraform acquires a state lock to protect the state from being written\nby multiple users at the same time.`,
      );
    }

    async function lock(b, operation) {
      if (!args.includes('-lock=true'))
        fail('the fake terraform expects -lock=true on every state operation');
      const info = {
        ID: randomUUID(),
        Operation: operation,
        Info: '',
        Who: `${userInfo().username}@${hostname()}`,
        Version: env.FAKE_TF_VERSION,
        Created: new Date().toISOString(),
        Path: lockPath(b),
      };
      try {
        await s3(b, 'PutObjectCommand', {
          Bucket: b.bucket,
          Key: `${b.key}.tflock`,
          Body: JSON.stringify(info),
          IfNoneMatch: '*',
        });
      } catch (error) {
        if (error.$metadata?.httpStatusCode === 412) lockError(await heldLock(b));
        throw error;
      }
      try {
        await dynamo(b, 'PutItemCommand', {
          TableName: b.dynamodb_table,
          Item: { LockID: { S: lockPath(b) }, Info: { S: JSON.stringify(info) } },
          ConditionExpression: 'attribute_not_exists(LockID)',
        });
      } catch (error) {
        await s3(b, 'DeleteObjectCommand', { Bucket: b.bucket, Key: `${b.key}.tflock` });
        if (error.name === 'ConditionalCheckFailedException') lockError(await heldLock(b));
        throw error;
      }
      return info;
    }

    async function unlock(b) {
      await s3(b, 'DeleteObjectCommand', { Bucket: b.bucket, Key: `${b.key}.tflock` });
      await dynamo(b, 'DeleteItemCommand', {
        TableName: b.dynamodb_table,
        Key: { LockID: { S: lockPath(b) } },
      });
    }

    /**
     * The working directory's variables: their defaults (none: no `default` key), validation blocks and
     * file, read the way Terraform reads them. The HCL parser is a WebAssembly build of Terraform's own that takes seconds to start, so the
     * answer is kept in FAKE_TF_DIR keyed by the .tf files' bytes: a changed file is parsed again.
     */
    async function declaredVariables() {
      const files = readdirSync(cwd)
        .filter((f) => f.endsWith('.tf'))
        .sort();
      const texts = files.map((file) => readFileSync(inCwd(file), 'utf8'));
      const digest = createHash('sha256')
        .update(JSON.stringify([files, texts]))
        .digest('hex');
      const cached = path.join(env.FAKE_TF_DIR, `variables-v2-${digest.slice(0, 16)}.json`);
      if (existsSync(cached)) return JSON.parse(readFileSync(cached, 'utf8'));
      const { parse } = await import('@cdktf/hcl2json');
      const declared = {};
      for (const [i, file] of files.entries()) {
        const parsed = await parse(file, texts[i]);
        for (const [name, blocks] of Object.entries(parsed.variable ?? {}))
          declared[name] = {
            ...('default' in blocks[0] ? { default: blocks[0].default } : {}),
            validation: blocks[0].validation ?? [],
            file,
          };
      }
      writeFileSync(cached, JSON.stringify(declared));
      return declared;
    }

    async function checkVariables(vars) {
      for (const [name, declared] of Object.entries(await declaredVariables())) {
        if ('default' in declared) continue;
        if (!(name in vars) && env[`TF_VAR_${name}`] === undefined)
          fail(
            `No value for required variable\n\n  on variables.tf: variable "${name}"\n\nThe root module input variable "${name}" is not set, and has no default value.\nUse a -var or -var-file command line argument to provide a value for this variable.`,
          );
      }
    }

    /** Each variable's value as the module sees it: given, else TF_VAR_<name>, else its default. */
    async function effectiveVariables(vars) {
      const values = {};
      for (const [name, declared] of Object.entries(await declaredVariables()))
        values[name] = name in vars ? vars[name] : (env[`TF_VAR_${name}`] ?? declared.default);
      return values;
    }

    /** Terraform evaluates every variable's validation blocks before planning and reports each failure. */
    async function validateVariables(vars) {
      const declared = await declaredVariables();
      const values = await effectiveVariables(vars);
      const { validationErrors } = await hclEval();
      const module = { variables: declared, locals: {}, resources: {}, data: {} };
      const failures = [];
      for (const [name, { file }] of Object.entries(declared))
        for (const message of validationErrors(module, name, values[name] ?? null, values))
          failures.push(
            `${red('Error: ')}${bold('Invalid value for variable')}\n\n  on ${file}: variable "${name}"\n\n${message}\n\nThis was checked by the validation rule in ${file}.\n`,
          );
      if (failures.length === 0) return;
      err(failures.join('\n'));
      throw new Exit(1);
    }

    /** The module's data "aws_eks_cluster" lookup: a missing cluster fails the plan. */
    async function lookUpCluster(values) {
      try {
        return (await eks(values.region, 'DescribeClusterCommand', { name: values.eks_cluster_name }))
          .cluster;
      } catch (error) {
        if (error.name === 'ResourceNotFoundException')
          fail(`reading EKS Cluster (${values.eks_cluster_name}): couldn't find resource`);
        throw error;
      }
    }

    function runnerTags(vars) {
      return {
        ...(vars.extra_tags ?? {}),
        Name: vars.name,
        Purpose: 'standby-dr',
        ManagedBy: 'standby',
        execution: vars.execution_id,
        'standby-kind': vars.kind,
        'standby-expires-at': vars.expires_at,
        'standby-run-id':
          vars.github_run_id === '' || vars.github_run_id === undefined ? 'none' : vars.github_run_id,
        'standby-state-key': vars.state_key,
        'standby-target': vars.target,
      };
    }
    const tagList = (tags) =>
      Object.entries(tags)
        .filter(([, v]) => v !== undefined)
        .map(([Key, Value]) => ({ Key, Value: String(Value) }));

    const resource = (type, attributes, name = 'runner', indexKey = undefined) => ({
      mode: 'managed',
      type,
      name,
      provider: 'provider["registry.terraform.io/hashicorp/aws"]',
      instances: [
        { ...(indexKey === undefined ? {} : { index_key: indexKey }), schema_version: 1, attributes },
      ],
    });

    /** The image the module's `data "aws_ssm_parameter" "ami"` resolves: the public parameter it names. */
    async function amiFromParameter(vars) {
      const declared = await declaredVariables();
      const name = vars.ami_ssm_parameter ?? declared.ami_ssm_parameter?.default;
      if (!name) fail('the fake terraform expects the module to declare ami_ssm_parameter');
      try {
        const answer = await ssm(vars.region, 'GetParameterCommand', { Name: name });
        return answer.Parameter.Value;
      } catch (error) {
        if (error.name === 'ParameterNotFound')
          fail(`reading SSM Parameter (${name}): couldn't find resource`);
        throw error;
      }
    }

    async function create(vars) {
      // The target's default (`default`) applies when bringup injected none; a module that does not declare it tags none.
      const tags = runnerTags({ ...vars, target: (await effectiveVariables(vars)).target });
      const imageId = await amiFromParameter(vars);
      const group = await ec2(vars.region, 'CreateSecurityGroupCommand', {
        GroupName: `${vars.name}-sg`,
        Description: `standby runner ${vars.name} (no inbound rules)`,
        TagSpecifications: [{ ResourceType: 'security-group', Tags: tagList(tags) }],
      });
      const run = await ec2(vars.region, 'RunInstancesCommand', {
        ImageId: imageId,
        InstanceType: vars.instance_type ?? 't4g.medium',
        MinCount: 1,
        MaxCount: 1,
        SecurityGroupIds: [group.GroupId],
        InstanceInitiatedShutdownBehavior: 'terminate',
        TagSpecifications: [
          { ResourceType: 'instance', Tags: tagList(tags) },
          { ResourceType: 'volume', Tags: tagList(tags) },
        ],
      });
      const instance = run.Instances[0];
      const declared = await declaredVariables();
      const values = await effectiveVariables(vars);
      // terraform/runner/eks.tf: this execution's node group, labelled and tainted with its id.
      const nodeGroup =
        values.target_kind === 'eks'
          ? (
              await eks(vars.region, 'CreateNodegroupCommand', {
                clusterName: values.eks_cluster_name,
                nodegroupName: vars.name,
                nodeRole: values.eks_node_role_arn,
                subnets: [vars.subnet_id],
                amiType: 'AL2023_ARM_64_STANDARD',
                capacityType: 'ON_DEMAND',
                instanceTypes: values.eks_node_instance_types,
                scalingConfig: {
                  minSize: values.eks_node_count,
                  maxSize: values.eks_node_count,
                  desiredSize: values.eks_node_count,
                },
                labels: { 'standby.dev/execution': vars.execution_id },
                taints: [{ key: 'standby.dev/execution', value: vars.execution_id, effect: 'NO_SCHEDULE' }],
                tags,
              })
            ).nodegroup
          : undefined;
      return {
        target: {
          kind: values.target_kind,
          cluster: values.target_kind === 'eks' ? values.eks_cluster_name : '',
          instanceTypes: values.target_kind === 'eks' ? values.eks_node_instance_types : [],
          nodeCount: values.target_kind === 'eks' ? values.eks_node_count : 0,
        },
        nodeGroup: nodeGroup && {
          id: `${nodeGroup.clusterName}:${nodeGroup.nodegroupName}`,
          arn: nodeGroup.nodegroupArn,
          cluster_name: nodeGroup.clusterName,
          node_group_name: nodeGroup.nodegroupName,
          region: vars.region,
          tags,
        },
        region: vars.region,
        tags,
        instance: {
          id: instance.InstanceId,
          instance_type: instance.InstanceType,
          // The module's root_block_device.volume_size: the variable as given, else its declared default.
          root_volume_size_gb: Number(vars.root_volume_size_gb ?? declared.root_volume_size_gb?.default),
          region: vars.region,
          private_ip: instance.PrivateIpAddress ?? '',
          tags,
        },
        group: { id: group.GroupId, region: vars.region, name: `${vars.name}-sg`, tags },
      };
    }

    function newState(previous, created) {
      const output = (value, type = 'string') => ({ value, type });
      return {
        version: 4,
        terraform_version: env.FAKE_TF_VERSION,
        serial: (previous?.serial ?? 0) + 1,
        lineage: previous?.lineage ?? randomUUID(),
        outputs: created
          ? {
              instance_id: output(created.instance.id),
              runner_name: output(created.tags.Name),
              expires_at: output(created.tags['standby-expires-at']),
              kind: output(created.tags['standby-kind']),
              private_ip: output(created.instance.private_ip),
              instance_type: output(created.instance.instance_type),
              root_volume_size_gb: output(created.instance.root_volume_size_gb, 'number'),
              security_group_id: output(created.group.id),
              tags: output(created.tags, ['map', 'string']),
              // The module's EKS target outputs, when it has the EKS target (a contract-only module has not).
              ...(created.target.kind === undefined
                ? {}
                : {
                    target_kind: output(created.target.kind),
                    eks_cluster_name: output(created.target.cluster),
                    eks_node_group_name: output(created.nodeGroup?.node_group_name ?? ''),
                    eks_node_instance_types: output(created.target.instanceTypes, ['list', 'string']),
                    eks_node_count: output(created.target.nodeCount, 'number'),
                  }),
              admin_token: { value: 'hunter2-is-not-for-receipts', type: 'string', sensitive: true },
            }
          : {},
        resources: created
          ? [
              resource('aws_security_group', created.group),
              resource('aws_instance', created.instance),
              ...(created.nodeGroup
                ? [resource('aws_eks_node_group', created.nodeGroup, 'execution', 0)]
                : []),
            ]
          : [],
        check_results: null,
      };
    }

    async function destroy(state) {
      for (const r of state?.resources ?? []) {
        for (const { attributes } of r.instances) {
          if (r.type === 'aws_eks_node_group')
            await eks(attributes.region, 'DeleteNodegroupCommand', {
              clusterName: attributes.cluster_name,
              nodegroupName: attributes.node_group_name,
            });
        }
      }
      for (const r of state?.resources ?? []) {
        for (const { attributes } of r.instances) {
          if (r.type === 'aws_instance')
            await ec2(attributes.region, 'TerminateInstancesCommand', { InstanceIds: [attributes.id] });
        }
      }
      for (const r of state?.resources ?? []) {
        for (const { attributes } of r.instances) {
          if (r.type === 'aws_security_group')
            await ec2(attributes.region, 'DeleteSecurityGroupCommand', { GroupId: attributes.id });
        }
      }
    }

    async function init() {
      const config = {};
      for (const a of args.filter((x) => x.startsWith('-backend-config='))) {
        const [key, ...rest] = a.slice('-backend-config='.length).split('=');
        config[key] = rest.join('=');
      }
      for (const key of ['bucket', 'key', 'region', 'dynamodb_table'])
        if (!config[key]) fail(`the fake terraform expects -backend-config=${key}=...`);
      try {
        await s3(config, 'HeadBucketCommand', { Bucket: config.bucket });
      } catch {
        fail(`Failed to get existing workspaces: S3 bucket "${config.bucket}" does not exist.`);
      }
      writeFileSync(backendFile, JSON.stringify(config));
      outLine(bold('\u001b[32mTerraform has been successfully initialized!\u001b[0m'));
    }

    async function plan() {
      const b = backend();
      const vars = JSON.parse(readFileSync(inCwd(flag('-var-file')), 'utf8'));
      entry.vars = vars;
      await checkVariables(vars);
      await validateVariables(vars);
      const destroying = args.includes('-destroy');
      await lock(b, 'OperationTypePlan');
      try {
        const state = await readState(b);
        const saved = {
          destroy: destroying,
          vars,
          backend: b,
          serial: state?.serial ?? 0,
          lineage: state?.lineage ?? null,
          id: randomUUID(),
        };
        writeFileSync(inCwd(flag('-out')), JSON.stringify(saved));
        entry.planSha256 = createHash('sha256').update(JSON.stringify(saved)).digest('hex');
        const values = await effectiveVariables(vars);
        const onEks = values.target_kind === 'eks';
        if (!destroying && !state?.resources?.length && onEks) await lookUpCluster(values);
        const count = destroying
          ? (state?.resources ?? []).length
          : state?.resources?.length
            ? 0
            : onEks
              ? 3
              : 2;
        outLine(
          `${bold('Plan:')} ${destroying ? 0 : count} to add, 0 to change, ${destroying ? count : 0} to destroy.`,
        );
      } finally {
        await unlock(b);
      }
    }

    async function apply() {
      const planFile = args[args.length - 1];
      if (!existsSync(inCwd(planFile))) fail(`Failed to load "${planFile}" as a plan file`);
      const saved = JSON.parse(readFileSync(inCwd(planFile), 'utf8'));
      const b = backend();
      await lock(b, 'OperationTypeApply');
      const state = await readState(b);
      if ((state?.serial ?? 0) !== saved.serial || (state?.lineage ?? null) !== saved.lineage) {
        await unlock(b);
        fail(
          'Saved plan is stale\n\nThe given plan file can no longer be applied because the state was changed by another operation after the plan was created.',
        );
      }
      if (saved.destroy) {
        const count = (state?.resources ?? []).length;
        await destroy(state);
        await writeState(b, newState(state, undefined));
        await unlock(b);
        outLine(bold(`\u001b[32mDestroy complete! Resources: ${count} destroyed.\u001b[0m`));
        return;
      }
      if (state?.resources?.length) {
        await unlock(b);
        outLine(bold('\u001b[32mApply complete! Resources: 0 added, 0 changed, 0 destroyed.\u001b[0m'));
        return;
      }
      const created = await create(saved.vars);
      // Killed mid-apply (a cancelled job, a lost runner): the instance exists, the state never got it, the lock stays.
      if (env.FAKE_TF_CRASH === 'apply') throw new Exit(137);
      const written = newState(state, created);
      await writeState(b, written);
      await unlock(b);
      outLine(
        bold(
          `\u001b[32mApply complete! Resources: ${written.resources.length} added, 0 changed, 0 destroyed.\u001b[0m`,
        ),
      );
    }

    async function output() {
      const state = await readState(backend());
      const printed = {};
      for (const [name, o] of Object.entries(state?.outputs ?? {}))
        printed[name] = { sensitive: o.sensitive === true, type: o.type, value: o.value };
      out(JSON.stringify(printed));
    }

    async function show() {
      const planFile = args[args.length - 1];
      const saved = existsSync(inCwd(planFile))
        ? JSON.parse(readFileSync(inCwd(planFile), 'utf8'))
        : undefined;
      const onEks = saved ? (await effectiveVariables(saved.vars)).target_kind === 'eks' : false;
      // The shape of `terraform show -json <plan>`: resource_changes with change.actions (a no-op included).
      const change = (address, actions) => ({
        address,
        mode: 'managed',
        type: address.split('.')[0],
        name: address.split('.')[1].replace(/\[.*$/, ''),
        change: { actions },
      });
      outLine(
        JSON.stringify({
          format_version: '1.2',
          terraform_version: env.FAKE_TF_VERSION,
          resource_changes: [
            change('aws_security_group.runner', ['create']),
            change('aws_instance.runner', ['create']),
            ...(onEks ? [change('aws_eks_node_group.execution[0]', ['create'])] : []),
            change('data.aws_iam_instance_profile.runner', ['no-op']),
          ],
        }),
      );
    }

    if (env.FAKE_TF_FAIL === command) {
      err(`${red('Error: ')}${bold('creating EC2 Instance: UnauthorizedOperation')}\n`);
      err('│ request used Authorization: token ghp_abcdefghijklmnopqrstuvwxyz0123456789\n');
      throw new Exit(1);
    }
    const commands = {
      version: async () =>
        outLine(
          JSON.stringify({
            terraform_version: env.FAKE_TF_VERSION,
            platform: 'linux_amd64',
            provider_selections: {},
            terraform_outdated: false,
          }),
        ),
      init,
      plan,
      apply,
      output,
      show,
    };
    if (!commands[command]) fail(`the fake terraform does not know '${command}'`);
    await commands[command]();
  }
}
