import Foundation

/// Reductions: sum, mean, max and log-sum-exp, over all elements or along axes.
///
/// Axes may be negative (−1 is the last axis). With `keepingDimensions` the reduced axes stay, with
/// extent 1, so the result broadcasts against the input (handy for `x - x.max(alongAxes: [-1], keepingDimensions: true)`).
extension Tensor {
  /// Normalises possibly-negative axes for this tensor's rank, checking them.
  func normalisedAxes(_ axes: [Int], op: String) -> [Int] {
    ensure(valid: axesFailure(axes, shape: shape, op: op))
    return axes.map { $0 < 0 ? $0 + rank : $0 }.sorted()
  }

  /// The shape after reducing `axes` (given normalised): extent 1 there, or removed.
  func reducedShape(_ axes: [Int], keeping: Bool) -> [Int] {
    keeping
      ? shape.enumerated().map { axes.contains($0.offset) ? 1 : $0.element }
      : shape.enumerated().filter { !axes.contains($0.offset) }.map(\.element)
  }

  // MARK: - sum

  /// y = Σᵢ xᵢ over all elements: a scalar. Backward: ḡx = ḡ broadcast to x's shape.
  public func sum() -> Tensor {
    let x = self
    return .record("sum", shape: [], scalars: [scalars.reduce(0, +)], inputs: [x]) { ḡ in [ḡ.broadcast(to: x.shape)] }
  }

  /// y = Σ over the given axes. Backward: ḡx = ḡ (with the reduced axes restored as 1) broadcast to x.
  ///
  /// Written as ``sum(toShape:)`` (the adjoint of broadcasting) followed by a reshape.
  public func sum(alongAxes axes: [Int], keepingDimensions: Bool = false) -> Tensor {
    let axes = normalisedAxes(axes, op: "sum(alongAxes:)")
    let kept = sum(toShape: reducedShape(axes, keeping: true))
    return keepingDimensions ? kept : kept.reshaped(reducedShape(axes, keeping: false))
  }

  // MARK: - mean

  /// y = (1/N) Σᵢ xᵢ over all elements.
  public func mean() -> Tensor { sum() / Double(Swift.max(count, 1)) }

  /// y = mean over the given axes.
  public func mean(alongAxes axes: [Int], keepingDimensions: Bool = false) -> Tensor {
    let axes = normalisedAxes(axes, op: "mean(alongAxes:)")
    let n = axes.reduce(1) { $0 * shape[$1] }
    return sum(alongAxes: axes, keepingDimensions: keepingDimensions) / Double(Swift.max(n, 1))
  }

  // MARK: - max

  /// y = max over one axis. Backward: ḡ goes to the first position attaining the maximum:
  /// ḡx = ḡ ⊙ 𝟙[i = argmax] (a constant mask, so max″ = 0 almost everywhere).
  public func max(alongAxis axis: Int, keepingDimensions: Bool = false) -> Tensor {
    let axis = normalisedAxes([axis], op: "max(alongAxis:)")[0]
    let outer = shape[..<axis].reduce(1, *)
    let n = shape[axis]
    let inner = shape[(axis + 1)...].reduce(1, *)
    ensure(n > 0, "max(alongAxis:): axis \(axis) of shape \(shape) is empty")
    var values = [Double](repeating: -.infinity, count: outer * inner)
    var mask = [Double](repeating: 0, count: count)
    scalars.withUnsafeBufferPointer { x in
      for o in 0..<outer {
        for i in 0..<inner {
          // x[o, k, i] for k = 0, 1, …, n − 1 lie `inner` apart, from x[o, 0, i].
          var best = o * n * inner + i, candidate = best
          for _ in 1..<n {
            candidate += inner
            if x[candidate] > x[best] { best = candidate }
          }
          values[o * inner + i] = x[best]
          mask[best] = 1
        }
      }
    }
    let x = self
    let keptShape = reducedShape([axis], keeping: true)
    let y = Tensor.record("max", shape: keptShape, scalars: values, inputs: [x]) { ḡ in
      [ḡ.broadcast(to: x.shape) * Tensor(shape: x.shape, scalars: mask)]
    }
    return keepingDimensions ? y : y.reshaped(reducedShape([axis], keeping: false))
  }

  /// y = max over all elements (a scalar).
  public func max() -> Tensor { reshaped([count]).max(alongAxis: 0) }

  /// The index of the largest element along the last axis, for each position of the other axes
  /// (ties go to the lowest index). Not differentiable: it returns integers.
  public func argmax() -> [Int] {
    let n = shape.last ?? 1
    ensure(n > 0, "argmax: last axis of shape \(shape) is empty")
    return (0..<(count / n)).map { row in
      var best = 0
      for k in 1..<Swift.max(n, 1) where scalars[row * n + k] > scalars[row * n + best] { best = k }
      return best
    }
  }

  // MARK: - logsumexp

  /// y = log Σₖ exp(xₖ) along one axis, computed stably as m + log Σₖ exp(xₖ − m) with m = max x
  /// (m is a constant: the identity holds for any m, so no gradient needs to flow through it).
  /// Backward (by the ops it is made of): ḡx = ḡ ⊙ softmax(x).
  public func logSumExp(alongAxis axis: Int, keepingDimensions: Bool = false) -> Tensor {
    let m = detached.max(alongAxis: axis, keepingDimensions: true)
    let finiteM = Tensor(shape: m.shape, scalars: m.scalars.map { $0.isFinite ? $0 : 0 })
    let y = (self - finiteM).exp().sum(alongAxes: [axis], keepingDimensions: true).log() + finiteM
    return keepingDimensions ? y : y.reshaped(reducedShape(normalisedAxes([axis], op: "logSumExp"), keeping: false))
  }
}

/// Why `axes` (possibly negative) are not distinct axes of `shape` for `op`, or nil.
func axesFailure(_ axes: [Int], shape: [Int], op: String) -> String? {
  let result = axes.map { $0 < 0 ? $0 + shape.count : $0 }
  if !result.allSatisfy({ $0 >= 0 && $0 < shape.count }) { return "\(op): axes \(axes) out of range for shape \(shape)" }
  return Set(result).count == result.count ? nil : "\(op): repeated axes \(axes) for shape \(shape)"
}
