import Foundation
import XCTest

@testable import Autodiff

/// Higher order: gradients computed with `createGraph: true` are differentiated again and compared with
/// central differences of the first-order gradient (Hessian–vector products, see
/// ``assertHessianVectorProductMatches``). Ops with f″ ≠ 0 are checked directly (Σ w ⊙ op(x)); ops that
/// are linear or piecewise linear are checked under a cubic, Σ w ⊙ op(x)³, whose Hessian runs through the
/// op's backward rule applied to a gradient that depends on x (so that rule must be recorded too).
final class SecondOrderTests: XCTestCase {
  /// Σ w ⊙ y³ for a fixed weight: a smooth non-quadratic head.
  private func cubic(_ y: Tensor) -> Tensor { weighted(y * y * y, weight(y.shape, seed: 5)) }

  func testElementwiseOpsWithCurvature() {
    var rng = RandomGenerator(seed: 80)
    let shape = [2, 3]
    let anywhere = rng.tensor(shape, in: -2...2)
    let positive = rng.tensor(shape, in: 0.3...2.5)
    let offZero = rng.tensorAwayFromZero(shape, magnitude: 0.2...2)
    let w = weight(shape)
    let cases: [(String, Tensor, (Tensor) -> Tensor)] = [
      ("exp", anywhere, { $0.exp() }), ("log", positive, { $0.log() }), ("tanh", anywhere, { $0.tanh() }),
      ("sigmoid", anywhere, { $0.sigmoid() }), ("elu", offZero, { $0.elu() }), ("gelu", anywhere, { $0.gelu() }),
      ("sqrt", positive, { $0.sqrt() }), ("squared", anywhere, { $0.squared() }), ("pow(3)", anywhere, { $0.pow(3) }),
      ("pow(−1.5)", positive, { $0.pow(-1.5) }), ("pow(0.5)", positive, { $0.pow(0.5) }), ("c / x", offZero, { 2.5 / $0 }),
    ]
    for (name, x, op) in cases {
      assertHessianVectorProductMatches(name, at: [x]) { v in weighted(op(v[0]), w) }
    }
  }

  func testBinaryArithmeticIncludingBroadcasting() {
    var rng = RandomGenerator(seed: 81)
    for (xShape, yShape) in [([2, 3], [2, 3]), ([3, 1], [4]), ([2], [])] as [([Int], [Int])] {
      let x = rng.tensor(xShape), y = rng.tensorAwayFromZero(yShape, magnitude: 0.5...2)
      let w = weight(broadcastShape(xShape, yShape))
      assertHessianVectorProductMatches("x ⊙ y, \(xShape) ⊕ \(yShape)", at: [x, y]) { v in weighted(v[0] * v[1], w) }
      assertHessianVectorProductMatches("x ÷ y, \(xShape) ⊕ \(yShape)", at: [x, y]) { v in weighted(v[0] / v[1], w) }
      assertHessianVectorProductMatches("(x + y)³", at: [x, y]) { v in self.cubic(v[0] + v[1]) }
      assertHessianVectorProductMatches("(x − y)³", at: [x, y]) { v in self.cubic(v[0] - v[1]) }
      assertHessianVectorProductMatches("(−x · 2 + 1 − y / 3)³", at: [x, y]) { v in self.cubic(-v[0] * 2 + 1 - v[1] / 3) }
    }
    let base = rng.tensor([2, 2], in: 0.5...2), exponent = rng.tensor([2], in: -1...2)
    assertHessianVectorProductMatches("x^p, tensor exponent", at: [base, exponent]) { v in
      weighted(v[0].pow(v[1]), weight([2, 2]))
    }
  }

  func testPiecewiseLinearOpsUnderACubic() {
    // relu″ = leakyRelu″ = abs″ = clamp″ = min″ = max″ = 0 away from kinks; the cubic makes the Hessian non-zero.
    var rng = RandomGenerator(seed: 82)
    let x = rng.tensorAwayFromZero([2, 3], magnitude: 0.2...2)
    let y = x + rng.tensorAwayFromZero([2, 3], magnitude: 0.2...1)  // |x − y| ≥ 0.2: no ties
    let cases: [(String, (Tensor) -> Tensor)] = [
      ("relu", { $0.relu() }), ("leakyRelu", { $0.leakyRelu(slope: 0.1) }), ("abs", { $0.abs() }),
      ("minimum(x, 0)", { $0.minimum(0) }), ("maximum(x, 0)", { $0.maximum(0) }),
    ]
    for (name, op) in cases {
      assertHessianVectorProductMatches("(\(name))³", at: [x]) { v in self.cubic(op(v[0])) }
    }
    // Inside, below and above the clip range, each at least 0.2 from a bound.
    let clipped = Tensor(shape: [2, 3], scalars: [-1.6, -0.7, -0.2, 0.3, 0.8, 1.5])
    assertHessianVectorProductMatches("(clamped(−1, 1))³", at: [clipped]) { v in self.cubic(v[0].clamped(-1, 1)) }
    assertHessianVectorProductMatches("minimum(x, y)³", at: [x, y]) { v in self.cubic(minimum(v[0], v[1])) }
    assertHessianVectorProductMatches("maximum(x, y)³", at: [x, y]) { v in self.cubic(maximum(v[0], v[1])) }
  }

