import Autodiff

/// ∂Q_tot/∂Q_a for every sample and agent, by reverse-mode autodiff.
///
/// The samples of a batch do not interact, so the gradient of Σ_b Q_tot(b) with respect to the
/// utilities [B, n] holds every per-sample partial derivative at once:
///
///     ∂(Σ_b Q_tot,b)/∂Q_{b,a} = ∂Q_tot,b/∂Q_{b,a}.
///
/// Shapes: utilities [B, n], states [B, S] → [B, n]. Needs a mixer with one value per sample (K = 1).
///
/// Source: Rashid et al., "QMIX" (ICML 2018), eq. 5: QMIX enforces ∂Q_tot/∂Q_a ≥ 0 for all a.
public func utilityGradients<M: Mixer>(of mixer: M, utilities: Tensor, states: Tensor) -> Tensor {
  ensure(mixer.valueCount == 1, "utilityGradients: needs a joint value (K = 1), the mixer has K = \(mixer.valueCount)")
  let q = Tensor(shape: utilities.shape, scalars: utilities.scalars, requiresGradient: true)
  let s = states.detached
  return gradients(of: mixer(q, states: s).sum(), withRespectTo: [q])[0]
}

/// The smallest and largest ∂Q_tot/∂Q_a seen over random states and utilities: the monotonicity
/// probe. A mixer is monotonic in every agent's utility when the minimum is ≥ 0.
public struct MonotonicityProbe: Sendable {
  /// min over samples and agents of ∂Q_tot/∂Q_a.
  public let minimum: Double
  /// max over samples and agents of ∂Q_tot/∂Q_a.
  public let maximum: Double
  /// How many (sample, agent) partial derivatives were negative.
  public let negativeCount: Int
  /// How many partial derivatives were computed, B · n.
  public let count: Int

  /// The combined probe of two sets of samples (e.g. two mixers): min of minima, max of maxima, sums of counts.
  public func merging(_ other: MonotonicityProbe) -> MonotonicityProbe {
    MonotonicityProbe(
      minimum: Swift.min(minimum, other.minimum), maximum: Swift.max(maximum, other.maximum),
      negativeCount: negativeCount + other.negativeCount, count: count + other.count)
  }
}

/// Probes ∂Q_tot/∂Q_a at `samples` random points: states s ~ N(0, 1)ˢ and utilities Q_a ~ N(0, scale²).
///
/// - Returns: the minimum and maximum partial derivative and how many were negative.
public func probeMonotonicity<M: Mixer>(
  of mixer: M, stateSize: Int, samples: Int, utilityScale: Double = 10, rng: inout RandomGenerator
) -> MonotonicityProbe {
  ensure(samples >= 1 && stateSize >= 1, "probeMonotonicity: needs samples ≥ 1 and S ≥ 1, got \(samples), \(stateSize)")
  let states = rng.normal([samples, stateSize])
  let utilities = rng.normal([samples, mixer.agentCount], std: utilityScale)
  let partials = utilityGradients(of: mixer, utilities: utilities, states: states).scalars
  return MonotonicityProbe(
    minimum: partials.min()!, maximum: partials.max()!, negativeCount: partials.filter { $0 < 0 }.count, count: partials.count)
}
