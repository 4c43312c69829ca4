/**
 * One isolate's buffer of drift assignments, grouped per (language, region, cluster-model version) in arrival order,
 * handed over as batches with ids that stay the same across a batch's delivery retries.
 */
import type { DriftBatch } from "./window.do";

/** **[choice]** Characters kept per sampled text (the isolate cuts before sending; the object keeps ≤ 250 texts). */
export const SAMPLE_TEXT_MAX_CHARS = 1000;

interface Pending {
  language: string;
  region: string;
  model: DriftBatch["model"];
  clusters: number[];
  texts: string[] | null;
}

export class DriftBuffer {
  private pending = new Map<string, Pending>();
  private size = 0;
  private sequence = 0;
  /**
   * Batch ids are `{isolate}-{n}`: unique across isolates, stable across a batch's retries. Drawn on first use, since
   * Workers refuse random values at global scope.
   */
  private isolate: string | null = null;

  get buffered(): number {
    return this.size;
  }

  constructor(private readonly flushEvery: number) {}

  /** Buffer one assignment; true when the buffer holds `flushEvery` assignments and should be flushed now. */
  add(language: string, region: string, model: DriftBatch["model"], cluster: number, text: string | null): boolean {
    const key = `${language}\u0000${region}\u0000${model.version}`;
    let entry = this.pending.get(key);
    if (!entry) {
      entry = { language, region, model, clusters: [], texts: text === null ? null : [] };
      this.pending.set(key, entry);
    }
    entry.clusters.push(cluster);
    if (entry.texts && text !== null) entry.texts.push(text.slice(0, SAMPLE_TEXT_MAX_CHARS));
    this.size += 1;
    return this.size >= this.flushEvery;
  }

  /** Hand over everything buffered as batches and start afresh. */
  take(): DriftBatch[] {
    this.isolate ??= crypto.randomUUID();
    const batches = [...this.pending.values()].map((p) => ({ id: `${this.isolate}-${++this.sequence}`, ...p }));
    this.pending = new Map();
    this.size = 0;
    return batches;
  }
}
