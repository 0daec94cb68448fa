import Autodiff

/// Exercise 0.4: the gradient of the softmax cross-entropy loss.
///
/// A policy or classifier outputs logits z ∈ ℝ^{N×K}; the loss of labels y ∈ {0…K−1}ᴺ is the mean
/// negative log-likelihood
///
///     L = −(1/N) Σᵢ log softmax(zᵢ)_{yᵢ}
///
/// Derive and return its gradient:
///
///     ∂L/∂zᵢₖ = (softmax(zᵢ)ₖ − 𝟙[k = yᵢ]) / N
///
/// - Parameters:
///   - logits: z, shape [N, K].
///   - labels: y, N integers in 0..<K.
/// - Returns: ∂L/∂z, shape [N, K].
///
/// Hint: each row of the answer sums to zero. Do not forget the 1/N of the mean.
public func softmaxCrossEntropyGradient(logits: Tensor, labels: [Int]) throws -> Tensor {
  // BEGIN SOLUTION
  let n = Double(logits.shape[0])
  let probabilities = logits.detached.softmax(alongAxis: -1)
  let targets = Tensor.oneHot(labels, depth: logits.shape[1])
  return (probabilities - targets) / n
  // END SOLUTION
}
