/// The global L2 norm of a list of tensors, as if they were one long vector:
///
///     ‖g‖ = √(Σₖ Σᵢ gₖᵢ²)
///
/// Used to monitor training and by ``clipByGlobalNorm(_:maxNorm:)``. Returns a plain number (no graph).
public func globalNorm(_ tensors: [Tensor]) -> Double {
  var sumOfSquares = 0.0
  for t in tensors {
    for x in t.scalars { sumOfSquares += x * x }
  }
  return sumOfSquares.squareRoot()
}

/// Scales all gradients together so that their global norm is at most c:
///
///     g ← g · min(1, c / ‖g‖),    ‖g‖ = √(Σₖ Σᵢ gₖᵢ²)
///
/// Every tensor is scaled by the same factor, so the direction of the whole update is kept; only its
/// length is capped. Gradients already shorter than c are returned unchanged. MAPPO and HAPPO clip at
/// c = 10, pymarl's QMIX at c = 10, PPO implementations at 0.5.
///
/// - Returns: the clipped gradients (constants, each with its input's shape) and ‖g‖ before clipping.
///
/// Source: Pascanu, Mikolov & Bengio, "On the difficulty of training recurrent neural networks" (2013),
/// Algorithm 1; PyTorch `clip_grad_norm_` (which adds 10⁻⁶ to ‖g‖; we do not).
public func clipByGlobalNorm(_ gradients: [Tensor], maxNorm c: Double) -> (clipped: [Tensor], norm: Double) {
  ensure(c > 0, "clipByGlobalNorm: maxNorm must be positive, got \(c)")
  let norm = globalNorm(gradients)
  let scale = norm > c ? c / norm : 1
  let clipped = withoutGradients { gradients.map { $0 * scale } }
  return (clipped, norm)
}
