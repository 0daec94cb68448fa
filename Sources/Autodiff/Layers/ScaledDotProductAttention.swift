/// Scaled dot-product attention: each query position takes a weighted average of the values, weighted
/// by how well its query matches each key.
///
///     A = softmax(Q Kᵀ / √d_k + M)   (softmax along the last axis: each row of A sums to 1)
///     output = A V
///
/// Shapes: Q [B, T, d_k], K [B, S, d_k], V [B, S, d_v] → A [B, T, S], output [B, T, d_v]; B is a batch
/// axis (batch × heads inside ``MultiHeadAttention``). Rank-2 inputs ([T, d_k], …) work too, without B.
///
/// The mask M is 0 where query i may look at key j and −∞ where it may not. With `causal: true`,
/// position i attends only to j ≤ i (M_ij = −∞ for j > i), so an output never depends on later inputs:
/// what MAT's decoder needs to generate agent i's action from agents 1…i−1. The −∞ is put in place with
/// `Tensor.where`, so exp(−∞) = 0 makes the masked weights exactly 0, and no NaN reaches the gradient.
///
/// Source: Vaswani et al., "Attention Is All You Need" (2017), eq. 1 and §3.2.3 (masking).
public func scaledDotProductAttention(q: Tensor, k: Tensor, v: Tensor, causal: Bool = false) -> Tensor {
  ensure(
    v.rank == k.rank && (v.rank == 2 || v.rank == 3) && v.shape.dropLast() == k.shape.dropLast(),
    "scaledDotProductAttention: expected V [B, S, d_v] matching K \(k.shape), got \(v.shape)")
  return matmul(attentionWeights(q: q, k: k, causal: causal), v)
}

/// The attention weights A = softmax(Q Kᵀ / √d_k + M) of ``scaledDotProductAttention(q:k:v:causal:)``.
///
/// Shapes: Q [B, T, d_k], K [B, S, d_k] → A [B, T, S] (or [T, d_k], [S, d_k] → [T, S]).
/// Each row Aᵢ,: is a probability distribution over the S keys; with `causal: true`, Aᵢⱼ = 0 for j > i.
public func attentionWeights(q: Tensor, k: Tensor, causal: Bool = false) -> Tensor {
  ensure(
    (q.rank == 2 || q.rank == 3) && k.rank == q.rank && q.shape.last == k.shape.last
      && (q.rank == 2 || q.shape[0] == k.shape[0]),
    "attentionWeights: expected Q [B, T, d_k] and K [B, S, d_k], got \(q.shape) and \(k.shape)")
  let dk = Double(q.shape.last!)
  let (t, s) = (q.shape[q.rank - 2], k.shape[k.rank - 2])

  var scores = matmul(q, k.transposed()) / dk.squareRoot()  // [B, T, S]
  if causal {
    // keepᵢⱼ = (j ≤ i), shape [T, S], broadcast over B.
    let keep = (0..<t).flatMap { i in (0..<s).map { j in j <= i } }
    scores = Tensor.where(keep, shape: [t, s], scores, Tensor(-Double.infinity))
  }
  return scores.softmax(alongAxis: -1)
}
