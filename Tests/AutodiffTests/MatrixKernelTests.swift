import XCTest

@testable import Autodiff

/// The blocked matrix kernel (`multiplyMatrices`) against the textbook triple loop, on every kind of
/// edge: sizes below, at and past its 4-row blocks, 8-column panels and 256-deep slabs, batched, and
/// with either operand read transposed in place. The kernel promises the same sums in the
/// same order with no fused multiply–add, so the comparison is exact (`==`), not within a tolerance.
/// Then the two transposing products the backward rules use, their values and (second-order) gradients.
final class MatrixKernelTests: XCTestCase {
  /// Cₜᵢⱼ = Σₚ op(A)ₜᵢₚ op(B)ₜₚⱼ, summed p = 0, 1, … from 0 like the kernel; op(A) [m, k] is stored as
  /// [k, m] when `transposingA`, op(B) [k, n] as [n, k] when `transposingB`.
  private func tripleLoop(
    _ a: [Double], _ b: [Double], m: Int, k: Int, n: Int, batch: Int,
    transposingA: Bool, transposingB: Bool
  ) -> [Double] {
    var c = [Double](repeating: 0, count: batch * m * n)
    for t in 0..<batch {
      let (aStart, bStart) = (t * m * k, t * k * n)
      for i in 0..<m {
        for j in 0..<n {
          var sum = 0.0
          for p in 0..<k {
            let aip = transposingA ? a[aStart + p * m + i] : a[aStart + i * k + p]
            let bpj = transposingB ? b[bStart + j * k + p] : b[bStart + p * n + j]
            sum += aip * bpj
          }
          c[t * m * n + i * n + j] = sum
        }
      }
    }
    return c
  }

  /// Checks one configuration on random operands; returns a description when the kernel differs.
  private func mismatch(
    m: Int, k: Int, n: Int, batch: Int = 1, transposingA: Bool = false,
    transposingB: Bool = false, rng: inout RandomGenerator
  ) -> String? {
    let a = rng.normal([batch * m * k]).scalars
    let b = rng.normal([batch * k * n]).scalars
    let got = multiplyMatrices(
      a, b, m: m, k: k, n: n, batch: batch, transposingA: transposingA, transposingB: transposingB)
    let expected = tripleLoop(
      a, b, m: m, k: k, n: n, batch: batch, transposingA: transposingA, transposingB: transposingB)
    guard got != expected else { return nil }
    let worst = zip(got, expected).map { Swift.abs($0 - $1) }.max() ?? .infinity
    return "m=\(m) k=\(k) n=\(n) batch=\(batch) Aᵀ=\(transposingA) Bᵀ=\(transposingB): "
      + "expected the triple loop's sums exactly, got max |Δ| = \(worst) (\(got.count) vs \(expected.count) entries)"
  }

  private let sizes = [1, 2, 3, 4, 5, 7, 8, 9, 16, 17, 33]

  func testEveryEdgeAgainstTheTripleLoop() {
    var rng = RandomGenerator(seed: 80)
    var failures: [String] = []
    for m in sizes {
      for k in sizes {
        for n in sizes {
          if let failure = mismatch(m: m, k: k, n: n, rng: &rng) { failures.append(failure) }
        }
      }
    }
    XCTAssertTrue(
      failures.isEmpty,
      "\(failures.count) of \(sizes.count * sizes.count * sizes.count) shapes differ:\n"
        + failures.prefix(10).joined(separator: "\n"))
  }

  func testBatchedAndTransposedAgainstTheTripleLoop() {
    var rng = RandomGenerator(seed: 81)
    var failures: [String] = []
    var checked = 0
    for m in sizes {
      for k in [1, 3, 8, 9, 17] {
        for n in sizes {
          for batch in [1, 3] {
            for (transposingA, transposingB) in [(false, false), (true, false), (false, true), (true, true)] {
              checked += 1
              if let failure = mismatch(
                m: m, k: k, n: n, batch: batch, transposingA: transposingA,
                transposingB: transposingB, rng: &rng)
              {
                failures.append(failure)
              }
            }
          }
        }
      }
    }
    XCTAssertTrue(
      failures.isEmpty, "\(failures.count) of \(checked) configurations differ:\n" + failures.prefix(10).joined(separator: "\n"))
  }

  func testSumsLongerThanOneSlab() {
    // k past the 256-deep slabs: the kernel adds each slab's part to C, which must not change the sum.
    var rng = RandomGenerator(seed: 82)
    for (m, k, n) in [(5, 257, 9), (4, 512, 8), (9, 600, 3), (1, 1000, 1)] {
      for (transposingA, transposingB) in [(false, false), (true, true)] {
        XCTAssertNil(mismatch(m: m, k: k, n: n, batch: 2, transposingA: transposingA, transposingB: transposingB, rng: &rng))
      }
    }
  }

