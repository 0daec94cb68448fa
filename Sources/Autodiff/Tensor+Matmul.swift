/// Matrix multiplication, 2-D and batched.
///
/// C = A B with Cᵢⱼ = Σₚ Aᵢₚ Bₚⱼ. Shapes: [m, k] × [k, n] → [m, n]; batched [b, m, k] × [b, k, n] →
/// [b, m, n]; and [b, m, k] × [k, n] → [b, m, n] (one matrix applied to every batch entry).
/// Backward: ḡA = ḡ Bᵀ and ḡB = Aᵀ ḡ (summed over the batch when B was shared).
public func matmul(_ a: Tensor, _ b: Tensor) -> Tensor {
  ensure(valid: matmulFailure(a.shape, b.shape))
  switch (a.rank, b.rank) {
  case (2, 2):
    let (m, k, n) = (a.shape[0], a.shape[1], b.shape[1])
    let c = multiplyMatrices(a.scalars, b.scalars, m: m, k: k, n: n, batch: 1, sharedB: false)
    return .record("matmul", shape: [m, n], scalars: c, inputs: [a, b]) { ḡ in
      [matmul(ḡ, b.transposed()), matmul(a.transposed(), ḡ)]
    }
  case (3, 3):
    let (batch, m, k, n) = (a.shape[0], a.shape[1], a.shape[2], b.shape[2])
    let c = multiplyMatrices(a.scalars, b.scalars, m: m, k: k, n: n, batch: batch, sharedB: false)
    return .record("batchedMatmul", shape: [batch, m, n], scalars: c, inputs: [a, b]) { ḡ in
      [matmul(ḡ, b.transposed()), matmul(a.transposed(), ḡ)]
    }
  case (3, 2):
    // One matrix for every batch entry: the same as folding the batch into the rows.
    let (batch, m, k) = (a.shape[0], a.shape[1], a.shape[2])
    return matmul(a.reshaped([batch * m, k]), b).reshaped([batch, m, b.shape[1]])
  default:
    fatalError("unreachable: matmulFailure accepted \(a.shape) × \(b.shape)")
  }
}

/// Why `matmul` cannot multiply shapes `a` and `b`, or nil when it can.
func matmulFailure(_ a: [Int], _ b: [Int]) -> String? {
  switch (a.count, b.count) {
  case (2, 2), (3, 2):
    return a[a.count - 1] == b[0] ? nil : "matmul: inner dimensions differ: \(a) × \(b)"
  case (3, 3):
    return a[0] == b[0] && a[2] == b[1] ? nil : "matmul: batched shapes do not fit: \(a) × \(b)"
  default:
    return "matmul: needs [m,k]×[k,n], [b,m,k]×[b,k,n] or [b,m,k]×[k,n], got \(a) × \(b)"
  }
}

extension Tensor {
  /// `matmul(self, other)`.
  public func matmul(_ other: Tensor) -> Tensor { Autodiff.matmul(self, other) }
}
