import Foundation
import XCTest

@testable import Autodiff

#if canImport(_Differentiation)
  import _Differentiation

  // An independent oracle: the Swift compiler's own reverse-mode differentiation of scalar Double code.
  // Each function below is written twice, once as @differentiable(reverse) Double code for the oracle and
  // once with our tensors, and the two gradients must agree to ~1e-12.

  @differentiable(reverse)
  private func oracleMixed(_ x: Double, _ y: Double) -> Double {
    tanh(x * y) + exp(x) / y + log(1 + x * x)
  }

  @differentiable(reverse)
  private func oracleGate(_ x: Double, _ y: Double, _ z: Double) -> Double {
    1 / (1 + exp(-(x * y - z))) * sqrt(x * x + z * z) + pow(x, y)
  }

  @differentiable(reverse)
  private func oracleCrossEntropy(_ a: Double, _ b: Double, _ c: Double) -> Double {
    // −log softmax([a, b, c])₁ = log(eᵃ + eᵇ + eᶜ) − b
    log(exp(a) + exp(b) + exp(c)) - b
  }

  @differentiable(reverse)
  private func oracleRational(_ x: Double, _ y: Double) -> Double {
    (x * x * x - 2 * y) / (1 + y * y) - x / (x * x + y * y)
  }

  final class DifferentiationOracleTests: XCTestCase {
    func testTheOracleWorksInThisToolchain() {
      // d/dx x³ at 2 = 12 by the compiler's differentiation.
      let d = gradient(at: 2.0) { (x: Double) -> Double in x * x * x }
      XCTAssertEqual(d, 12, "_Differentiation: expected d/dx x³ at 2 = 12, got \(d)")
    }

    /// Asserts that our gradient of `ours` at `point` equals the oracle's `expected` within 1e-12 (relative).
    private func assertAgrees(
      _ name: String, at point: [Double], oracle expected: [Double], file: StaticString = #filePath, line: UInt = #line,
      _ ours: ([Tensor]) -> Tensor
    ) {
      let g = valueWithGradients(at: point.map { Tensor($0) }, ours).gradients.map(\.scalar)
      for (k, (mine, theirs)) in zip(g, expected).enumerated() {
        XCTAssertTrue(
          Swift.abs(mine - theirs) <= 1e-12 * Swift.max(1, Swift.abs(theirs)),
          "\(name), ∂/∂x\(k) at \(point): expected the oracle's \(theirs), got \(mine) (|Δ| = \(Swift.abs(mine - theirs)))",
          file: file, line: line)
      }
    }

    func testMixedFunction() {
      for (x, y) in [(0.3, 0.7), (-1.2, 2.5), (2.0, -0.8)] {
        let o = gradient(at: x, y, of: oracleMixed)
        assertAgrees("tanh(xy) + eˣ/y + log(1 + x²)", at: [x, y], oracle: [o.0, o.1]) { v in
          (v[0] * v[1]).tanh() + v[0].exp() / v[1] + (1 + v[0] * v[0]).log()
        }
      }
    }

    func testGatedFunction() {
      for (x, y, z) in [(0.7, 1.3, -0.4), (1.5, 0.2, 2.0)] {
        let o = gradient(at: x, y, z, of: oracleGate)
        assertAgrees("σ(xy − z)·√(x² + z²) + xʸ", at: [x, y, z], oracle: [o.0, o.1, o.2]) { v in
          (v[0] * v[1] - v[2]).sigmoid() * (v[0] * v[0] + v[2] * v[2]).sqrt() + v[0].pow(v[1])
        }
      }
    }

    func testCrossEntropyThroughLogSoftmax() {
      let (a, b, c) = (0.2, -1.1, 2.3)
      let o = gradient(at: a, b, c, of: oracleCrossEntropy)
      assertAgrees("−log softmax([a, b, c])₁", at: [a, b, c], oracle: [o.0, o.1, o.2]) { v in
        -Tensor(stacking: v).logSoftmax().slice(1..<2).sum()
      }
      // And via gathering from a [1, 3] row of logits.
      assertAgrees("−log π(1) via gathering", at: [a, b, c], oracle: [o.0, o.1, o.2]) { v in
        -Tensor(stacking: v).reshaped([1, 3]).logSoftmax().gathering([1]).sum()
      }
    }

    func testRationalFunction() {
      for (x, y) in [(0.5, 1.5), (-2.0, 0.3)] {
        let o = gradient(at: x, y, of: oracleRational)
        assertAgrees("(x³ − 2y)/(1 + y²) − x/(x² + y²)", at: [x, y], oracle: [o.0, o.1]) { v in
          (v[0].pow(3) - 2 * v[1]) / (1 + v[1].squared()) - v[0] / (v[0] * v[0] + v[1] * v[1])
        }
      }
    }
  }
#else
  final class DifferentiationOracleTests: XCTestCase {
    func testTheOracleWorksInThisToolchain() throws {
      throw XCTSkip("_Differentiation is not available in this toolchain: the oracle cross-checks are skipped")
    }
  }
#endif
