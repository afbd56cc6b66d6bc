import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { clientConfig } from '../../src/aws/clients.js';

/**
 * An SNS topic with an SQS queue subscribed to it on the emulator, so a test reads exactly what was
 * published. The SQS SDK client is not a dependency: the queue is driven over SQS's JSON protocol with
 * fetch.
 */
export interface SnsEnvelope {
  Type: string;
  Subject?: string;
  Message: string;
  MessageAttributes?: Record<string, { Type: string; Value: string }>;
}

async function sqs<T>(endpoint: string, action: string, body: Record<string, unknown>): Promise<T> {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': `AmazonSQS.${action}`,
      // moto picks the service from the credential scope; the signature itself is not checked.
      authorization:
        'AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/sqs/aws4_request, SignedHeaders=host, Signature=0',
    },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`SQS ${action} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

export async function createTopicInbox(endpoint: string, name = 'standby-dr') {
  const sns = new SNSClient(clientConfig());
  const topic = await sns.send(new CreateTopicCommand({ Name: name }));
  const { QueueUrl } = await sqs<{ QueueUrl: string }>(endpoint, 'CreateQueue', {
    QueueName: `${name}-inbox`,
  });
  const { Attributes } = await sqs<{ Attributes: { QueueArn: string } }>(endpoint, 'GetQueueAttributes', {
    QueueUrl,
    AttributeNames: ['QueueArn'],
  });
  await sns.send(
    new SubscribeCommand({ TopicArn: topic.TopicArn, Protocol: 'sqs', Endpoint: Attributes.QueueArn }),
  );
  return {
    topicArn: topic.TopicArn as string,
    /** Everything delivered so far (drains the queue). */
    async received(): Promise<SnsEnvelope[]> {
      const envelopes: SnsEnvelope[] = [];
      for (;;) {
        const answer = await sqs<{ Messages?: { Body: string }[] }>(endpoint, 'ReceiveMessage', {
          QueueUrl,
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: 0,
        });
        if (!answer.Messages?.length) return envelopes;
        envelopes.push(...answer.Messages.map((m) => JSON.parse(m.Body) as SnsEnvelope));
      }
    },
  };
}
