/// Indexing: gather one entry per row (log π(a|o)), its adjoint scatter-add, one-hot encodings,
/// and `where` (select by a mask).
extension Tensor {
  // MARK: - gather

  /// yᵢ = xᵢ,ₐᵢ: for each row i of x [N, K], the entry in column aᵢ. Shape [N].
  /// This is how log π(aᵢ|oᵢ) is read from log-probabilities of every action.
  /// Backward: ḡx = scatter of ḡ into zeros at (i, aᵢ).
  public func gathering(_ indices: [Int]) -> Tensor {
    precondition(rank == 2 && indices.count == shape[0], "gathering: needs x [N, K] and N indices, got shape \(shape) and \(indices.count) indices")
    let k = shape[1]
    precondition(indices.allSatisfy { $0 >= 0 && $0 < k }, "gathering: an index is outside 0..<\(k): \(indices)")
    let x = self
    let values = indices.enumerated().map { scalars[$0.offset * k + $0.element] }
    return .record("gather", shape: [shape[0]], scalars: values, inputs: [x]) { ḡ in
      [ḡ.scattering(indices, columns: k)]
    }
  }

  /// The adjoint of gathering: y [N, K] with yᵢ,ₐᵢ = xᵢ and zeros elsewhere. Backward: ḡx = ḡ gathered at aᵢ.
  public func scattering(_ indices: [Int], columns k: Int) -> Tensor {
    precondition(rank == 1 && indices.count == shape[0], "scattering: needs x [N] and N indices, got shape \(shape) and \(indices.count) indices")
    var out = [Double](repeating: 0, count: shape[0] * k)
    for (i, a) in indices.enumerated() { out[i * k + a] = scalars[i] }
    let x = self
    return .record("scatter", shape: [shape[0], k], scalars: out, inputs: [x]) { ḡ in [ḡ.gathering(indices)] }
  }

  // MARK: - one-hot

  /// The one-hot rows e_{aᵢ} ∈ {0,1}ᴷ: shape [N, K]. A constant.
  public static func oneHot(_ indices: [Int], depth k: Int) -> Tensor {
    precondition(indices.allSatisfy { $0 >= 0 && $0 < k }, "oneHot: an index is outside 0..<\(k): \(indices)")
    var out = [Double](repeating: 0, count: indices.count * k)
    for (i, a) in indices.enumerated() { out[i * k + a] = 1 }
    return Tensor(shape: [indices.count, k], scalars: out)
  }

  // MARK: - where

  /// zᵢ = xᵢ where maskᵢ is true, yᵢ elsewhere (x, y, mask broadcast to one shape). The mask is constant.
  /// Backward: ḡx = Σ ḡ ⊙ mask, ḡy = Σ ḡ ⊙ (1 − mask). Unlike x·m + y·(1 − m), an unselected
  /// −∞ (an attention mask) never turns into NaN.
  public static func `where`(_ mask: [Bool], shape maskShape: [Int], _ x: Tensor, _ y: Tensor) -> Tensor {
    precondition(mask.count == maskShape.reduce(1, *), "where: mask has \(mask.count) entries for shape \(maskShape)")
    let m = Tensor(shape: maskShape, scalars: mask.map { $0 ? 1 : 0 })
    let shape = broadcastShape(broadcastShape(x.shape, y.shape, op: "where"), maskShape, op: "where")
    let xs = x.broadcast(to: shape).scalars, ys = y.broadcast(to: shape).scalars, ms = m.broadcast(to: shape).scalars
    let values = (0..<xs.count).map { ms[$0] == 1 ? xs[$0] : ys[$0] }
    return .record("where", shape: shape, scalars: values, inputs: [x, y]) { ḡ in
      let mb = m.broadcast(to: shape)
      return [(ḡ * mb).sum(toShape: x.shape), (ḡ * (1 - mb)).sum(toShape: y.shape)]
    }
  }
}
