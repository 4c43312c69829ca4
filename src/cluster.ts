/**
 * Cluster assignment at the edge: sketch-embed the request and assign it with the language's cluster model: by its
 * learnt edge model when it has one (src/edge-model.ts: the classifier that puts requests in the trainer's own
 * clusters), else to the nearest centroid. Cluster models are immutable per key (a new version is a new key), so each is parsed and copied into the
 * kernels' memory once per isolate.
 */
import { type ClusterModel, parseClusterModel } from "../adapters/cluster-model";
import type { LanguageCode } from "../adapters/languages";
import { clusterModelKey, type Manifest } from "../adapters/manifest";
import { type CentroidTable, METRIC_COSINE_NORMALISED, type Nearest } from "../kernels/src";
import { type EdgeScore, EdgeScorer } from "./edge-model";
import { kernels, sketchEncoder } from "./kernels";

export interface LoadedClusterModel {
  model: ClusterModel;
  table: CentroidTable;
  /** The learnt assignment, when the model has an `edge` block. */
  edge: EdgeScorer | null;
}

export interface ClusterAssignment {
  /** The assigned cluster. */
  cluster: number;
  /** Cosine distance to its centroid. */
  distance: number;
  /**
   * How firmly the request belongs to its cluster (+Inf with one cluster): with the nearest-centroid rule the
   * runner-up distance minus the best; with the edge model the best score minus the runner-up, in logits.
   */
  margin: number;
  /** Which rule assigned it: the trainer's learnt edge model, or nearest sketch centroid. */
  method: "edge-model" | "nearest-centroid";
  modelVersion: string;
}

// Kernel memory is a bump arena, so tables are never freed; an isolate sees few model versions before it is
// recycled. Loaded models are kept for the isolate's life (a key is immutable); a failed load is remembered for
// CLUSTER_MODEL_RETRY_MS, so a broken or not-yet-published file costs one R2 read per isolate per interval, not one
// per request, and is picked up once it appears. Only plain values are cached: no promise is shared across requests.
const loaded = new Map<string, LoadedClusterModel>();
const failedAt = new Map<string, number>();

/** How long a missing or invalid cluster model is remembered before R2 is asked again. */
export const CLUSTER_MODEL_RETRY_MS = 30_000;
/** Bound on a cluster model object (K × dim floats as JSON). */
export const CLUSTER_MODEL_MAX_BYTES = 16 * 1_048_576;

export async function loadClusterModel(bucket: R2Bucket, key: string): Promise<LoadedClusterModel | null> {
  const hit = loaded.get(key);
  if (hit) return hit;
  const failed = failedAt.get(key);
  if (failed !== undefined && Date.now() - failed < CLUSTER_MODEL_RETRY_MS) return null;
  try {
    const object = await bucket.get(key);
    if (!object) throw new Error("not found");
    if (object.size > CLUSTER_MODEL_MAX_BYTES) {
      await object.body.cancel();
      throw new Error(`${object.size} bytes, over ${CLUSTER_MODEL_MAX_BYTES}`);
    }
    const model = parseClusterModel(await object.json());
    if (model.dim !== sketchEncoder.dim) throw new Error(`dim ${model.dim} != sketch dim ${sketchEncoder.dim}`);
    // A concurrent request may have loaded the same key while this one awaited R2: use its table rather than copy
    // the centroids into the arena twice.
    const raced = loaded.get(key);
    if (raced) return raced;
    const table = kernels.loadCentroids(Float32Array.from(model.centroids.flat()), model.centroids.length, model.dim);
    const result = { model, table, edge: model.edge ? new EdgeScorer(kernels, model.edge) : null };
    loaded.set(key, result);
    failedAt.delete(key);
    return result;
  } catch (err) {
    console.warn(`compass: cluster model ${key} is unusable; retrying in ${CLUSTER_MODEL_RETRY_MS} ms`, String(err));
    failedAt.set(key, Date.now());
    return null;
  }
}

/** Forget failed loads (tests). Loaded models stay: their tables live in the kernels' arena. */
export function clearClusterModelFailures(): void {
  failedAt.clear();
}

const scratch: Nearest = { index: -1, best: 0, second: 0 };
const edgeScratch: EdgeScore = { cluster: -1, margin: 0 };

/** Assign `text` to a cluster of `language`'s model, or null when the manifest names none (or it is unusable). */
export async function assignCluster(
  bucket: R2Bucket,
  manifest: Manifest | null,
  language: LanguageCode | null,
  text: string,
): Promise<ClusterAssignment | null> {
  const key = language ? clusterModelKey(manifest?.languages[language]) : undefined;
  if (!key) return null;
  const model = await loadClusterModel(bucket, key);
  if (!model) return null;
  const embedding = sketchEncoder.embed(text);
  if (model.edge) {
    const { cluster, margin } = model.edge.assign(sketchEncoder.embedding, edgeScratch);
    if (cluster < 0) return null;
    const centroids = model.table.data.view;
    const at = cluster * model.table.d;
    let dot = 0;
    for (let i = 0; i < embedding.length; i++) dot += (embedding[i] as number) * (centroids[at + i] as number);
    return { cluster, distance: Math.fround(1 - dot), margin, method: "edge-model", modelVersion: model.model.version };
  }
  const nearest = kernels.nearest(sketchEncoder.embedding, model.table, METRIC_COSINE_NORMALISED, scratch);
  if (nearest.index < 0) return null;
  return {
    cluster: nearest.index,
    distance: nearest.best,
    margin: nearest.second - nearest.best,
    method: "nearest-centroid",
    modelVersion: model.model.version,
  };
}
