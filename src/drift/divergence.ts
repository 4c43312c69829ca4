/**
 * JS divergence through the WASM kernel (`js_divergence_f64`, log base 2, counts normalised inside). The two input
 * arrays live in the kernels' memory, one pair per length, allocated on first use: the arena never frees, and a
 * worker sees few distinct cluster counts.
 */
import type { Region } from "../../kernels/src";
import { kernels } from "../kernels";
import type { Divergence } from "./check";

const pairs = new Map<number, [Region<Float64ArrayConstructor>, Region<Float64ArrayConstructor>]>();

export const wasmJsDivergence: Divergence = (p, q) => {
  if (p.length !== q.length) throw new RangeError(`JS divergence of ${p.length} against ${q.length} values`);
  let pair = pairs.get(p.length);
  if (!pair) {
    pair = [kernels.alloc(Float64Array, p.length), kernels.alloc(Float64Array, p.length)];
    pairs.set(p.length, pair);
  }
  pair[0].view.set(p);
  pair[1].view.set(q);
  return kernels.jsDivergence(pair[0], pair[1]);
};
