import { CreateTagsCommand, DeleteTagsCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { TAG } from '../terraform/runner-contract.js';

/**
 * After a real-DR activation the runner is the serving standby (issue 20.2): tagged standby-serving=true
 * (the sweeper never touches it: src/phases/sweep/decide.ts) and without a standby-expires-at tag (nothing
 * reads an expiry that is not there: the dead-man switch keeps running without one, the sweeper keeps a
 * real-DR runner without one). The runner's own marker and disabled timer (activate.sh) are the other half.
 * Only an explicit teardown ends it. The tag is written first: a failure after it leaves a kept runner,
 * never an expiring serving one.
 */
export async function markServing(ec2: EC2Client, instanceId: string): Promise<void> {
  await ec2.send(
    new CreateTagsCommand({ Resources: [instanceId], Tags: [{ Key: TAG.serving, Value: 'true' }] }),
  );
  await ec2.send(new DeleteTagsCommand({ Resources: [instanceId], Tags: [{ Key: TAG.expiresAt }] }));
}
