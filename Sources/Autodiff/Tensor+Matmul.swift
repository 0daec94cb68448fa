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
    let c = multiplyMatrices(a.scalars, b.scalars, m: m, k: k, n: n, batch: 1)
    return .record("matmul", shape: [m, n], scalars: c, inputs: [a, b]) { ḡ in
      [gradient(for: a) { matmul(ḡ, transposing: b) }, gradient(for: b) { matmul(transposing: a, ḡ) }]
    }
  case (3, 3):
    let (batch, m, k, n) = (a.shape[0], a.shape[1], a.shape[2], b.shape[2])
    let c = multiplyMatrices(a.scalars, b.scalars, m: m, k: k, n: n, batch: batch)
    return .record("batchedMatmul", shape: [batch, m, n], scalars: c, inputs: [a, b]) { ḡ in
      [gradient(for: a) { matmul(ḡ, transposing: b) }, gradient(for: b) { matmul(transposing: a, ḡ) }]
    }
  case (3, 2):
    // One matrix for every batch entry: the same as folding the batch into the rows.
    let (batch, m, k) = (a.shape[0], a.shape[1], a.shape[2])
    return matmul(a.reshaped([batch * m, k]), b).reshaped([batch, m, b.shape[1]])
  default:
    fatalError("unreachable: matmulFailure accepted \(a.shape) × \(b.shape)")
  }
}

// MARK: - With a transposed operand, for the backward rules

/// C = A Bᵀ, reading B transposed in place (no copy of Bᵀ is made): [m, k] × [n, k] → [m, n], or
/// batched [b, m, k] × [b, n, k] → [b, m, n]. The same as `matmul(a, b.transposed())`.
/// Backward: ḡA = ḡ B and ḡB = ḡᵀ A.
func matmul(_ a: Tensor, transposing b: Tensor) -> Tensor {
  ensure(valid: matmulFailure(a.shape, swappingLastTwoAxes(b.shape)))
  ensure(a.rank == b.rank, "matmul(_:transposing:): needs two matrices or two batches, got \(a.shape) × \(b.shape)ᵀ")
  let (batch, m, k, n) = (a.rank == 3 ? a.shape[0] : 1, a.shape[a.rank - 2], a.shape[a.rank - 1], b.shape[b.rank - 2])
  let c = multiplyMatrices(a.scalars, b.scalars, m: m, k: k, n: n, batch: batch, transposingB: true)
  let shape = a.rank == 3 ? [batch, m, n] : [m, n]
  return .record("matmulTransposingB", shape: shape, scalars: c, inputs: [a, b]) { ḡ in
    [gradient(for: a) { matmul(ḡ, b) }, gradient(for: b) { matmul(transposing: ḡ, a) }]
  }
}

/// C = Aᵀ B, reading A transposed in place (no copy of Aᵀ is made): [k, m] × [k, n] → [m, n], or
/// batched [b, k, m] × [b, k, n] → [b, m, n]. The same as `matmul(a.transposed(), b)`.
/// Backward: ḡA = B ḡᵀ and ḡB = A ḡ.
func matmul(transposing a: Tensor, _ b: Tensor) -> Tensor {
  ensure(valid: matmulFailure(swappingLastTwoAxes(a.shape), b.shape))
  ensure(a.rank == b.rank, "matmul(transposing:_:): needs two matrices or two batches, got \(a.shape)ᵀ × \(b.shape)")
  let (batch, m, k, n) = (a.rank == 3 ? a.shape[0] : 1, a.shape[a.rank - 1], a.shape[a.rank - 2], b.shape[b.rank - 1])
  let c = multiplyMatrices(a.scalars, b.scalars, m: m, k: k, n: n, batch: batch, transposingA: true)
  let shape = a.rank == 3 ? [batch, m, n] : [m, n]
  return .record("matmulTransposingA", shape: shape, scalars: c, inputs: [a, b]) { ḡ in
    [gradient(for: a) { matmul(b, transposing: ḡ) }, gradient(for: b) { matmul(a, ḡ) }]
  }
}

/// The gradient `product()` for an input of a matrix product, or zeros when the input is a constant (the
/// data x fed to a layer): the backward pass drops the gradients of constants, so their product, as costly
/// as the forward one, is skipped.
@inline(__always)
private func gradient(for input: Tensor, _ product: () -> Tensor) -> Tensor {
  input.requiresGradient ? product() : Tensor.zeros(input.shape)
}

/// `shape` with its last two extents swapped (the shape of the transpose), when its rank is at least 2.
func swappingLastTwoAxes(_ shape: [Int]) -> [Int] {
  guard shape.count >= 2 else { return shape }
  var swapped = shape
  swapped.swapAt(shape.count - 1, shape.count - 2)
  return swapped
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
