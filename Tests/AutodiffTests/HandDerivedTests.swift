import Foundation
import XCTest

@testable import Autodiff

/// Tiny cases whose derivatives are worked out by hand; each expected number says how it was derived.
final class HandDerivedTests: XCTestCase {
  func testCubeAtTwo() {
    // d/dx x³ = 3x²; at x = 2: 3·4 = 12.
    let x = Tensor(2, requiresGradient: true)
    assertScalar(gradients(of: x * x * x, withRespectTo: [x])[0].scalar, equals: 12, "d/dx x³ at 2 = 3·2²")
    assertScalar(gradients(of: x.pow(3), withRespectTo: [x])[0].scalar, equals: 12, "d/dx pow(x, 3) at 2 = 3·2²")
  }

  func testSoftmaxJacobianAtOneTwoThree() {
    // π = softmax([1, 2, 3]) = [e, e², e³] / (e + e² + e³), with e + e² + e³ = 30.19287485057736:
    //   π = [0.09003057317038046, 0.24472847105479767, 0.6652409557748219].
    // ∂πᵢ/∂xⱼ = πᵢ(δᵢⱼ − πⱼ), i.e. J = diag(π) − π πᵀ:
    //   J₀₀ = π₀(1 − π₀) = 0.08192506906499324    J₀₁ = −π₀π₁ = −0.022033044520174298   J₀₂ = −π₀π₂ = −0.059892024544818935
    //   J₁₁ = π₁(1 − π₁) = 0.1848364465099787     J₁₂ = −π₁π₂ = −0.16280340198980445
    //   J₂₂ = π₂(1 − π₂) = 0.22269542653462338    (J is symmetric)
    // Row i of J is the vector–Jacobian product with seed eᵢ.
    let π = [0.09003057317038046, 0.24472847105479767, 0.6652409557748219]
    let jacobian: [[Double]] = [
      [0.08192506906499324, -0.022033044520174298, -0.059892024544818935],
      [-0.022033044520174298, 0.1848364465099787, -0.16280340198980445],
      [-0.059892024544818935, -0.16280340198980445, 0.22269542653462338],
    ]
    let x = Tensor([1, 2, 3], requiresGradient: true)
    let y = x.softmax()
    assertTensor(y, equals: π, shape: [3], tolerance: 1e-15, "softmax([1, 2, 3])")
    for i in 0..<3 {
      var seed = [0.0, 0, 0]
      seed[i] = 1
      let row = gradients(of: y, withRespectTo: [x], seed: Tensor(seed))[0]
      assertTensor(row, equals: jacobian[i], shape: [3], tolerance: 1e-15, "row \(i) of the softmax Jacobian at [1, 2, 3]")
    }
    // log-softmax: ∂ log πₖ/∂x = eₖ − π. For k = 2: [−π₀, −π₁, 1 − π₂].
    let g = gradients(of: x.logSoftmax(), withRespectTo: [x], seed: Tensor([0, 0, 1]))[0]
    assertTensor(g, equals: [-π[0], -π[1], 1 - π[2]], shape: [3], tolerance: 1e-15, "∂ log π₂/∂x = e₂ − π")
  }