  func testEmptyAndNonFiniteOperands() {
    // Zero extents give zeros (k = 0: empty sums) or nothing; an infinity or NaN reaches exactly the
    // entries of C whose sums contain it (the zero padding of edge blocks must not spread it).
    XCTAssertEqual(multiplyMatrices([], [], m: 2, k: 0, n: 3, batch: 1), [0, 0, 0, 0, 0, 0])
    XCTAssertEqual(multiplyMatrices([], [1, 2], m: 0, k: 1, n: 2, batch: 1), [])
    let a: [Double] = [1, .infinity, 3, 4, 5, 6]  // [3, 2]; row 0 holds ∞
    let b: [Double] = [1, 2, 3, 4, 5, 6]  // [2, 3]
    let c = multiplyMatrices(a, b, m: 3, k: 2, n: 3, batch: 1)
    XCTAssertEqual(Array(c[0..<3]), [.infinity, .infinity, .infinity], "row 0 of C contains ∞ · B")
    XCTAssertEqual(Array(c[3..<9]), [19, 26, 33, 29, 40, 51], "rows 1 and 2 of C stay finite")
    let nan = multiplyMatrices([1, 2], [.nan, 1, 2, 3], m: 1, k: 2, n: 2, batch: 1)
    XCTAssertTrue(nan[0].isNaN && nan[1] == 7, "only column 0 sees the NaN of B, got \(nan)")
  }

  // MARK: - The transposing products of the backward rules

  func testTransposingProductsEqualTheExplicitTranspose() {
    var rng = RandomGenerator(seed: 83)
    for shape in [(m: 3, k: 5, n: 9), (m: 1, k: 1, n: 1), (m: 9, k: 2, n: 17)] {
      let (m, k, n) = shape
      let a = rng.tensor([m, k]), bᵀ = rng.tensor([n, k]), aᵀ = rng.tensor([k, m]), b = rng.tensor([k, n])
      assertTensor(
        matmul(a, transposing: bᵀ), equals: matmul(a, bᵀ.transposed()).scalars, shape: [m, n], tolerance: 0,
        "A Bᵀ [\(m),\(k)]×[\(n),\(k)]ᵀ")
      assertTensor(
        matmul(transposing: aᵀ, b), equals: matmul(aᵀ.transposed(), b).scalars, shape: [m, n], tolerance: 0,
        "Aᵀ B [\(k),\(m)]ᵀ×[\(k),\(n)]")
      let batchA = rng.tensor([2, m, k]), batchBᵀ = rng.tensor([2, n, k]), batchAᵀ = rng.tensor([2, k, m]),
        batchB = rng.tensor([2, k, n])
      assertTensor(
        matmul(batchA, transposing: batchBᵀ), equals: matmul(batchA, batchBᵀ.transposed()).scalars, shape: [2, m, n],
        tolerance: 0, "batched A Bᵀ")
      assertTensor(
        matmul(transposing: batchAᵀ, batchB), equals: matmul(batchAᵀ.transposed(), batchB).scalars, shape: [2, m, n],
        tolerance: 0, "batched Aᵀ B")
    }
  }

  func testTransposingProductsGradients() {
    var rng = RandomGenerator(seed: 84)
    let a = rng.tensor([3, 4]), bᵀ = rng.tensor([5, 4]), aᵀ = rng.tensor([4, 3]), b = rng.tensor([4, 5])
    assertGradientsMatch("A Bᵀ", at: [a, bᵀ]) { v in weighted(matmul(v[0], transposing: v[1]), weight([3, 5])) }
    assertGradientsMatch("Aᵀ B", at: [aᵀ, b]) { v in weighted(matmul(transposing: v[0], v[1]), weight([3, 5])) }
    let batchA = rng.tensor([2, 3, 4]), batchBᵀ = rng.tensor([2, 5, 4])
    assertGradientsMatch("batched A Bᵀ", at: [batchA, batchBᵀ]) { v in
      weighted(matmul(v[0], transposing: v[1]), weight([2, 3, 5]))
    }
    assertGradientsMatch("batched Aᵀ B", at: [batchBᵀ, rng.tensor([2, 5, 3])]) { v in
      weighted(matmul(transposing: v[0], v[1]), weight([2, 4, 3]))
    }
  }

  func testSecondOrderThroughMatmulBackward() {
    // matmul's backward rule is written with the transposing products, whose own backward rules use each
    // other: a Hessian–vector product through a product of three matrices exercises all of them.
    var rng = RandomGenerator(seed: 85)
    let x = rng.tensor([3, 4]), w1 = rng.tensor([4, 5]), w2 = rng.tensor([5, 2])
    assertHessianVectorProductMatches("(tanh(X W₁) W₂)² ", at: [x, w1, w2]) { v in
      weighted(matmul(matmul(v[0], v[1]).tanh(), v[2]).squared(), weight([3, 2]))
    }
    let q = rng.tensor([2, 3, 4]), k = rng.tensor([2, 3, 4])
    assertHessianVectorProductMatches("batched (Q Kᵀ)²", at: [q, k]) { v in
      weighted(matmul(v[0], v[1].transposed()).squared(), weight([2, 3, 3]))
    }
  }
}
