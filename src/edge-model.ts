/**
 * The edge cluster model on the kernels: the cluster model's `edge` layers (trainer: clustering/edge_model.py) run as
 * one `dot_f32_rowmajor` per layer (four weight rows per pass), then bias and activation, and the request's cluster is
 * the argmax of the last layer's K scores. Weights are copied into the kernels' memory once per model; scoring
 * allocates nothing.
 */
import type { ClusterModel } from "../adapters/cluster-model";
import type { CentroidTable, Region, WasmKernels } from "../kernels/src";

type EdgeModel = NonNullable<ClusterModel["edge"]>;

interface LoadedLayer {
  table: CentroidTable;
  bias: Float32Array;
  relu: boolean;
  out: Region<Float32ArrayConstructor>;
}

export interface EdgeScore {
  cluster: number;
  /** Best score minus runner-up (+Inf with one cluster): how firmly the model picks its cluster, in logits. */
  margin: number;
}

export class EdgeScorer {
  private readonly layers: LoadedLayer[];

  constructor(
    private readonly kernels: WasmKernels,
    model: EdgeModel,
  ) {
    this.layers = model.layers.map((layer) => {
      const rows = layer.weights.length;
      const cols = (layer.weights[0] as number[]).length;
      return {
        table: kernels.loadCentroids(Float32Array.from(layer.weights.flat()), rows, cols),
        bias: Float32Array.from(layer.bias),
        relu: layer.activation === "relu",
        out: kernels.alloc(Float32Array, rows),
      };
    });
  }

  /** The last layer's scores for `input` (a view valid until the next call). */
  scores(input: Region<Float32ArrayConstructor>): Float32Array {
    let current = input;
    for (const layer of this.layers) {
      this.kernels.dot(current, layer.table, layer.out);
      const out = layer.out.view;
      const bias = layer.bias;
      for (let i = 0; i < out.length; i++) {
        const v = (out[i] as number) + (bias[i] as number);
        out[i] = layer.relu && v < 0 ? 0 : v;
      }
      current = layer.out;
    }
    return current.view;
  }

  /** Argmax of the scores (ties keep the lower index; NaN never wins), with the margin to the runner-up. */
  assign(input: Region<Float32ArrayConstructor>, into: EdgeScore): EdgeScore {
    const scores = this.scores(input);
    let best = Number.NEGATIVE_INFINITY;
    let second = Number.NEGATIVE_INFINITY;
    let index = -1;
    for (let i = 0; i < scores.length; i++) {
      const s = scores[i] as number;
      if (s > best || (index < 0 && s === best)) {
        second = best;
        best = s;
        index = i;
      } else if (s > second) {
        second = s;
      }
    }
    into.cluster = index;
    into.margin = best - second;
    return into;
  }
}
