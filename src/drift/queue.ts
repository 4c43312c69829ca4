/**
 * The drift-trigger queue's consumer, in this same worker: each message is validated against the trigger contract
 * (`adapters/trigger.ts`) and recorded in the `TriggerLog`, where `GET /admin/triggers` lists it, and as
 * `triggers/{id}.json` in the ADAPTERS bucket, where a trainer with the bucket's S3 credentials lists it
 * (`compass-trainer watch --from s3://…`; written create-only, so a redelivery leaves the first copy). A malformed
 * message is acknowledged with a warning (a retry cannot mend it); a failure to record is retried by the Queue.
 *
 * Production alternative: a consumer outside Workers (the trainer's host) can take the same messages with a
 * Cloudflare Queues HTTP pull consumer (`type = "http_pull"`, `POST /accounts/{account}/queues/{queue}/messages/pull`,
 * then `/messages/ack` with the lease ids) and validate them with `adapters/schema/`.
 */
import { DriftTriggerSchema } from "../../adapters/trigger";
import { TRIGGER_LOG_NAME } from "./trigger-log.do";

export async function consumeTriggers(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const log = env.DRIFT_TRIGGER_LOG.get(env.DRIFT_TRIGGER_LOG.idFromName(TRIGGER_LOG_NAME));
  for (const message of batch.messages) {
    const parsed = DriftTriggerSchema.safeParse(message.body);
    if (!parsed.success) {
      console.warn(`compass: drift trigger message ${message.id} is malformed; dropped`, parsed.error.message);
      message.ack();
      continue;
    }
    try {
      await log.add(parsed.data);
      await env.ADAPTERS.put(`triggers/${parsed.data.id}.json`, JSON.stringify(parsed.data), {
        httpMetadata: { contentType: "application/json" },
        onlyIf: new Headers({ "if-none-match": "*" }),
      });
      message.ack();
    } catch (err) {
      console.warn(`compass: recording drift trigger ${parsed.data.id} failed; the queue retries it`, String(err));
      message.retry();
    }
  }
}
