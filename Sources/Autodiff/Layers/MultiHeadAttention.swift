/// Multi-head attention: h scaled dot-product attentions side by side, each on its own d_k-sized slice
/// of learned projections, their outputs joined and projected back.
///
///     Q = X_q W_Q + b_Q,   K = X_kv W_K + b_K,   V = X_kv W_V + b_V          (each [B, ·, d_model])
///     headᵢ = softmax(Qᵢ Kᵢᵀ / √d_k + M) Vᵢ      Qᵢ, Kᵢ, Vᵢ: columns i·d_k ..< (i+1)·d_k
///     output = [head₁ … head_h] W_O + b_O
///
/// with d_k = d_model / h. Self-attention takes queries, keys and values from one sequence
/// (X_kv = X_q); cross-attention takes the queries from one and the keys and values from another (MAT's
/// decoder attends from the actions decoded so far to the encoded observations). With `causal: true`,
/// position i attends only to positions j ≤ i (see ``scaledDotProductAttention(q:k:v:causal:)``).
///
/// Shapes: X_q [B, T, d_model], X_kv [B, S, d_model] → output [B, T, d_model]. W_Q, W_K, W_V, W_O are
/// [d_model, d_model]; the biases [d_model].
///
/// Parameters, in order: `[W_Q, b_Q, W_K, b_K, W_V, b_V, W_O, b_O]`.
///
/// Source: Vaswani et al., "Attention Is All You Need" (2017), §3.2.2 (the equation for MultiHead);
/// biases as in PyTorch's `nn.MultiheadAttention` and MAT (Wen et al. 2022).
public struct MultiHeadAttention: Module {
  /// The query projection X ↦ X W_Q + b_Q.
  public private(set) var queryProjection: Linear
  /// The key projection X ↦ X W_K + b_K.
  public private(set) var keyProjection: Linear
  /// The value projection X ↦ X W_V + b_V.
  public private(set) var valueProjection: Linear
  /// The output projection [head₁ … head_h] ↦ · W_O + b_O.
  public private(set) var outputProjection: Linear
  /// The number of heads h.
  public let headCount: Int

  /// d_model, the size of every position's vector.
  public var modelSize: Int { queryProjection.inputSize }
  /// d_k = d_model / h, the size of each head's queries, keys and values.
  public var headSize: Int { modelSize / headCount }

  /// Attention over vectors of size `modelSize` split into `headCount` heads (which must divide it).
  /// All four weights are drawn by `weightInit` (MAT uses `.orthogonal(gain: 0.01)`), biases start at 0.
  public init(modelSize: Int, headCount: Int, weightInit: Initializer = .glorotUniform(), rng: inout RandomGenerator) {
    ensure(
      headCount > 0 && modelSize > 0 && modelSize % headCount == 0,
      "MultiHeadAttention: headCount \(headCount) must divide modelSize \(modelSize)")
    func projection() -> Linear { Linear(inputSize: modelSize, outputSize: modelSize, weightInit: weightInit, rng: &rng) }
    queryProjection = projection()
    keyProjection = projection()
    valueProjection = projection()
    outputProjection = projection()
    self.headCount = headCount
  }

  /// `[W_Q, b_Q, W_K, b_K, W_V, b_V, W_O, b_O]`.
  public var parameters: [Tensor] {
    get { queryProjection.parameters + keyProjection.parameters + valueProjection.parameters + outputProjection.parameters }
    set {
      let pieces = splitParameters(newValue, counts: [2, 2, 2, 2], in: "MultiHeadAttention")
      queryProjection.parameters = pieces[0]
      keyProjection.parameters = pieces[1]
      valueProjection.parameters = pieces[2]
      outputProjection.parameters = pieces[3]
    }
  }

  /// The attended sequence: `x` [B, T, d_model] attends to `memory` [B, S, d_model] (to itself when
  /// `memory` is nil) → [B, T, d_model].
  public func callAsFunction(_ x: Tensor, attendingTo memory: Tensor? = nil, causal: Bool = false) -> Tensor {
    let (q, k, v) = headProjections(x, memory ?? x)
    let heads = scaledDotProductAttention(q: q, k: k, v: v, causal: causal)  // [B·h, T, d_k]
    return outputProjection(mergeHeads(heads, batchSize: x.shape[0]))
  }

  /// The attention weights of every head, [B, h, T, S]: entry (b, i, t, s) is how much position t
  /// attends to position s in head i. Each row over s sums to 1.
  public func attentionWeights(_ x: Tensor, attendingTo memory: Tensor? = nil, causal: Bool = false) -> Tensor {
    let (q, k, _) = headProjections(x, memory ?? x)
    let a = Autodiff.attentionWeights(q: q, k: k, causal: causal)  // [B·h, T, S]
    return a.reshaped([x.shape[0], headCount, a.shape[1], a.shape[2]])
  }

  // MARK: - Splitting into heads and joining them

  /// Q, K, V with the heads moved into the batch axis: [B·h, T, d_k], [B·h, S, d_k], [B·h, S, d_k].
  private func headProjections(_ x: Tensor, _ memory: Tensor) -> (Tensor, Tensor, Tensor) {
    ensure(
      x.rank == 3 && x.shape[2] == modelSize,
      "MultiHeadAttention: expected queries [B, T, \(modelSize)], got \(x.shape)")
    ensure(
      memory.rank == 3 && memory.shape[0] == x.shape[0] && memory.shape[2] == modelSize,
      "MultiHeadAttention: expected keys/values [\(x.shape[0]), S, \(modelSize)], got \(memory.shape)")
    return (splitHeads(queryProjection(x)), splitHeads(keyProjection(memory)), splitHeads(valueProjection(memory)))
  }

  /// [B, T, d_model] → [B, T, h, d_k] → [B, h, T, d_k] → [B·h, T, d_k]: head i takes columns i·d_k ..< (i+1)·d_k.
  private func splitHeads(_ t: Tensor) -> Tensor {
    let (b, length) = (t.shape[0], t.shape[1])
    return t.reshaped([b, length, headCount, headSize])
      .permuted([0, 2, 1, 3])
      .reshaped([b * headCount, length, headSize])
  }

  /// [B·h, T, d_k] → [B, h, T, d_k] → [B, T, h, d_k] → [B, T, d_model]: the heads side by side again.
  private func mergeHeads(_ t: Tensor, batchSize b: Int) -> Tensor {
    let length = t.shape[1]
    return t.reshaped([b, headCount, length, headSize])
      .permuted([0, 2, 1, 3])
      .reshaped([b, length, modelSize])
  }
}
