import { EmptyInputError, NonFiniteInputError, ShapeMismatchError, SingleClassError } from './errors.js';

/**
 * Area under the ROC curve of `scores` for separating `positive` samples from
 * the rest: the Mann–Whitney probability that a random positive outscores a
 * random negative, ties counting ½ (average ranks). 0.5 = chance.
 */
export function rocAuc(scores: ArrayLike<number>, positive: ArrayLike<boolean | number>): number {
  const n = scores.length;
  if (positive.length !== n) throw new ShapeMismatchError(`ROC AUC: ${n} scores but ${positive.length} flags; pass one flag per score`);
  if (n === 0) throw new EmptyInputError('ROC AUC got no scores; pass at least one positive and one negative');
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(scores[i]!)) throw new NonFiniteInputError(`ROC AUC: score ${i} is NaN; check the model outputs`);
  }
  order.sort((a, b) => scores[a]! - scores[b]! || 0);
  let rankSumPos = 0;
  let nPos = 0;
  let i = 0;
  while (i < n) {
    let j = i;
    while (j + 1 < n && scores[order[j + 1]!] === scores[order[i]!]) j++;
    const avgRank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) {
      if (positive[order[k]!]) {
        rankSumPos += avgRank;
        nPos++;
      }
    }
    i = j + 1;
  }
  const nNeg = n - nPos;
  if (nPos === 0 || nNeg === 0) {
    throw new SingleClassError(`ROC AUC needs positives and negatives but got ${nPos} and ${nNeg}; include both`);
  }
  return (rankSumPos - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}
