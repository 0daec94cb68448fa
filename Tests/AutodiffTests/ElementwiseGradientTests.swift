import Foundation
import XCTest

@testable import Autodiff

/// Elementwise functions: values against Foundation's scalar functions, gradients against central
/// differences on seeded random shapes. Inputs of non-smooth ops stay away from their kinks (0 for
/// relu/leakyRelu/elu/abs, the bounds of clamped, c for minimum/maximum, ties for the elementwise ones).
final class ElementwiseGradientTests: XCTestCase {
  /// One unary op: its name, the tensor op, the scalar function it computes, and where to draw inputs.
  private struct UnaryCase {
    let name: String
    let op: (Tensor) -> Tensor
    let scalar: (Double) -> Double
    let input: Domain
  }

  /// Where an op's inputs are drawn: anywhere in [−3, 3], at least 0.1 away from 0, or in [0.2, 3].
  private enum Domain {
    case anywhere, offZero, positive

    func draw(_ shape: [Int], _ rng: inout RandomGenerator) -> Tensor {
      switch self {
      case .anywhere: rng.tensor(shape, in: -3...3)
      case .offZero: rng.tensorAwayFromZero(shape, magnitude: 0.1...3)
      case .positive: rng.tensor(shape, in: 0.2...3)
      }
    }
  }

  private func unaryCases() -> [UnaryCase] {
    let Φ: (Double) -> Double = { 0.5 * (1 + erf($0 / 2.0.squareRoot())) }
    return [
      UnaryCase(name: "exp", op: { $0.exp() }, scalar: { Foundation.exp($0) }, input: .anywhere),
      UnaryCase(name: "log", op: { $0.log() }, scalar: { Foundation.log($0) }, input: .positive),
      UnaryCase(name: "tanh", op: { $0.tanh() }, scalar: { Foundation.tanh($0) }, input: .anywhere),
      UnaryCase(name: "sigmoid", op: { $0.sigmoid() }, scalar: { 1 / (1 + Foundation.exp(-$0)) }, input: .anywhere),
      UnaryCase(name: "relu", op: { $0.relu() }, scalar: { Swift.max($0, 0) }, input: .offZero),
      UnaryCase(name: "leakyRelu(0.01)", op: { $0.leakyRelu() }, scalar: { $0 > 0 ? $0 : 0.01 * $0 }, input: .offZero),
      UnaryCase(name: "leakyRelu(0.2)", op: { $0.leakyRelu(slope: 0.2) }, scalar: { $0 > 0 ? $0 : 0.2 * $0 }, input: .offZero),
      UnaryCase(name: "elu", op: { $0.elu() }, scalar: { $0 > 0 ? $0 : Foundation.exp($0) - 1 }, input: .offZero),
      UnaryCase(name: "gelu", op: { $0.gelu() }, scalar: { $0 * Φ($0) }, input: .anywhere),
      UnaryCase(name: "abs", op: { $0.abs() }, scalar: { Swift.abs($0) }, input: .offZero),
      UnaryCase(name: "sqrt", op: { $0.sqrt() }, scalar: { $0.squareRoot() }, input: .positive),
      UnaryCase(name: "squared", op: { $0.squared() }, scalar: { $0 * $0 }, input: .anywhere),
      UnaryCase(name: "pow(3)", op: { $0.pow(3) }, scalar: { Foundation.pow($0, 3) }, input: .anywhere),
      UnaryCase(name: "pow(2)", op: { $0.pow(2) }, scalar: { $0 * $0 }, input: .anywhere),
      UnaryCase(name: "pow(1)", op: { $0.pow(1) }, scalar: { $0 }, input: .anywhere),
      UnaryCase(name: "pow(0)", op: { $0.pow(0) }, scalar: { _ in 1 }, input: .anywhere),
      UnaryCase(name: "pow(−2)", op: { $0.pow(-2) }, scalar: { Foundation.pow($0, -2) }, input: .offZero),
      UnaryCase(name: "pow(0.5)", op: { $0.pow(0.5) }, scalar: { $0.squareRoot() }, input: .positive),
      UnaryCase(name: "pow(−1.5)", op: { $0.pow(-1.5) }, scalar: { Foundation.pow($0, -1.5) }, input: .positive),
    ]
  }

  func testUnaryValuesAndGradientsOnRandomShapes() {
    var rng = RandomGenerator(seed: 10)
    for testCase in unaryCases() {
      for _ in 0..<2 {
        let shape = rng.shape()
        let x = testCase.input.draw(shape, &rng)
        let expected = x.scalars.map(testCase.scalar)
        let scale = Swift.max(1, expected.map { Swift.abs($0) }.max() ?? 1)
        assertTensor(testCase.op(x), equals: expected, shape: shape, tolerance: 1e-14 * scale, "\(testCase.name) values")
        let w = weight(shape)
        assertGradientsMatch("\(testCase.name)", at: [x]) { v in weighted(testCase.op(v[0]), w) }
      }
    }
  }

