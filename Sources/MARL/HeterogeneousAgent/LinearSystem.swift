import Autodiff

/// The solution x of the square linear system M x = b, by Gaussian elimination with partial pivoting.
///
/// Used where the book needs an exact answer to compare an iterative method with: exact policy
/// evaluation, V = (I − γ P_π)⁻¹ r_π, and the direct solve H x = g that checks HATRPO's conjugate
/// gradient. Rows are swapped so that each pivot is the largest remaining entry of its column, which
/// keeps the rounding error small for the well-conditioned systems used here.
///
/// - Parameters:
///   - matrix: M, n rows of n entries.
///   - rhs: b, n entries.
/// - Returns: x, n entries. Stops with a message if M is singular (a pivot below 1e-300).
/// - Complexity: O(n³).
/// Source: Golub & Van Loan, "Matrix Computations" (4th ed., 2013), Algorithm 3.4.1 (partial pivoting).
public func solveLinearSystem(_ matrix: [[Double]], _ rhs: [Double]) -> [Double] {
  let n = rhs.count
  ensure(
    matrix.count == n && matrix.allSatisfy { $0.count == n },
    "solveLinearSystem: expected an \(n)×\(n) matrix for b [\(n)], got \(matrix.count) rows of \(matrix.map(\.count))")
  var m = matrix
  var b = rhs
  // MARK: - Forward elimination
  for column in 0..<n {
    var pivot = column
    for row in (column + 1)..<max(n, column + 1) where abs(m[row][column]) > abs(m[pivot][column]) { pivot = row }
    ensure(abs(m[pivot][column]) > 1e-300, "solveLinearSystem: the matrix is singular (column \(column))")
    if pivot != column {
      m.swapAt(pivot, column)
      b.swapAt(pivot, column)
    }
    for row in (column + 1)..<max(n, column + 1) {
      let factor = m[row][column] / m[column][column]
      if factor == 0 { continue }
      for k in column..<n { m[row][k] -= factor * m[column][k] }
      b[row] -= factor * b[column]
    }
  }
  // MARK: - Back substitution
  var x = [Double](repeating: 0, count: n)
  for row in stride(from: n - 1, through: 0, by: -1) {
    var sum = b[row]
    for k in (row + 1)..<max(n, row + 1) { sum -= m[row][k] * x[k] }
    x[row] = sum / m[row][row]
  }
  return x
}
