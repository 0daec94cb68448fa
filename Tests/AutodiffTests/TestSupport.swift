import XCTest

@testable import Autodiff

// Shared helpers for the Autodiff tests: seeded random inputs (kept away from kinks), the first-order
// gradient check, the second-order Hessian–vector-product check, and value comparisons whose failure
// messages say what was expected and what came back.

// MARK: - Random inputs

extension RandomGenerator {
  /// A tensor of independent Uniform[low, high) entries.
  mutating func tensor(_ shape: [Int], in range: ClosedRange<Double> = -2...2) -> Tensor {
    uniform(shape, range.lowerBound, range.upperBound)
  }

  /// A tensor whose entries have magnitude in `magnitude` and a random sign: never closer to 0 than
  /// `magnitude.lowerBound`, so ops with a kink at 0 (relu, abs, …) are differentiable there.
  mutating func tensorAwayFromZero(_ shape: [Int], magnitude: ClosedRange<Double> = 0.2...2) -> Tensor {
    Tensor(
      shape: shape,
      scalars: (0..<shape.reduce(1, *)).map { _ in
        (uniform() < 0.5 ? -1 : 1) * uniform(magnitude.lowerBound, magnitude.upperBound)
      })
  }

  /// A tensor of `shape` whose entries are distinct and at least `gap` apart (a shuffled ladder plus a
  /// small jitter), so that max and argmax have no ties.
  mutating func tensorWithoutTies(_ shape: [Int], gap: Double = 0.1) -> Tensor {
    let count = shape.reduce(1, *)
    let ladder = (0..<count).map { Double($0) * 2 * gap - Double(count) * gap }.shuffled(using: &self)
    return Tensor(shape: shape, scalars: ladder.map { $0 + uniform(0, gap / 2) })
  }

  /// A random shape of rank in `rank` with extents in `extent`.
  mutating func shape(rank: ClosedRange<Int> = 1...3, extent: ClosedRange<Int> = 1...4) -> [Int] {
    (0..<integer(in: rank)).map { _ in integer(in: extent) }
  }

  /// An integer uniformly in `range`.
  mutating func integer(in range: ClosedRange<Int>) -> Int {
    range.lowerBound + integer(below: range.count)
  }

  /// Two shapes that broadcast together to `full`: each is `full` with some leading axes dropped and some
  /// extents replaced by 1 (on at most one side per axis, so both directions of broadcasting occur).
  mutating func broadcastPair(rank: ClosedRange<Int> = 1...3) -> (x: [Int], y: [Int], full: [Int]) {
    let full = shape(rank: rank, extent: 2...4)
    var x = full, y = full
    for axis in full.indices {
      switch integer(below: 3) {
      case 0: x[axis] = 1
      case 1: y[axis] = 1
      default: break
      }
    }
    x.removeFirst(integer(below: x.count + 1) / 2)
    y.removeFirst(integer(below: y.count + 1) / 2)
    return (x, y, full)
  }
}

// MARK: - Functions to differentiate

/// Σ w ⊙ y for a fixed weight w of y's shape: a scalar whose gradient with respect to y is w, so that a
/// gradient check sees every output of an op with a different weight (a plain sum would hide, say, a
/// transposed gradient).
func weighted(_ y: Tensor, _ w: Tensor) -> Tensor { (y * w).sum() }

/// A fixed random weight for an output of `shape` (seeded, so every run checks the same function).
func weight(_ shape: [Int], seed: UInt64 = 99) -> Tensor {
  var rng = RandomGenerator(seed: seed)
  return rng.tensor(shape, in: -1.5...1.5)
}

// MARK: - First order

/// Checks reverse-mode gradients of `f` at `inputs` against central differences, with a message that
/// names the check and shows both gradients.
func assertGradientsMatch(
  _ name: String, at inputs: [Tensor], epsilon: Double = 1e-6, tolerance: Double = 1e-6,
  file: StaticString = #filePath, line: UInt = #line, _ f: ([Tensor]) -> Tensor
) {
  let result = checkGradients(at: inputs, epsilon: epsilon, tolerance: tolerance, f)
  XCTAssertTrue(
    result.passed,
    """
    \(name) at shapes \(inputs.map(\.shape)): expected reverse mode to match central differences within \
    relative \(tolerance), got max relative error \(result.maxRelativeError) (max |Δ| \(result.maxAbsoluteError)).
    reverse mode: \(result.analytic.map(\.scalars))
    central differences: \(result.numeric.map(\.scalars))
    """, file: file, line: line)
  for (gradient, input) in zip(result.analytic, inputs) {
    XCTAssertEqual(gradient.shape, input.shape, "\(name): gradient shape should equal the input's", file: file, line: line)
  }
}

// MARK: - Second order