  func testSigmoidIsStableForLargeInputs() {
    // σ(±800) must be 1 and 0 (not NaN from ∞/∞), and σ′ there is 0.
    let x = Tensor([-800, -40, 0, 40, 800], requiresGradient: true)
    let y = x.sigmoid()
    XCTAssertFalse(y.scalars.contains { $0.isNaN }, "sigmoid of large inputs: expected no NaN, got \(y.scalars)")
    assertScalar(y.scalars[0], equals: 0, tolerance: 1e-300, "σ(−800)")
    assertScalar(y.scalars[2], equals: 0.5, "σ(0)")
    assertScalar(y.scalars[4], equals: 1, "σ(800)")
    let g = gradients(of: y.sum(), withRespectTo: [x])[0]
    XCTAssertTrue(g.scalars.allSatisfy(\.isFinite), "σ′ at large inputs: expected finite, got \(g.scalars)")
    assertScalar(g.scalars[2], equals: 0.25, "σ′(0) = σ(0)(1 − σ(0)) = 1/4")
  }

  func testPowAtZeroHasFiniteDerivativeForExponentsZeroAndOne() {
    // d/dx x⁰ = 0 and d/dx x¹ = 1 everywhere, including x = 0 (where p·xᵖ⁻¹ would be 0·∞ = NaN).
    let x = Tensor([0, 2], requiresGradient: true)
    assertTensor(gradients(of: x.pow(0).sum(), withRespectTo: [x])[0], equals: [0, 0], shape: [2], "d/dx x⁰ at [0, 2]")
    assertTensor(gradients(of: x.pow(1).sum(), withRespectTo: [x])[0], equals: [1, 1], shape: [2], "d/dx x¹ at [0, 2]")
    assertTensor(gradients(of: x.pow(2).sum(), withRespectTo: [x])[0], equals: [0, 4], shape: [2], "d/dx x² = 2x at [0, 2]")
  }

  func testPowWithTensorExponent() {
    // y = xᵖ with p a tensor, broadcast either way; x > 0.
    var rng = RandomGenerator(seed: 11)
    for (xShape, pShape) in [([2, 3], [2, 3]), ([2, 3], [3]), ([3], [2, 1]), ([2, 2], [])] as [([Int], [Int])] {
      let x = rng.tensor(xShape, in: 0.3...2.5), p = rng.tensor(pShape, in: -1.5...2.5)
      let full = broadcastShape(xShape, pShape)
      let expected = (0..<full.reduce(1, *)).map { position -> Double in
        let index = multiIndex(position, in: full)
        return Foundation.pow(x.scalars[broadcastSource(index, from: xShape)], p.scalars[broadcastSource(index, from: pShape)])
      }
      assertTensor(x.pow(p), equals: expected, shape: full, tolerance: 1e-13, "x^p values, \(xShape) ^ \(pShape)")
      let w = weight(full)
      assertGradientsMatch("x^p, \(xShape) ^ \(pShape)", at: [x, p]) { v in weighted(v[0].pow(v[1]), w) }
    }
  }

  func testClampedAwayFromItsBounds() {
    // Points inside (−0.5, 0.8) get gradient 1, points outside get 0; none within 0.1 of a bound.
    let (low, high) = (-0.5, 0.8)
    let x = Tensor(shape: [2, 4], scalars: [-2, -0.7, -0.3, 0, 0.4, 0.65, 1.0, 3])
    assertTensor(x.clamped(low, high), equals: [-0.5, -0.5, -0.3, 0, 0.4, 0.65, 0.8, 0.8], shape: [2, 4], "clamped(−0.5, 0.8)")
    let w = weight([2, 4])
    assertGradientsMatch("clamped", at: [x]) { v in weighted(v[0].clamped(low, high), w) }
    let variable = Tensor(shape: [2, 4], scalars: x.scalars, requiresGradient: true)
    let g = gradients(of: variable.clamped(low, high).sum(), withRespectTo: [variable])[0]
    XCTAssertEqual(g.scalars, [0, 0, 1, 1, 1, 1, 0, 0], "∂ clamp/∂x: expected 1 strictly inside the bounds, 0 outside")
    var rng = RandomGenerator(seed: 12)
    for _ in 0..<2 {
      let shape = rng.shape()
      let r = Tensor(
        shape: shape,
        scalars: rng.tensor(shape, in: -2...2).scalars.map { s in
          [low, high].contains { Swift.abs(s - $0) < 0.1 } ? s + 0.25 : s
        })
      assertGradientsMatch("clamped, random shape \(shape)", at: [r]) { v in weighted(v[0].clamped(low, high), weight(shape)) }
    }
  }

