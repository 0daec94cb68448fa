/// Central differences against reverse mode: the numerical check behind every derivative in the book.
///
/// For a scalar function f of tensors x₁…xₙ, each partial derivative is estimated as
///   ∂f/∂xᵢ ≈ (f(x + ε eᵢ) − f(x − ε eᵢ)) / 2ε,
/// whose error is O(ε²) (the ε¹ terms of the two Taylor expansions cancel), and compared with the
/// gradient that ``gradients(of:withRespectTo:seed:createGraph:)`` computes.
public struct GradientCheckResult: CustomStringConvertible {
  /// The reverse-mode gradients, one per input.
  public let analytic: [Tensor]
  /// The central-difference estimates, one per input.
  public let numeric: [Tensor]
  /// max over all entries of |analytic − numeric|.
  public let maxAbsoluteError: Double
  /// max over all entries of |analytic − numeric| / max(1, |analytic|, |numeric|).
  public let maxRelativeError: Double
  /// Whether `maxRelativeError ≤ tolerance`.
  public let passed: Bool

  public var description: String {
    "gradient check \(passed ? "passed" : "FAILED"): max|Δ| = \(maxAbsoluteError), max relative = \(maxRelativeError)"
  }
}

/// Compares the reverse-mode gradient of a scalar function `f` at `inputs` with central differences.
///
/// - Parameters:
///   - inputs: the point x at which to differentiate (their values; gradients are taken w.r.t. all).
///   - epsilon: the step ε (1e-6 balances truncation error O(ε²) against rounding error O(1/ε)).
///   - tolerance: the largest relative error accepted.
///   - f: the function; it must return a one-element tensor.
public func checkGradients(
  at inputs: [Tensor], epsilon: Double = 1e-6, tolerance: Double = 1e-6, _ f: ([Tensor]) -> Tensor
) -> GradientCheckResult {
  // Reverse mode.
  let (_, analytic) = valueWithGradients(at: inputs, f)
  // Central differences, one coordinate at a time. `f` runs with recording on (even when the caller is
  // inside `withoutGradients`), as it does for the reverse mode above, so that a function which itself
  // takes gradients (a meta-gradient) is evaluated correctly.
  let numeric: [Tensor] = inputs.indices.map { i in
    var estimate = [Double](repeating: 0, count: inputs[i].count)
    for k in 0..<inputs[i].count {
      var plus = inputs.map(\.detached), minus = inputs.map(\.detached)
      var up = inputs[i].scalars, down = inputs[i].scalars
      up[k] += epsilon
      down[k] -= epsilon
      plus[i] = Tensor(shape: inputs[i].shape, scalars: up)
      minus[i] = Tensor(shape: inputs[i].shape, scalars: down)
      estimate[k] = withGradientRecording(true) { (f(plus).scalar - f(minus).scalar) / (2 * epsilon) }
    }
    return Tensor(shape: inputs[i].shape, scalars: estimate)
  }
  var maxAbsolute = 0.0, maxRelative = 0.0
  for (a, n) in zip(analytic, numeric) {
    for (x, y) in zip(a.scalars, n.scalars) {
      let difference = Swift.abs(x - y)
      maxAbsolute = Swift.max(maxAbsolute, difference.isNaN ? .infinity : difference)
      let relative = difference / Swift.max(1, Swift.abs(x), Swift.abs(y))
      maxRelative = Swift.max(maxRelative, relative.isNaN ? .infinity : relative)
    }
  }
  return GradientCheckResult(
    analytic: analytic, numeric: numeric, maxAbsoluteError: maxAbsolute, maxRelativeError: maxRelative,
    passed: maxRelative <= tolerance)
}
