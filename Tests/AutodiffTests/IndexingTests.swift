import Foundation
import XCTest

@testable import Autodiff

/// gathering (log π(aᵢ|oᵢ)), its adjoint scattering, oneHot, and where.
final class IndexingTests: XCTestCase {
  func testGatheringReadsOneEntryPerRow() {
    let x = Tensor([[0.1, 0.2, 0.3], [1, 2, 3], [10, 20, 30], [-1, -2, -3]])
    assertTensor(x.gathering([2, 0, 1, 2]), equals: [0.3, 1, 20, -3], shape: [4], tolerance: 0, "gathering [2, 0, 1, 2]")
    var rng = RandomGenerator(seed: 60)
    for _ in 0..<3 {
      let (n, k) = (rng.integer(in: 1...5), rng.integer(in: 1...4))
      let logits = rng.tensor([n, k])
      let actions = (0..<n).map { _ in rng.integer(below: k) }
      let w = weight([n])
      assertGradientsMatch("gathering \(actions) from [\(n), \(k)]", at: [logits]) { v in weighted(v[0].gathering(actions), w) }
      // The use the op exists for: log π(aᵢ|oᵢ) = logSoftmax(logits)ᵢ,ₐᵢ.
      assertGradientsMatch("log π(a|o) by gathering", at: [logits]) { v in weighted(v[0].logSoftmax().gathering(actions), w) }
    }
  }

  func testScatteringWritesOneEntryPerRow() {
    let x = Tensor([5, 6, 7])
    assertTensor(
      x.scattering([1, 0, 1], columns: 2), equals: [0, 5, 6, 0, 0, 7], shape: [3, 2], tolerance: 0,
      "scattering [5, 6, 7] to columns [1, 0, 1]")
    var rng = RandomGenerator(seed: 61)
    let values = rng.tensor([4])
    let indices = [2, 0, 2, 1]
    assertGradientsMatch("scattering", at: [values]) { v in weighted(v[0].scattering(indices, columns: 3), weight([4, 3])) }
  }

  func testGatherAndScatterAreAdjoint() {
    // ⟨gather(x), y⟩ = ⟨x, scatter(y)⟩ for all x [N, K], y [N]: the identity each backward rule relies on.
    var rng = RandomGenerator(seed: 62)
    let x = rng.tensor([5, 3]), y = rng.tensor([5])
    let indices = (0..<5).map { _ in rng.integer(below: 3) }
    let left = (x.gathering(indices) * y).sum().scalar
    let right = (x * y.scattering(indices, columns: 3)).sum().scalar
    assertScalar(left, equals: right, tolerance: 1e-14, "⟨gather(x), y⟩ vs ⟨x, scatter(y)⟩")
  }

  func testOneHot() {
    let e = Tensor.oneHot([2, 0, 1], depth: 3)
    assertTensor(e, equals: [0, 0, 1, 1, 0, 0, 0, 1, 0], shape: [3, 3], tolerance: 0, "oneHot([2, 0, 1], depth: 3)")
    XCTAssertFalse(e.requiresGradient, "oneHot is a constant")
    // Gathering equals the row-wise dot product with the one-hot rows.
    var rng = RandomGenerator(seed: 63)
    let x = rng.tensor([3, 3])
    assertTensor(
      x.gathering([2, 0, 1]), equals: (x * e).sum(alongAxes: [1]).scalars, shape: [3], tolerance: 1e-15,
      "gathering = Σₖ x ⊙ oneHot")
  }

  func testWhereSelectsAndRoutesGradients() {
    let x = Tensor([[1, 2, 3], [4, 5, 6]]), y = Tensor([[-1, -2, -3], [-4, -5, -6]])
    let mask = [true, false, true, false, false, true]
    assertTensor(
      Tensor.where(mask, shape: [2, 3], x, y), equals: [1, -2, 3, -4, -5, 6], shape: [2, 3], tolerance: 0, "where(mask, x, y)")
    // A broadcast mask (one per column) and a scalar y.
    let byColumn = Tensor.where([true, false, true], shape: [3], x, Tensor(0))
    assertTensor(byColumn, equals: [1, 0, 3, 4, 0, 6], shape: [2, 3], tolerance: 0, "where(column mask, x, 0)")
    var rng = RandomGenerator(seed: 64)
    let a = rng.tensor([2, 3]), b = rng.tensor([3]), c = rng.tensor([2, 1])
    assertGradientsMatch("where, same shapes", at: [a, rng.tensor([2, 3])]) { v in
      weighted(Tensor.where(mask, shape: [2, 3], v[0], v[1]), weight([2, 3]))
    }
    assertGradientsMatch("where, y broadcast [3]", at: [a, b]) { v in
      weighted(Tensor.where(mask, shape: [2, 3], v[0], v[1]), weight([2, 3]))
    }
    assertGradientsMatch("where, x [2, 1], y [3], mask [2, 3]", at: [c, b]) { v in
      weighted(Tensor.where(mask, shape: [2, 3], v[0], v[1]), weight([2, 3]))
    }
    assertGradientsMatch("where, mask [2, 1, 1] broadcast over x [3]", at: [b, c]) { v in
      weighted(Tensor.where([false, true], shape: [2, 1, 1], v[0], v[1]), weight([2, 2, 3]))
    }
  }

  func testWhereWithMinusInfinityHasNoNaN() {
    // An attention mask: unselected entries are −∞. Softmax of the result and its gradient stay finite.
    let logits = Tensor([[0.5, 1.5, -0.5], [2, 0, 1]], requiresGradient: true)
    let masked = Tensor.where([true, true, false, true, false, false], shape: [2, 3], logits, Tensor(-.infinity))
    let π = masked.softmax()
    let expected0 = [Foundation.exp(0.5), Foundation.exp(1.5)].map { $0 / (Foundation.exp(0.5) + Foundation.exp(1.5)) }
    assertTensor(π, equals: [expected0[0], expected0[1], 0, 1, 0, 0], shape: [2, 3], tolerance: 1e-14, "masked softmax")
    let g = gradients(of: weighted(π, Tensor([[1, 2, 3], [4, 5, 6]])), withRespectTo: [logits])[0]
    XCTAssertFalse(g.scalars.contains { $0.isNaN }, "gradient through a −∞ mask: expected no NaN, got \(g.scalars)")
    assertScalar(g.scalars[2], equals: 0, "gradient at a masked entry")
  }
}
