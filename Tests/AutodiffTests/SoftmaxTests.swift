import Foundation
import XCTest

@testable import Autodiff

/// softmax and logSoftmax: values (rows sum to 1), gradients on random shapes along every axis, and
/// stability for logits in the thousands.
final class SoftmaxTests: XCTestCase {
  func testValuesAndGradientsAlongEveryAxis() {
    var rng = RandomGenerator(seed: 30)
    for rank in 1...3 {
      let shape = rng.shape(rank: rank...rank, extent: 2...4)
      let x = rng.tensor(shape, in: -3...3)
      let w = weight(shape)
      for axis in Array(0..<rank) + [-1] {
        let π = x.softmax(alongAxis: axis)
        let logπ = x.logSoftmax(alongAxis: axis)
        // Each slice along the axis sums to 1.
        let sums = π.sum(alongAxes: [axis])
        assertTensor(
          sums, equals: Array(repeating: 1, count: sums.count), shape: sums.shape, tolerance: 1e-14,
          "Σ softmax along \(axis) of \(shape)")
        // By a loop: πᵢ = exp(xᵢ) / Σⱼ exp(xⱼ), log πᵢ = xᵢ − log Σⱼ exp(xⱼ), j running along the axis.
        let a = axis < 0 ? axis + rank : axis
        var expectedπ = [Double](), expectedLogπ = [Double]()
        for position in 0..<x.count {
          var j = multiIndex(position, in: shape)
          var total = 0.0
          for t in 0..<shape[a] {
            j[a] = t
            total += Foundation.exp(x.scalars[flatPosition(j, in: shape)])
          }
          expectedπ.append(Foundation.exp(x.scalars[position]) / total)
          expectedLogπ.append(x.scalars[position] - Foundation.log(total))
        }
        assertTensor(π, equals: expectedπ, shape: shape, tolerance: 1e-14, "softmax along \(axis) of \(shape)")
        assertTensor(logπ, equals: expectedLogπ, shape: shape, tolerance: 1e-13, "logSoftmax along \(axis) of \(shape)")
        assertGradientsMatch("softmax along \(axis) of \(shape)", at: [x]) { v in weighted(v[0].softmax(alongAxis: axis), w) }
        assertGradientsMatch("logSoftmax along \(axis) of \(shape)", at: [x]) { v in weighted(v[0].logSoftmax(alongAxis: axis), w)
        }
      }
    }
  }

  func testStableForLogitsNearOneThousand() {
    // softmax is shift-invariant: softmax(x + 1000) = softmax(x). A naive e¹⁰⁰⁰ overflows to ∞ and gives NaN.
    let small = Tensor([[0.5, -1, 2], [3, 3, 0]])
    let large = small + 1000
    let negative = small - 1000
    for (name, logits) in [("x + 1000", large), ("x − 1000", negative)] {
      let π = logits.softmax()
      let logπ = logits.logSoftmax()
      XCTAssertTrue(
        π.scalars.allSatisfy(\.isFinite) && logπ.scalars.allSatisfy(\.isFinite),
        "softmax(\(name)): expected finite values, got \(π.scalars) and \(logπ.scalars)")
      assertTensor(π, equals: small.softmax().scalars, shape: [2, 3], tolerance: 1e-13, "softmax(\(name)) = softmax(x)")
      assertTensor(
        logπ, equals: small.logSoftmax().scalars, shape: [2, 3], tolerance: 1e-12, "logSoftmax(\(name)) = logSoftmax(x)")
    }
    // The gradients at large logits: finite, and equal to those at the shifted logits.
    let w = weight([2, 3])
    let atLarge = valueWithGradients(at: [large]) { v in weighted(v[0].logSoftmax(), w) }.gradients[0]
    let atSmall = valueWithGradients(at: [small]) { v in weighted(v[0].logSoftmax(), w) }.gradients[0]
    assertTensor(atLarge, equals: atSmall.scalars, shape: [2, 3], tolerance: 1e-12, "∇ logSoftmax at x + 1000 = ∇ at x")
    // Central differences at 1000 need a larger step: x ± 1e-6 loses digits next to 1000.
    assertGradientsMatch("softmax near 1000", at: [large], epsilon: 1e-4, tolerance: 1e-7) { v in weighted(v[0].softmax(), w) }
    assertGradientsMatch("logSoftmax near 1000", at: [large], epsilon: 1e-4, tolerance: 1e-7) { v in
      weighted(v[0].logSoftmax(), w)
    }
  }

  func testMaskedLogitsGetZeroProbability() {
    // A −∞ logit (a masked action) has probability 0 and the others renormalise.
    let x = Tensor([0, -.infinity, Foundation.log(3)])
    assertTensor(x.softmax(), equals: [0.25, 0, 0.75], shape: [3], tolerance: 1e-15, "softmax([0, −∞, ln 3]) = [1/4, 0, 3/4]")
  }
}
