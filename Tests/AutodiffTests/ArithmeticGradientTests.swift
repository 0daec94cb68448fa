import XCTest

@testable import Autodiff

/// +, −, ×, ÷ and negation: values against plain Double arithmetic, gradients against central
/// differences, on same shapes, on shapes that broadcast (in either direction, or both at once), and
/// with scalars on either side.
final class ArithmeticGradientTests: XCTestCase {
  /// The four binary ops, each with its Double counterpart. Division keeps y away from 0 (see inputs).
  private let binaryOps: [(name: String, op: (Tensor, Tensor) -> Tensor, scalar: (Double, Double) -> Double)] = [
    ("x + y", { $0 + $1 }, { $0 + $1 }),
    ("x − y", { $0 - $1 }, { $0 - $1 }),
    ("x ⊙ y", { $0 * $1 }, { $0 * $1 }),
    ("x ÷ y", { $0 / $1 }, { $0 / $1 }),
  ]

  func testSameShapeValuesAndGradients() {
    var rng = RandomGenerator(seed: 1)
    for _ in 0..<3 {
      let shape = rng.shape()
      let x = rng.tensor(shape), y = rng.tensorAwayFromZero(shape, magnitude: 0.5...2)
      let w = weight(shape)
      for (name, op, scalar) in binaryOps {
        assertTensor(op(x, y), equals: zip(x.scalars, y.scalars).map(scalar), shape: shape, "\(name) values")
        assertGradientsMatch("\(name), shape \(shape)", at: [x, y]) { v in weighted(op(v[0], v[1]), w) }
      }
    }
  }

  func testBroadcastingInBothDirections() {
    // Fixed cases first: x broadcast into y, y into x, both at once, a scalar tensor, a leading axis of 1.
    var cases: [(x: [Int], y: [Int])] = [
      ([3, 1], [4]), ([4], [3, 1]), ([3, 1], [1, 4]), ([2, 1, 3], [4, 1]), ([], [2, 3]), ([2, 3], []),
      ([1], [2, 3]), ([2, 3], [1, 1, 3]),
    ]
    var rng = RandomGenerator(seed: 2)
    for _ in 0..<6 {
      let (x, y, _) = rng.broadcastPair()
      cases.append((x, y))
    }
    for (xShape, yShape) in cases {
      let full = broadcastShape(xShape, yShape)
      let x = rng.tensor(xShape), y = rng.tensorAwayFromZero(yShape, magnitude: 0.5...2)
      let w = weight(full)
      for (name, op, scalar) in binaryOps {
        // Values: each output position reads x and y at the broadcast positions.
        let expected = (0..<full.reduce(1, *)).map { position -> Double in
          let index = multiIndex(position, in: full)
          return scalar(x.scalars[broadcastSource(index, from: xShape)], y.scalars[broadcastSource(index, from: yShape)])
        }
        assertTensor(op(x, y), equals: expected, shape: full, "\(name) values for \(xShape) ⊕ \(yShape)")
        assertGradientsMatch("\(name), \(xShape) ⊕ \(yShape)", at: [x, y]) { v in weighted(op(v[0], v[1]), w) }
      }
    }
  }

  func testScalarOnEitherSide() {
    var rng = RandomGenerator(seed: 3)
    let x = rng.tensorAwayFromZero([2, 3], magnitude: 0.5...2)
    let w = weight([2, 3])
    let c = 1.75
    let cases: [(name: String, op: (Tensor) -> Tensor, scalar: (Double) -> Double)] = [
      ("x + c", { $0 + c }, { $0 + c }), ("c + x", { c + $0 }, { c + $0 }),
      ("x − c", { $0 - c }, { $0 - c }), ("c − x", { c - $0 }, { c - $0 }),
      ("x · c", { $0 * c }, { $0 * c }), ("c · x", { c * $0 }, { c * $0 }),
      ("x / c", { $0 / c }, { $0 / c }), ("c / x", { c / $0 }, { c / $0 }),
      ("−x", { -$0 }, { -$0 }),
    ]
    for (name, op, scalar) in cases {
      assertTensor(op(x), equals: x.scalars.map(scalar), shape: [2, 3], tolerance: 1e-15, "\(name) values")
      assertGradientsMatch(name, at: [x]) { v in weighted(op(v[0]), w) }
    }
  }

  func testCompoundAssignment() {
    var rng = RandomGenerator(seed: 4)
    let a = rng.tensor([3]), b = rng.tensor([3])
    let w = weight([3])
    assertGradientsMatch("x += y; x −= y·y; x *= y", at: [a, b]) { v in
      var x = v[0]
      x += v[1]
      x -= v[1] * v[1]
      x *= v[1]
      return weighted(x, w)
    }
  }

  func testScalarTensorOperandGetsSummedGradient() {
    // z = x + s with s of shape []: ∂(Σ w ⊙ z)/∂s = Σ w (every output used s once).
    let x = Tensor([1, 2, 3], requiresGradient: true)
    let s = Tensor(0.5, requiresGradient: true)
    let w = Tensor([0.25, -1, 2])
    let grads = gradients(of: weighted(x + s, w), withRespectTo: [x, s])
    assertTensor(grads[1], equals: [1.25], shape: [], "∂/∂s of Σ w ⊙ (x + s) = Σ w = 0.25 − 1 + 2")
    assertTensor(grads[0], equals: w.scalars, shape: [3], "∂/∂x of Σ w ⊙ (x + s) = w")
  }
}

/// The flat position in a tensor of shape `source` that supplies output index `index` under broadcasting.
func broadcastSource(_ index: [Int], from source: [Int]) -> Int {
  let aligned = Array(index.suffix(source.count))
  return flatPosition(zip(aligned, source).map { $1 == 1 ? 0 : $0 }, in: source)
}
