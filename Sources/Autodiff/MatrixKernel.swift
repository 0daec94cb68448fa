/// The inner loop of every matrix product: C = A B for row-major A [m, k], B [k, n], for each of `batch`
/// independent pairs (B shared by all of them when `sharedB`).
///
/// Cᵢⱼ = Σₚ Aᵢₚ Bₚⱼ, computed row by row: Cᵢ,: += Aᵢₚ · Bₚ,: for p = 0…k−1, so the innermost loop
/// runs along contiguous rows of B and C (which the compiler vectorises), four rows of C at a time
/// so that each row of B is loaded once for four rows of A.
func multiplyMatrices(_ a: [Double], _ b: [Double], m: Int, k: Int, n: Int, batch: Int, sharedB: Bool) -> [Double] {
  [Double](unsafeUninitializedCapacity: batch * m * n) { c, initialised in
    c.initialize(repeating: 0)
    initialised = batch * m * n
    a.withUnsafeBufferPointer { aAll in
      b.withUnsafeBufferPointer { bAll in
        for t in 0..<batch {
          let A = aAll.baseAddress! + t * m * k
          let B = bAll.baseAddress! + (sharedB ? 0 : t * k * n)
          let C = c.baseAddress! + t * m * n
          var i = 0
          while i + 4 <= m {
            let (c0, c1, c2, c3) = (C + i * n, C + (i + 1) * n, C + (i + 2) * n, C + (i + 3) * n)
            for p in 0..<k {
              let (a0, a1, a2, a3) = (A[i * k + p], A[(i + 1) * k + p], A[(i + 2) * k + p], A[(i + 3) * k + p])
              let row = B + p * n
              for j in 0..<n {
                let bj = row[j]
                c0[j] += a0 * bj
                c1[j] += a1 * bj
                c2[j] += a2 * bj
                c3[j] += a3 * bj
              }
            }
            i += 4
          }
          while i < m {
            let ci = C + i * n
            for p in 0..<k {
              let aip = A[i * k + p]
              let row = B + p * n
              for j in 0..<n { ci[j] += aip * row[j] }
            }
            i += 1
          }
        }
      }
    }
  }
}
