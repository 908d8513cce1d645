/**
 * Matched sets and matching weights from a match matrix, as MatchIt 4.7.2 computes them.
 * - Without replacement (reuse.max = 1), `mm2subclassC` (src/subclass2mm.cpp): focal rows with at
 *   least one match get subclass ids 1, 2, … in focal data order (column-major scan of the match
 *   matrix; here 0-based), their controls share the id. `get_weights_from_subclass`
 *   (R/get_weights_from_subclass.R): focal weight 1, control weight n_focal/n_control of its
 *   subclass.
 * - With replacement, `weights_matrixC` (src/weights_matrixC.cpp): each matched focal row adds 1 to
 *   its focal unit and 1/(number of matches in the row) to each of its controls; no subclasses.
 * In both cases the non-focal weights are then rescaled to sum to the number of non-focal units
 * with positive weight, `.make_sum_to_n` (R/utils.R): w ← n·w / Σw.
 */
export interface MatchWeights {
  readonly weights: Float64Array;
  readonly subclass: Int32Array;
  readonly nSubclasses: number;
}

export function weightsFromMatchMatrix(
  matchMatrix: Int32Array,
  focalUnits: Int32Array,
  maxRatio: number,
  n: number,
  withSubclasses: boolean,
): MatchWeights {
  const weights = new Float64Array(n);
  const subclass = new Int32Array(n).fill(-1);
  const isFocal = new Uint8Array(n);
  for (let row = 0; row < focalUnits.length; row++) isFocal[focalUnits[row]!] = 1;
  let nSub = 0;
  if (withSubclasses) {
    const nControls: number[] = [];
    for (let row = 0; row < focalUnits.length; row++) {
      if (matchMatrix[row * maxRatio]! < 0) continue;
      const id = nSub++;
      subclass[focalUnits[row]!] = id;
      let k = 0;
      for (let q = 0; q < maxRatio; q++) {
        const c = matchMatrix[row * maxRatio + q]!;
        if (c < 0) continue;
        subclass[c] = id;
        k++;
      }
      nControls.push(k);
    }
    for (let i = 0; i < n; i++) {
      const s = subclass[i]!;
      if (s < 0) continue;
      weights[i] = isFocal[i] ? 1 : 1 / nControls[s]!;
    }
  } else {
    for (let row = 0; row < focalUnits.length; row++) {
      if (matchMatrix[row * maxRatio]! < 0) continue;
      let k = 0;
      for (let q = 0; q < maxRatio; q++) if (matchMatrix[row * maxRatio + q]! >= 0) k++;
      for (let q = 0; q < maxRatio; q++) {
        const c = matchMatrix[row * maxRatio + q]!;
        if (c >= 0) weights[c]! += 1 / k;
      }
      weights[focalUnits[row]!]! += 1;
    }
  }
  let count = 0;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    if (isFocal[i] || !(weights[i]! > 0)) continue;
    count++;
    sum += weights[i]!;
  }
  if (sum > 0) for (let i = 0; i < n; i++) if (!isFocal[i] && weights[i]! > 0) weights[i] = (count * weights[i]!) / sum;
  return { weights, subclass, nSubclasses: nSub };
}