  func testMinimumAndMaximumWithAScalar() {
    var rng = RandomGenerator(seed: 13)
    let c = 0.3
    for _ in 0..<2 {
      let shape = rng.shape()
      // Keep |x − c| ≥ 0.1.
      let x = rng.tensorAwayFromZero(shape, magnitude: 0.1...2) + c
      let w = weight(shape)
      assertTensor(x.minimum(c), equals: x.scalars.map { Swift.min($0, c) }, shape: shape, "minimum(x, 0.3)")
      assertTensor(x.maximum(c), equals: x.scalars.map { Swift.max($0, c) }, shape: shape, "maximum(x, 0.3)")
      assertGradientsMatch("minimum(x, c)", at: [x]) { v in weighted(v[0].minimum(c), w) }
      assertGradientsMatch("maximum(x, c)", at: [x]) { v in weighted(v[0].maximum(c), w) }
    }
  }

  func testElementwiseMinimumAndMaximumWithBroadcasting() {
    var rng = RandomGenerator(seed: 14)
    for (xShape, yShape) in [([2, 3], [2, 3]), ([2, 3], [3]), ([3, 1], [1, 4]), ([4], [])] as [([Int], [Int])] {
      let full = broadcastShape(xShape, yShape)
      // Draw y, then x = y (at its broadcast positions) plus a gap of at least 0.1, so there are no ties.
      let y = rng.tensor(yShape)
      let x = rng.tensor(xShape)
      let gapped: Tensor = {
        let xs = x.scalars.enumerated().map { position, value -> Double in
          let index = multiIndex(position, in: xShape)
          // x meets every y entry it is broadcast against; push it 0.1 away from all of them.
          var v = value
          for yPosition in 0..<y.count
          where Swift.abs(v - y.scalars[yPosition]) < 0.1 && fits(index, xShape, yPosition, yShape, full) {
            v += 0.25
          }
          return v
        }
        return Tensor(shape: xShape, scalars: xs)
      }()
      let w = weight(full)
      let expectedMin = (0..<full.reduce(1, *)).map { p -> Double in
        let i = multiIndex(p, in: full)
        return Swift.min(gapped.scalars[broadcastSource(i, from: xShape)], y.scalars[broadcastSource(i, from: yShape)])
      }
      assertTensor(minimum(gapped, y), equals: expectedMin, shape: full, "minimum(x, y) values, \(xShape) ⊕ \(yShape)")
      assertGradientsMatch("minimum(x, y), \(xShape) ⊕ \(yShape)", at: [gapped, y]) { v in weighted(minimum(v[0], v[1]), w) }
      assertGradientsMatch("maximum(x, y), \(xShape) ⊕ \(yShape)", at: [gapped, y]) { v in weighted(maximum(v[0], v[1]), w) }
    }
  }

  func testTiesSendTheGradientToTheFirstArgument() {
    // Documented tie rule: minimum and maximum give the whole gradient to x when x = y.
    let x = Tensor([1, 2], requiresGradient: true), y = Tensor([1, 3], requiresGradient: true)
    let gMin = gradients(of: minimum(x, y).sum(), withRespectTo: [x, y])
    assertTensor(gMin[0], equals: [1, 1], shape: [2], "∂ min/∂x (tie at entry 0, x smaller at entry 1)")
    assertTensor(gMin[1], equals: [0, 0], shape: [2], "∂ min/∂y")
    let gMax = gradients(of: maximum(x, y).sum(), withRespectTo: [x, y])
    assertTensor(gMax[0], equals: [1, 0], shape: [2], "∂ max/∂x (tie at entry 0, y larger at entry 1)")
    assertTensor(gMax[1], equals: [0, 1], shape: [2], "∂ max/∂y")
  }
}

/// Whether x's entry at `xIndex` meets y's entry at flat position `yPosition` somewhere in the broadcast.
private func fits(_ xIndex: [Int], _ xShape: [Int], _ yPosition: Int, _ yShape: [Int], _ full: [Int]) -> Bool {
  let yIndex = multiIndex(yPosition, in: yShape)
  let xAligned = Array(repeating: 0, count: full.count - xShape.count) + xIndex
  let yAligned = Array(repeating: 0, count: full.count - yShape.count) + yIndex
  let xPadded = Array(repeating: 1, count: full.count - xShape.count) + xShape
  let yPadded = Array(repeating: 1, count: full.count - yShape.count) + yShape
  return full.indices.allSatisfy { axis in
    xPadded[axis] == 1 || yPadded[axis] == 1 || xAligned[axis] == yAligned[axis]
  }
}
