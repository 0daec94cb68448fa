import XCTest

@testable import Autodiff

/// matmul in its three forms: values against the triple loop Cᵢⱼ = Σₚ Aᵢₚ Bₚⱼ (with row counts that do
/// and do not fill the kernel's blocks of four rows), gradients against central differences.
final class MatmulTests: XCTestCase {
  /// Cᵢⱼ = Σₚ Aᵢₚ Bₚⱼ for row-major A [m, k] and B [k, n] stored from `aOffset` / `bOffset`.
  private func naiveProduct(_ a: [Double], _ b: [Double], m: Int, k: Int, n: Int, aOffset: Int = 0, bOffset: Int = 0) -> [Double]
  {
    var c = [Double](repeating: 0, count: m * n)
    for i in 0..<m {
      for j in 0..<n {
        for p in 0..<k { c[i * n + j] += a[aOffset + i * k + p] * b[bOffset + p * n + j] }
      }
    }
    return c
  }

  func testTwoDimensionalValuesAndGradients() {
    var rng = RandomGenerator(seed: 50)
    // m = 1…9 covers no full block of four, one or two blocks, and every remainder.
    for m in 1...9 {
      let (k, n) = (rng.integer(in: 1...5), rng.integer(in: 1...5))
      let a = rng.tensor([m, k]), b = rng.tensor([k, n])
      assertTensor(
        matmul(a, b), equals: naiveProduct(a.scalars, b.scalars, m: m, k: k, n: n), shape: [m, n], tolerance: 1e-13,
        "[\(m),\(k)]×[\(k),\(n)]")
      assertTensor(
        a.matmul(b), equals: naiveProduct(a.scalars, b.scalars, m: m, k: k, n: n), shape: [m, n], tolerance: 1e-13,
        "a.matmul(b), [\(m),\(k)]×[\(k),\(n)]")
      if m % 3 == 1 {
        let w = weight([m, n])
        assertGradientsMatch("matmul [\(m),\(k)]×[\(k),\(n)]", at: [a, b]) { v in weighted(matmul(v[0], v[1]), w) }
      }
    }
  }

  func testBatchedValuesAndGradients() {
    var rng = RandomGenerator(seed: 51)
    for (batch, m, k, n) in [(2, 3, 4, 2), (3, 5, 2, 3), (1, 4, 3, 1)] {
      let a = rng.tensor([batch, m, k]), b = rng.tensor([batch, k, n])
      let expected = (0..<batch).flatMap { t in
        naiveProduct(a.scalars, b.scalars, m: m, k: k, n: n, aOffset: t * m * k, bOffset: t * k * n)
      }
      assertTensor(
        matmul(a, b), equals: expected, shape: [batch, m, n], tolerance: 1e-13,
        "batched [\(batch),\(m),\(k)]×[\(batch),\(k),\(n)]")
      let w = weight([batch, m, n])
      assertGradientsMatch("batched matmul [\(batch),\(m),\(k)]×[\(batch),\(k),\(n)]", at: [a, b]) { v in
        weighted(matmul(v[0], v[1]), w)
      }
    }
  }

  func testSharedMatrixAppliedToEveryBatchEntry() {
    var rng = RandomGenerator(seed: 52)
    for (batch, m, k, n) in [(2, 3, 4, 2), (3, 1, 2, 5)] {
      let a = rng.tensor([batch, m, k]), b = rng.tensor([k, n])
      let expected = (0..<batch).flatMap { t in naiveProduct(a.scalars, b.scalars, m: m, k: k, n: n, aOffset: t * m * k) }
      assertTensor(matmul(a, b), equals: expected, shape: [batch, m, n], tolerance: 1e-13, "[\(batch),\(m),\(k)]×[\(k),\(n)]")
      let w = weight([batch, m, n])
      // ḡB sums Aₜᵀ ḡₜ over the batch: checked by central differences.
      assertGradientsMatch("matmul [\(batch),\(m),\(k)]×[\(k),\(n)]", at: [a, b]) { v in weighted(matmul(v[0], v[1]), w) }
    }
  }

  func testTransposedOperands() {
    // Aᵀ B, A Bᵀ and (A B)ᵀ = Bᵀ Aᵀ, values and gradients.
    var rng = RandomGenerator(seed: 53)
    let a = rng.tensor([3, 4]), b = rng.tensor([3, 2]), c = rng.tensor([5, 4])
    assertTensor(
      matmul(a.transposed(), b), equals: naiveProduct(a.transposed().scalars, b.scalars, m: 4, k: 3, n: 2), shape: [4, 2],
      tolerance: 1e-13, "Aᵀ B")
    assertTensor(
      matmul(a, c.transposed()).transposed(), equals: matmul(c, a.transposed()).scalars, shape: [5, 3], tolerance: 1e-13,
      "(A Cᵀ)ᵀ = C Aᵀ")
    assertGradientsMatch("Aᵀ B", at: [a, b]) { v in weighted(matmul(v[0].transposed(), v[1]), weight([4, 2])) }
    assertGradientsMatch("A Cᵀ", at: [a, c]) { v in weighted(matmul(v[0], v[1].transposed()), weight([3, 5])) }
    let batched = rng.tensor([2, 3, 4])
    assertGradientsMatch("batched A Aᵀ", at: [batched]) { v in weighted(matmul(v[0], v[0].transposed()), weight([2, 3, 3])) }
  }