  func testReductionsAndSoftmax() {
    var rng = RandomGenerator(seed: 83)
    let x = rng.tensorWithoutTies([3, 4], gap: 0.15)
    let cases: [(String, (Tensor) -> Tensor)] = [
      ("sum()", { $0.sum() }), ("sum along [0]", { $0.sum(alongAxes: [0]) }),
      ("sum along [-1], kept", { $0.sum(alongAxes: [-1], keepingDimensions: true) }),
      ("mean()", { $0.mean() }), ("mean along [1]", { $0.mean(alongAxes: [1]) }),
      ("max along 1", { $0.max(alongAxis: 1) }), ("max along 0, kept", { $0.max(alongAxis: 0, keepingDimensions: true) }),
    ]
    for (name, op) in cases {
      assertHessianVectorProductMatches("(\(name))³", at: [x]) { v in self.cubic(op(v[0])) }
    }
    // logSumExp and softmax have curvature of their own.
    for axis in [0, 1] {
      assertHessianVectorProductMatches("logSumExp along \(axis)", at: [x]) { v in
        weighted(v[0].logSumExp(alongAxis: axis), weight([axis == 0 ? 4 : 3]))
      }
      assertHessianVectorProductMatches("softmax along \(axis)", at: [x]) { v in
        weighted(v[0].softmax(alongAxis: axis), weight([3, 4]))
      }
      assertHessianVectorProductMatches("logSoftmax along \(axis)", at: [x]) { v in
        weighted(v[0].logSoftmax(alongAxis: axis), weight([3, 4]))
      }
    }
  }

  func testMatmulInAllThreeForms() {
    // Σ w ⊙ (A B) is bilinear: its Hessian couples A and B (∂²/∂A∂B ≠ 0).
    var rng = RandomGenerator(seed: 84)
    let pairs: [([Int], [Int], [Int])] = [
      ([3, 4], [4, 2], [3, 2]), ([2, 3, 4], [2, 4, 2], [2, 3, 2]), ([2, 3, 4], [4, 2], [2, 3, 2]),
    ]
    for (aShape, bShape, cShape) in pairs {
      let a = rng.tensor(aShape), b = rng.tensor(bShape)
      assertHessianVectorProductMatches("matmul \(aShape)×\(bShape)", at: [a, b]) { v in
        weighted(matmul(v[0], v[1]), weight(cShape))
      }
      assertHessianVectorProductMatches("tanh(matmul \(aShape)×\(bShape))", at: [a, b]) { v in
        weighted(matmul(v[0], v[1]).tanh(), weight(cShape))
      }
    }
  }

  func testShapeAndIndexingOpsUnderACubic() {
    var rng = RandomGenerator(seed: 85)
    let x = rng.tensor([2, 3, 2])
    let cases: [(String, (Tensor) -> Tensor)] = [
      ("reshaped", { $0.reshaped([3, -1]) }), ("permuted", { $0.permuted([2, 0, 1]) }), ("transposed", { $0.transposed() }),
      ("slice", { $0.slice(1..<3, alongAxis: 1) }), ("padded", { $0.padded(before: 1, after: 1, alongAxis: 2) }),
      ("concatenating", { Tensor(concatenating: [$0, $0.exp()], alongAxis: 1) }),
      ("stacking", { Tensor(stacking: [$0, $0 * 2], alongAxis: 1) }),
      ("broadcast(to:)", { $0.broadcast(to: [2, 2, 3, 2]) }), ("sum(toShape:)", { $0.sum(toShape: [3, 1]) }),
      ("gathering", { $0.reshaped([6, 2]).gathering([1, 0, 0, 1, 1, 0]) }),
      ("scattering", { $0.reshaped([12]).scattering(Array(repeating: 2, count: 12), columns: 3) }),
      ("where", { Tensor.where([true, false, false, true, true, false], shape: [3, 2], $0, $0.tanh()) }),
    ]
    for (name, op) in cases {
      assertHessianVectorProductMatches("(\(name))³", at: [x]) { v in self.cubic(op(v[0])) }
    }
  }

