import Autodiff
import Foundation

/// Exercise 2.1: QMIX's mixing network, forward pass.
///
/// QMIX's hypernetworks read the state and output the mixing network's weights and biases. Given those
/// raw outputs for a batch of B samples, compute the joint value
///
///     hₖ    = Σₐ Q_a · |W₁|ₐₖ + b₁ₖ                 (k = 1…E)
///     Q_tot = Σₖ |w₂|ₖ · ELU(hₖ) + V,   ELU(x) = x for x > 0, eˣ − 1 otherwise.
///
/// Only the weights go through the absolute value: that is what makes ∂Q_tot/∂Q_a ≥ 0 (monotonicity),
/// while the biases b₁ and V stay free to take any sign.
///
/// - Parameters:
///   - utilities: Q_a(τ_a, u_a) of the n agents, shape [B, n].
///   - rawW1: the W₁ hypernetwork's output before the absolute value, shape [B, n, E].
///   - b1: the first layer's bias, shape [B, E].
///   - rawW2: the w₂ hypernetwork's output before the absolute value, shape [B, E].
///   - v: the state value V(s), shape [B, 1].
/// - Returns: Q_tot, shape [B, 1].
///
/// Hint: use `Tensor` operations (`abs()`, `elu()`, `*`, `+`, `sum(alongAxes:keepingDimensions:)`,
/// `reshaped(_:)`, broadcasting) so that gradients flow back to the utilities: the mixer is trained
/// by backpropagation. Q [B, n] reshaped to [B, n, 1] broadcasts against W₁ [B, n, E].
public func qmixMixing(utilities: Tensor, rawW1: Tensor, b1: Tensor, rawW2: Tensor, v: Tensor) throws -> Tensor {
  // BEGIN SOLUTION
  let (batch, agents) = (utilities.shape[0], utilities.shape[1])
  let firstWeights = rawW1.abs()  // [B, n, E], non-negative
  let outputWeights = rawW2.abs()  // [B, E], non-negative
  // Weighted sum over agents for every hidden unit, per sample.
  let weighted = utilities.reshaped([batch, agents, 1]) * firstWeights  // [B, n, E]
  let hidden = (weighted.sum(alongAxes: [1]) + b1).elu()  // [B, E]
  return (hidden * outputWeights).sum(alongAxes: [1], keepingDimensions: true) + v  // [B, 1]
  // END SOLUTION
}
