import Autodiff
import Foundation

/// Exercise 0.2: the backward rule of log-sum-exp.
///
/// For each row i of logits x ∈ ℝ^{N×K}, the forward op computes yᵢ = log Σₖ exp(xᵢₖ). Its backward rule
/// receives ḡ ∈ ℝᴺ (the gradient of the loss with respect to y) and returns the gradient with respect
/// to x:
///
///     ∂L/∂xᵢₖ = ḡᵢ · exp(xᵢₖ) / Σⱼ exp(xᵢⱼ) = ḡᵢ · softmax(xᵢ)ₖ
///
/// - Parameters:
///   - x: the logits, shape [N, K].
///   - upstream: ḡ, shape [N].
/// - Returns: the gradient with respect to x, shape [N, K].
///
/// Hint: logits of 1000 are legal. exp(1000) overflows, but softmax is unchanged when you subtract
/// the row's maximum from every entry first. You may use scalars or `Tensor` ops (not `softmax`).
public func logSumExpBackward(x: Tensor, upstream: Tensor) throws -> Tensor {
  // BEGIN SOLUTION
  precondition(
    x.rank == 2 && upstream.shape == [x.shape[0]], "logSumExpBackward: x [N, K] and ḡ [N], got \(x.shape) and \(upstream.shape)")
  let (n, k) = (x.shape[0], x.shape[1])
  var result = [Double](repeating: 0, count: n * k)
  for i in 0..<n {
    let row = x.scalars[(i * k)..<((i + 1) * k)]
    let m = row.max()!
    let weights = row.map { exp($0 - m) }
    let partition = weights.reduce(0, +)
    for j in 0..<k { result[i * k + j] = upstream.scalars[i] * weights[j] / partition }
  }
  return Tensor(shape: [n, k], scalars: result)
  // END SOLUTION
}