  func testLargerShapesAgainstTheTripleLoop() {
    // Sizes past the kernel's blocking: ragged row blocks (m = 13), column panels (n = 19 = 2·8 + 3) and
    // an inner dimension longer than one slab (k = 300 > 256). Values, and the gradients of Σ W ⊙ (A B),
    // ∂A = W Bᵀ and ∂B = Aᵀ W, against the same sums written as loops.
    let (m, k, n) = (13, 300, 19)
    var rng = RandomGenerator(seed: 54)
    let a = Tensor(shape: [m, k], scalars: rng.tensor([m, k]).scalars, requiresGradient: true)
    let b = Tensor(shape: [k, n], scalars: rng.tensor([k, n]).scalars, requiresGradient: true)
    let w = weight([m, n])
    let c = matmul(a, b)
    assertTensor(
      c, equals: naiveProduct(a.scalars, b.scalars, m: m, k: k, n: n), shape: [m, n], tolerance: 1e-12, "[13, 300] × [300, 19]")
    let g = gradients(of: weighted(c, w), withRespectTo: [a, b])
    var expectedA = [Double](repeating: 0, count: m * k), expectedB = [Double](repeating: 0, count: k * n)
    for i in 0..<m {
      for p in 0..<k {
        for j in 0..<n {
          expectedA[i * k + p] += w.scalars[i * n + j] * b.scalars[p * n + j]
          expectedB[p * n + j] += a.scalars[i * k + p] * w.scalars[i * n + j]
        }
      }
    }
    assertTensor(g[0], equals: expectedA, shape: [m, k], tolerance: 1e-12, "∂/∂A Σ W ⊙ (A B) = W Bᵀ")
    assertTensor(g[1], equals: expectedB, shape: [k, n], tolerance: 1e-12, "∂/∂B Σ W ⊙ (A B) = Aᵀ W")
    // Batched with a shared B, through the same sizes.
    let batched = rng.tensor([2, 5, k])
    let expected = (0..<2).flatMap { t in naiveProduct(batched.scalars, b.scalars, m: 5, k: k, n: n, aOffset: t * 5 * k) }
    assertTensor(matmul(batched, b), equals: expected, shape: [2, 5, n], tolerance: 1e-12, "[2, 5, 300] × [300, 19]")
  }

  func testEmptyInnerDimensionGivesZeros() {
    // A [2, 0] × B [0, 3]: every entry is an empty sum, 0.
    let a = Tensor(shape: [2, 0], scalars: []), b = Tensor(shape: [0, 3], scalars: [])
    assertTensor(matmul(a, b), equals: Array(repeating: 0, count: 6), shape: [2, 3], tolerance: 0, "[2,0]×[0,3]")
    assertTensor(
      matmul(Tensor(shape: [0, 2], scalars: []), Tensor.ones([2, 3])), equals: [], shape: [0, 3], tolerance: 0, "[0,2]×[2,3]")
  }

  func testHandWorkedProduct() {
    // [[1, 2], [3, 4]] [[5, 6], [7, 8]] = [[1·5 + 2·7, 1·6 + 2·8], [3·5 + 4·7, 3·6 + 4·8]] = [[19, 22], [43, 50]].
    // With L = Σ C: ∂L/∂A = 1 Bᵀ (each row: the row sums of B: [11, 15]); ∂L/∂B = Aᵀ 1 (each column: the column sums of A: [4, 6]).
    let a = Tensor([[1, 2], [3, 4]], requiresGradient: true), b = Tensor([[5, 6], [7, 8]], requiresGradient: true)
    let c = matmul(a, b)
    assertTensor(c, equals: [19, 22, 43, 50], shape: [2, 2], tolerance: 0, "[[1,2],[3,4]]·[[5,6],[7,8]]")
    let g = gradients(of: c.sum(), withRespectTo: [a, b])
    assertTensor(g[0], equals: [11, 15, 11, 15], shape: [2, 2], tolerance: 0, "∂ΣC/∂A = 1 Bᵀ")
    assertTensor(g[1], equals: [4, 4, 6, 6], shape: [2, 2], tolerance: 0, "∂ΣC/∂B = Aᵀ 1")
  }
}
