import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { listObjects } from '../../aws/s3-list.js';
import { TAG } from '../../terraform/runner-contract.js';
import { awsErrorCode } from '../../util/errors.js';
import type { SweepSubject } from './decide.js';

/** Objects under the runners' state prefix: the state of each execution and any S3 lock file. */
export async function listStateObjects(
  s3: S3Client,
  bucket: string,
  prefix: string,
): Promise<{ states: string[]; lockFiles: string[] }> {
  const keys: string[] = [];
  for await (const object of listObjects(s3, bucket, `${prefix}/`)) if (object.Key) keys.push(object.Key);
  return {
    states: keys.filter((key) => key.endsWith('.tfstate')).sort(),
    lockFiles: keys.filter((key) => key.endsWith('.tfstate.tflock')).sort(),
  };
}

/** A resource of a version-4 state document, with the attributes the sweeper reads. */
export interface StateResource {
  type: string;
  id: string;
  tags: Record<string, string>;
}

/** The managed resources a state holds, or undefined when there is no state object (or it is empty). */
export async function readStateResources(
  s3: S3Client,
  bucket: string,
  key: string,
): Promise<StateResource[] | undefined> {
  let text: string;
  try {
    const answer = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    text = (await answer.Body?.transformToString('utf8')) ?? '';
  } catch (error) {
    if (awsErrorCode(error).name === 'NoSuchKey') return undefined;
    throw error;
  }
  if (text.trim() === '') return undefined;
  const state = JSON.parse(text) as {
    resources?: {
      mode?: string;
      type?: string;
      instances?: { attributes?: { id?: string; tags?: Record<string, string> } }[];
    }[];
  };
  return (state.resources ?? [])
    .filter((resource) => resource.mode === 'managed')
    .flatMap((resource) =>
      (resource.instances ?? []).map((instance) => ({
        type: resource.type ?? '?',
        id: instance.attributes?.id ?? '?',
        tags: instance.attributes?.tags ?? {},
      })),
    );
}

/** The runner a state describes, from the tags Terraform recorded on its instance (or any tagged resource). */
export function subjectOfState(resources: StateResource[]): SweepSubject {
  const tagged =
    resources.find((r) => r.type === 'aws_instance') ?? resources.find((r) => r.tags[TAG.execution]);
  const tags = tagged?.tags ?? {};
  return {
    executionId: tags[TAG.execution],
    kind: tags[TAG.kind],
    expiresAt: tags[TAG.expiresAt],
    runId: tags[TAG.runId],
    serving: tags[TAG.serving],
  };
}