/// The Hessian–vector products of a scalar `f` at `inputs` along random directions v, two ways:
///
/// - reverse over reverse: g = ∇f(x) computed with `createGraph: true`, then ∇ₓ(Σₖ gₖ ⊙ vₖ) = H v;
/// - central differences of the first-order gradient: (∇f(x + εv) − ∇f(x − εv)) / 2ε = H v + O(ε²).
///
/// Passing means the gradient is itself correctly differentiable (every backward rule on the path was
/// recorded with differentiable ops and is right).
func assertHessianVectorProductMatches(
  _ name: String, at inputs: [Tensor], seed: UInt64 = 7, epsilon: Double = 1e-5, tolerance: Double = 1e-6,
  file: StaticString = #filePath, line: UInt = #line, _ f: ([Tensor]) -> Tensor
) {
  var rng = RandomGenerator(seed: seed)
  let directions = inputs.map { rng.normal($0.shape) }

  // Reverse over reverse.
  let variables = inputs.map { Tensor(shape: $0.shape, scalars: $0.scalars, requiresGradient: true) }
  let firstOrder = gradients(of: f(variables), withRespectTo: variables, createGraph: true)
  let gradientDotV = zip(firstOrder, directions).map { ($0 * $1).sum() }.reduce(Tensor(0)) { $0 + $1 }
  let reverse = gradients(of: gradientDotV, withRespectTo: variables)

  // Central differences of the first-order gradient along v.
  func shifted(_ step: Double) -> [Tensor] {
    zip(inputs, directions).map { x, v in
      Tensor(shape: x.shape, scalars: zip(x.scalars, v.scalars).map { $0 + step * $1 })
    }
  }
  let up = valueWithGradients(at: shifted(epsilon), f).gradients
  let down = valueWithGradients(at: shifted(-epsilon), f).gradients
  let numeric = zip(up, down).map { u, d in zip(u.scalars, d.scalars).map { ($0 - $1) / (2 * epsilon) } }

  var worst = 0.0
  for (r, n) in zip(reverse, numeric) {
    for (a, b) in zip(r.scalars, n) {
      let relative = Swift.abs(a - b) / Swift.max(1, Swift.abs(a), Swift.abs(b))
      worst = Swift.max(worst, relative.isNaN ? .infinity : relative)
    }
  }
  XCTAssertLessThanOrEqual(
    worst, tolerance,
    """
    \(name) at shapes \(inputs.map(\.shape)): expected the Hessian–vector product by reverse over reverse to \
    match central differences of the gradient within relative \(tolerance), got max relative error \(worst).
    reverse over reverse: \(reverse.map(\.scalars))
    central differences: \(numeric)
    """, file: file, line: line)
}

// MARK: - Values

/// Asserts that `actual` has `shape` and scalars within `tolerance` of `expected` (absolute, per entry).
func assertTensor(
  _ actual: Tensor, equals expected: [Double], shape: [Int], tolerance: Double = 1e-12, _ what: String,
  file: StaticString = #filePath, line: UInt = #line
) {
  XCTAssertEqual(actual.shape, shape, "\(what): expected shape \(shape), got \(actual.shape)", file: file, line: line)
  guard actual.scalars.count == expected.count else {
    XCTFail(
      "\(what): expected \(expected.count) scalars \(expected), got \(actual.scalars.count): \(actual.scalars)", file: file,
      line: line)
    return
  }
  let worst = zip(actual.scalars, expected).map { Swift.abs($0 - $1) }.max() ?? 0
  XCTAssertTrue(
    worst <= tolerance,
    "\(what): expected \(expected), got \(actual.scalars) (max |Δ| = \(worst), tolerance \(tolerance))",
    file: file, line: line)
}

/// Asserts that two scalars agree within `tolerance` (absolute), naming what they are.
func assertScalar(
  _ actual: Double, equals expected: Double, tolerance: Double = 1e-12, _ what: String,
  file: StaticString = #filePath, line: UInt = #line
) {
  XCTAssertTrue(
    Swift.abs(actual - expected) <= tolerance,
    "\(what): expected \(expected), got \(actual) (|Δ| = \(Swift.abs(actual - expected)), tolerance \(tolerance))",
    file: file, line: line)
}

/// The row-major multi-index of a flat position in `shape`.
func multiIndex(_ position: Int, in shape: [Int]) -> [Int] {
  var index = [Int](repeating: 0, count: shape.count)
  var rest = position
  for axis in shape.indices.reversed() {
    index[axis] = rest % shape[axis]
    rest /= shape[axis]
  }
  return index
}

/// The flat position of a multi-index in `shape`.
func flatPosition(_ index: [Int], in shape: [Int]) -> Int {
  zip(index, shape).reduce(0) { $0 * $1.1 + $1.0 }
}