  func testMLPGradientNormPenalty() {
    // P(θ) = L(θ) + λ‖∇θ L(θ)‖² for a tanh MLP, L = mean((tanh(X W₁ + b₁) W₂ − Y)²). ∇P needs ∇²L.
    var rng = RandomGenerator(seed: 86)
    let x = rng.tensor([5, 3]), y = rng.tensor([5, 2])
    let θ = [rng.normal([3, 4], std: 0.7), rng.normal([4], std: 0.3), rng.normal([4, 2], std: 0.7)]
    let λ = 0.3
    func loss(_ p: [Tensor]) -> Tensor {
      let hidden = (matmul(x, p[0]) + p[1]).tanh()
      return (matmul(hidden, p[2]) - y).squared().mean()
    }
    func penalised(_ p: [Tensor]) -> Tensor {
      let (value, g) = valueWithGradients(at: p, createGraph: true, loss)
      return value + λ * g.map { $0.squared().sum() }.reduce(Tensor(0)) { $0 + $1 }
    }
    // The penalty's gradient differs from the loss's (so the second-order term is really there) …
    let gLoss = valueWithGradients(at: θ, loss).gradients
    let gPenalised = valueWithGradients(at: θ, penalised).gradients
    let difference = zip(gLoss, gPenalised).map { zip($0.scalars, $1.scalars).map { Swift.abs($0 - $1) }.max()! }.max()!
    XCTAssertGreaterThan(difference, 1e-3, "∇P vs ∇L: expected the penalty to change the gradient, max |Δ| = \(difference)")
    // … and matches central differences of P itself.
    assertGradientsMatch("∇(L + λ‖∇L‖²) of a tanh MLP", at: θ, epsilon: 1e-5, tolerance: 1e-7, penalised)
    assertHessianVectorProductMatches("Hessian of the MLP loss", at: θ, loss)
  }

  func testMetaGradientThroughAnInnerUpdate() {
    // MAML: θ′ = θ − α ∇L_train(θ), meta-loss L_val(θ′). dL_val/dθ = (I − α ∇²L_train) ∇L_val(θ′).
    var rng = RandomGenerator(seed: 87)
    let (xTrain, yTrain) = (rng.tensor([4, 2]), rng.tensor([4, 1]))
    let (xVal, yVal) = (rng.tensor([3, 2]), rng.tensor([3, 1]))
    let θ = [rng.normal([2, 3]), rng.normal([3, 1])]
    let α = 0.2
    func loss(_ p: [Tensor], _ x: Tensor, _ y: Tensor) -> Tensor { (matmul(matmul(x, p[0]).tanh(), p[1]) - y).squared().mean() }
    func metaLoss(_ p: [Tensor]) -> Tensor {
      let g = valueWithGradients(at: p, createGraph: true) { loss($0, xTrain, yTrain) }.gradients
      let adapted = zip(p, g).map { $0 - α * $1 }
      return loss(adapted, xVal, yVal)
    }
    assertGradientsMatch("MAML meta-gradient", at: θ, epsilon: 1e-5, tolerance: 1e-7, metaLoss)
  }

  func testExactHigherDerivativesOfPowers() {
    // f = x³: f′ = 3x², f″ = 6x, f‴ = 6. At x = 2: 12, 12, 6.
    let x = Tensor(2, requiresGradient: true)
    let f1 = gradients(of: x.pow(3), withRespectTo: [x], createGraph: true)[0]
    let f2 = gradients(of: f1, withRespectTo: [x], createGraph: true)[0]
    let f3 = gradients(of: f2, withRespectTo: [x], createGraph: true)[0]
    let f4 = gradients(of: f3, withRespectTo: [x])[0]
    assertScalar(f1.scalar, equals: 12, "d/dx x³ at 2 = 3·2²")
    assertScalar(f2.scalar, equals: 12, "d²/dx² x³ at 2 = 6·2")
    assertScalar(f3.scalar, equals: 6, "d³/dx³ x³ = 6")
    assertScalar(f4.scalar, equals: 0, "d⁴/dx⁴ x³ = 0")
    // tanh: t′ = 1 − t², t″ = −2t(1 − t²). At x = 0.5 with t = tanh 0.5.
    let z = Tensor(0.5, requiresGradient: true)
    let t = Foundation.tanh(0.5)
    let d1 = gradients(of: z.tanh(), withRespectTo: [z], createGraph: true)[0]
    let d2 = gradients(of: d1, withRespectTo: [z])[0]
    assertScalar(d1.scalar, equals: 1 - t * t, tolerance: 1e-15, "tanh′(0.5) = 1 − tanh²(0.5)")
    assertScalar(d2.scalar, equals: -2 * t * (1 - t * t), tolerance: 1e-15, "tanh″(0.5) = −2 tanh(0.5)(1 − tanh²(0.5))")
  }

  func testGradientsWithoutCreateGraphAreConstants() {
    let x = Tensor([1, 2], requiresGradient: true)
    let g = gradients(of: (x * x * x).sum(), withRespectTo: [x])[0]
    XCTAssertFalse(g.requiresGradient, "a first-order gradient without createGraph: expected a constant, got \(g)")
    let h = gradients(of: (x * x * x).sum(), withRespectTo: [x], createGraph: true)[0]
    XCTAssertTrue(h.requiresGradient, "a gradient with createGraph: expected it to be differentiable, got \(h)")
  }
}
