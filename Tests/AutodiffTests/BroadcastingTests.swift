import XCTest

@testable import Autodiff

/// Broadcasting rules, broadcast(to:) and its adjoint sum(toShape:).
final class BroadcastingTests: XCTestCase {
  func testBroadcastShapeRules() {
    // Aligned at the last axis; each pair equal or one of them 1; a missing leading axis counts as 1.
    let cases: [(a: [Int], b: [Int], result: [Int])] = [
      ([3, 1], [4], [3, 4]), ([4], [3, 1], [3, 4]), ([], [2, 3], [2, 3]), ([2, 3], [], [2, 3]),
      ([2, 1, 4], [3, 1], [2, 3, 4]), ([1, 1], [1], [1, 1]), ([5, 0], [1], [5, 0]), ([2, 3], [2, 3], [2, 3]),
    ]
    for (a, b, result) in cases {
      XCTAssertNil(broadcastFailure(a, b, op: "test"), "\(a) ⊕ \(b) should broadcast")
      XCTAssertEqual(broadcastShape(a, b), result, "broadcastShape(\(a), \(b)): expected \(result)")
    }
  }

  func testBroadcastToCopiesAlongNewAndUnitAxes() {
    let x = Tensor(shape: [2, 1], scalars: [1, 2])
    assertTensor(
      x.broadcast(to: [3, 2, 2]), equals: [1, 1, 2, 2, 1, 1, 2, 2, 1, 1, 2, 2], shape: [3, 2, 2], tolerance: 0,
      "[[1],[2]] broadcast to [3, 2, 2]")
    assertTensor(
      Tensor(7).broadcast(to: [2, 2]), equals: [7, 7, 7, 7], shape: [2, 2], tolerance: 0, "scalar 7 broadcast to [2, 2]")
    var rng = RandomGenerator(seed: 70)
    for _ in 0..<6 {
      let (small, _, full) = rng.broadcastPair()
      let t = rng.tensor(small)
      let expected = (0..<full.reduce(1, *)).map { t.scalars[broadcastSource(multiIndex($0, in: full), from: small)] }
      assertTensor(t.broadcast(to: full), equals: expected, shape: full, tolerance: 0, "\(small) broadcast to \(full)")
      assertGradientsMatch("broadcast \(small) to \(full)", at: [t]) { v in weighted(v[0].broadcast(to: full), weight(full)) }
    }
  }

  func testSumToShapeSumsTheBroadcastAxes() {
    let m = Tensor([[1, 2, 3], [4, 5, 6]])
    assertTensor(m.sum(toShape: [3]), equals: [5, 7, 9], shape: [3], tolerance: 0, "[[1,2,3],[4,5,6]] summed to [3] (over rows)")
    assertTensor(m.sum(toShape: [2, 1]), equals: [6, 15], shape: [2, 1], tolerance: 0, "summed to [2, 1] (over columns)")
    assertTensor(m.sum(toShape: []), equals: [21], shape: [], tolerance: 0, "summed to [] (everything)")
    assertTensor(m.sum(toShape: [1, 1]), equals: [21], shape: [1, 1], tolerance: 0, "summed to [1, 1]")
    var rng = RandomGenerator(seed: 71)
    for _ in 0..<6 {
      let (small, _, full) = rng.broadcastPair()
      let t = rng.tensor(full)
      var expected = [Double](repeating: 0, count: small.reduce(1, *))
      for position in 0..<t.count {
        expected[broadcastSource(multiIndex(position, in: full), from: small)] += t.scalars[position]
      }
      assertTensor(t.sum(toShape: small), equals: expected, shape: small, tolerance: 1e-13, "\(full) summed to \(small)")
      assertGradientsMatch("sum \(full) to \(small)", at: [t]) { v in weighted(v[0].sum(toShape: small), weight(small)) }
    }
  }

  func testBroadcastAndSumToShapeAreAdjoint() {
    // ⟨broadcast(x), y⟩ = ⟨x, sum(toShape:)(y)⟩: the identity behind every broadcasting backward rule.
    var rng = RandomGenerator(seed: 72)
    for _ in 0..<5 {
      let (small, _, full) = rng.broadcastPair()
      let x = rng.tensor(small), y = rng.tensor(full)
      let left = (x.broadcast(to: full) * y).sum().scalar
      let right = (x * y.sum(toShape: small)).sum().scalar
      assertScalar(left, equals: right, tolerance: 1e-12, "⟨broadcast(x), y⟩ vs ⟨x, Σ y⟩ for \(small) → \(full)")
    }
  }

  func testBroadcastOffsets() {
    // [2, 1] into [2, 3]: each row repeats its one entry; [3] into [2, 3]: each row reads 0, 1, 2.
    XCTAssertEqual(broadcastOffsets(from: [2, 1], to: [2, 3]), [0, 0, 0, 1, 1, 1], "offsets of [2, 1] in [2, 3]")
    XCTAssertEqual(broadcastOffsets(from: [3], to: [2, 3]), [0, 1, 2, 0, 1, 2], "offsets of [3] in [2, 3]")
    XCTAssertEqual(broadcastOffsets(from: [], to: [2]), [0, 0], "offsets of a scalar in [2]")
    XCTAssertEqual(
      broadcastOffsets(from: [2, 1, 2], to: [2, 3, 2]), [0, 1, 0, 1, 0, 1, 2, 3, 2, 3, 2, 3], "offsets of [2, 1, 2] in [2, 3, 2]")
  }

  func testSecondOrderThroughBroadcasting() {
    // f(x, y) = Σ w ⊙ (x ⊕ y)³: the backward rules (sum(toShape:) ↔ broadcast(to:)) must be differentiable.
    var rng = RandomGenerator(seed: 73)
    let x = rng.tensor([3, 1]), y = rng.tensor([4])
    assertHessianVectorProductMatches("Σ w ⊙ (x ⊕ y)³", at: [x, y]) { v in weighted((v[0] + v[1]).pow(3), weight([3, 4])) }
    let b = rng.tensor([2, 1])
    assertHessianVectorProductMatches("Σ w ⊙ tanh(broadcast(b))²", at: [b]) { v in
      weighted(v[0].broadcast(to: [3, 2, 4]).tanh().squared(), weight([3, 2, 4]))
    }
  }
}
