/**
 * Cluster assignment at the edge: sketch-embed the request and find its nearest centroid in the language's cluster
 * model. Cluster models are immutable per key (a new version is a new key), so each is parsed and copied into the
 * kernels' memory once per isolate.
 */
import { type ClusterModel, parseClusterModel } from "../adapters/cluster-model";
import type { LanguageCode } from "../adapters/languages";
import type { Manifest } from "../adapters/manifest";
import { type CentroidTable, METRIC_COSINE_NORMALISED, type Nearest } from "../kernels/src";
import { kernels, sketchEncoder } from "./kernels";

export interface LoadedClusterModel {
  model: ClusterModel;
  table: CentroidTable;
}

export interface ClusterAssignment {
  /** Index of the nearest centroid. */
  cluster: number;
  /** Cosine distance to it. */
  distance: number;
  /** Runner-up distance minus best: how firmly the request belongs to its cluster (+Inf with one cluster). */
  margin: number;
  modelVersion: string;
}

// Kernel memory is a bump arena, so tables are never freed; an isolate sees few model versions before it is
// recycled. A failed load is remembered as null so a broken file costs one R2 read per isolate, not one per request.
const loaded = new Map<string, LoadedClusterModel | null>();

export async function loadClusterModel(bucket: R2Bucket, key: string): Promise<LoadedClusterModel | null> {
  const hit = loaded.get(key);
  if (hit !== undefined) return hit;
  let result: LoadedClusterModel | null = null;
  try {
    const object = await bucket.get(key);
    if (object) {
      const model = parseClusterModel(await object.json());
      if (model.dim !== sketchEncoder.dim) throw new Error(`dim ${model.dim} != sketch dim ${sketchEncoder.dim}`);
      const table = kernels.loadCentroids(Float32Array.from(model.centroids.flat()), model.centroids.length, model.dim);
      result = { model, table };
    } else {
      console.warn(`compass: cluster model ${key} not found`);
    }
  } catch (err) {
    console.warn(`compass: cluster model ${key} is invalid`, String(err));
  }
  loaded.set(key, result);
  return result;
}

const scratch: Nearest = { index: -1, best: 0, second: 0 };

/** Assign `text` to a cluster of `language`'s model, or null when the manifest names none (or it is unusable). */
export async function assignCluster(
  bucket: R2Bucket,
  manifest: Manifest | null,
  language: LanguageCode | null,
  text: string,
): Promise<ClusterAssignment | null> {
  const key = language ? manifest?.languages[language]?.clusterModel : undefined;
  if (!key) return null;
  const model = await loadClusterModel(bucket, key);
  if (!model) return null;
  sketchEncoder.embed(text);
  const nearest = kernels.nearest(sketchEncoder.embedding, model.table, METRIC_COSINE_NORMALISED, scratch);
  if (nearest.index < 0) return null;
  return {
    cluster: nearest.index,
    distance: nearest.best,
    margin: nearest.second - nearest.best,
    modelVersion: model.model.version,
  };
}