  func testActivationSlopesAtKnownPoints() {
    // σ′(0) = σ(0)(1 − σ(0)) = ½·½ = ¼. tanh′(0) = 1 − 0² = 1. relu′(2) = 1, relu′(−2) = 0.
    // gelu′(0) = Φ(0) + 0·φ(0) = ½. gelu(1) = Φ(1) = ½(1 + erf(1/√2)) = 0.8413447460685429;
    // gelu′(1) = Φ(1) + φ(1) with φ(1) = e^{−½}/√(2π) = 0.24197072451914337: 1.0833154705876864.
    // elu′(−1) = e⁻¹; leakyRelu′(−3) with slope 0.2 = 0.2; abs′(−0.5) = −1.
    // log′(4) = ¼; sqrt′(4) = 1/(2√4) = ¼; exp′(0) = 1.
    let cases: [(String, Double, (Tensor) -> Tensor, Double)] = [
      ("σ′(0)", 0, { $0.sigmoid() }, 0.25), ("tanh′(0)", 0, { $0.tanh() }, 1),
      ("relu′(2)", 2, { $0.relu() }, 1), ("relu′(−2)", -2, { $0.relu() }, 0),
      ("gelu′(0)", 0, { $0.gelu() }, 0.5), ("gelu′(1)", 1, { $0.gelu() }, 1.0833154705876864),
      ("elu′(−1)", -1, { $0.elu() }, Foundation.exp(-1)), ("leakyRelu′(−3), slope 0.2", -3, { $0.leakyRelu(slope: 0.2) }, 0.2),
      ("abs′(−0.5)", -0.5, { $0.abs() }, -1), ("log′(4)", 4, { $0.log() }, 0.25),
      ("sqrt′(4)", 4, { $0.sqrt() }, 0.25), ("exp′(0)", 0, { $0.exp() }, 1),
    ]
    for (name, point, f, slope) in cases {
      let x = Tensor(point, requiresGradient: true)
      assertScalar(gradients(of: f(x), withRespectTo: [x])[0].scalar, equals: slope, tolerance: 1e-15, name)
    }
    assertScalar(Tensor(1).gelu().scalar, equals: 0.8413447460685429, tolerance: 1e-15, "gelu(1) = Φ(1)")
  }

  func testGradientAndHessianOfXSquaredY() {
    // f(x, y) = x²y at (3, 2): ∂f/∂x = 2xy = 12, ∂f/∂y = x² = 9;
    // ∂²f/∂x² = 2y = 4, ∂²f/∂x∂y = 2x = 6, ∂²f/∂y² = 0.
    let x = Tensor(3, requiresGradient: true), y = Tensor(2, requiresGradient: true)
    let g = gradients(of: x * x * y, withRespectTo: [x, y], createGraph: true)
    assertScalar(g[0].scalar, equals: 12, "∂(x²y)/∂x = 2xy at (3, 2)")
    assertScalar(g[1].scalar, equals: 9, "∂(x²y)/∂y = x² at (3, 2)")
    let hx = gradients(of: g[0], withRespectTo: [x, y])
    let hy = gradients(of: g[1], withRespectTo: [x, y])
    assertScalar(hx[0].scalar, equals: 4, "∂²(x²y)/∂x² = 2y")
    assertScalar(hx[1].scalar, equals: 6, "∂²(x²y)/∂x∂y = 2x")
    assertScalar(hy[0].scalar, equals: 6, "∂²(x²y)/∂y∂x = 2x (symmetric)")
    assertScalar(hy[1].scalar, equals: 0, "∂²(x²y)/∂y² = 0")
  }

  func testMeanSquaredErrorAndLogSumExp() {
    // L = mean((x − t)²) with x = [1, 2], t = [0, 4]: ((1)² + (−2)²)/2 = 2.5; ∂L/∂x = 2(x − t)/2 = [1, −2].
    let x = Tensor([1, 2], requiresGradient: true)
    let loss = (x - Tensor([0, 4])).squared().mean()
    assertScalar(loss.scalar, equals: 2.5, "mean((x − t)²)")
    assertTensor(gradients(of: loss, withRespectTo: [x])[0], equals: [1, -2], shape: [2], "∂ MSE/∂x = (x − t)")
    // logSumExp([0, ln 3]) = ln(1 + 3) = ln 4, gradient softmax = [1/4, 3/4].
    let z = Tensor([0, Foundation.log(3)], requiresGradient: true)
    let lse = z.logSumExp(alongAxis: 0)
    assertScalar(lse.scalar, equals: Foundation.log(4), tolerance: 1e-15, "logSumExp([0, ln 3]) = ln 4")
    assertTensor(
      gradients(of: lse, withRespectTo: [z])[0], equals: [0.25, 0.75], shape: [2], tolerance: 1e-15, "∇ logSumExp = softmax")
  }

  func testQuotientRule() {
    // f = x / y at (1, 2): ∂f/∂x = 1/y = 0.5, ∂f/∂y = −x/y² = −0.25.
    let x = Tensor(1, requiresGradient: true), y = Tensor(2, requiresGradient: true)
    let g = gradients(of: x / y, withRespectTo: [x, y])
    assertScalar(g[0].scalar, equals: 0.5, "∂(x/y)/∂x = 1/y")
    assertScalar(g[1].scalar, equals: -0.25, "∂(x/y)/∂y = −x/y²")
  }
}
