/**
 * `TriggerLog`: the drift triggers the queue consumer has received, where a trainer lists them
 * (`GET /admin/triggers`). One SQLite-backed object, named `triggers`; a trigger id is recorded once however often
 * the Queue delivers it.
 */
import { DurableObject } from "cloudflare:workers";
import type { DriftTrigger } from "../../adapters/trigger";

export interface TriggerPage {
  triggers: DriftTrigger[];
  /** Pass as `cursor` for the next page; null when this page is the last. */
  next: string | null;
}

export const TRIGGER_LOG_NAME = "triggers";

export class TriggerLog extends DurableObject<Env> {
  private readonly sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sql.exec(`
      CREATE TABLE IF NOT EXISTS triggers (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE,
        at TEXT NOT NULL, received_at INTEGER NOT NULL, body TEXT NOT NULL);
      CREATE INDEX IF NOT EXISTS triggers_at ON triggers (at);
    `);
  }

  /** Record a validated trigger; false when its id was recorded before (a redelivery). */
  add(trigger: DriftTrigger): boolean {
    const before = this.sql.exec("SELECT 1 FROM triggers WHERE id = ?", trigger.id).toArray().length;
    if (before > 0) return false;
    this.sql.exec(
      "INSERT INTO triggers (id, at, received_at, body) VALUES (?, ?, ?, ?)",
      trigger.id,
      trigger.at,
      Date.now(),
      JSON.stringify(trigger),
    );
    return true;
  }

  /** Triggers fired after `since` (ISO 8601, exclusive), in the order received, `limit` per page. */
  list(since: string | null, cursor: number, limit: number): TriggerPage {
    const rows = this.sql
      .exec<{ seq: number; body: string }>(
        "SELECT seq, body FROM triggers WHERE seq > ? AND at > ? ORDER BY seq LIMIT ?",
        cursor,
        since ?? "",
        limit + 1,
      )
      .toArray();
    const page = rows.slice(0, limit);
    return {
      triggers: page.map((row) => JSON.parse(row.body) as DriftTrigger),
      next: rows.length > limit ? String(page[page.length - 1]?.seq) : null,
    };
  }
}
