import Autodiff

/// Generalised advantage estimation, GAE(γ, λ): an exponentially weighted sum of TD errors.
///
///     Â_t = Σ_{l=0}^{L_t − t} (γλ)ˡ δ_{t+l}                                  (direct sum)
///     Â_t = δ_t + γλ 𝟙[row t continues and t + 1 < T] Â_{t+1}                (recursive form)
///
/// where δ_t are the TD errors (``temporalDifferenceErrors(rewards:values:nextValues:ends:gamma:)``)
/// and L_t is the last row of t's episode inside the segment. The two forms are equal; the recursion
/// costs O(T), the sum O(T²) and exists to be read (and checked against).
///
/// Two special cases pin λ down:
/// - λ = 0: Â_t = δ_t, low variance, biased unless V is exact;
/// - λ = 1: Â_t = G_t − V(s_t) (the telescoping sum of δ), unbiased, high variance,
/// provided V(s_{t+1}) in row t equals V(s_t) of row t + 1 within an episode, as it does in a rollout.
///
/// The λ-return Â_t + V(s_t) is the critic's regression target in PPO, MAPPO and HAPPO.
///
/// - Parameters: as for the TD errors, plus λ ∈ [0, 1].
/// - Returns: Â_t, shape [T].
///
/// Source: Schulman, Moritz, Levine, Jordan & Abbeel, "High-Dimensional Continuous Control Using
/// Generalized Advantage Estimation" (ICLR 2016), eq. (16) and eqs. (17)–(18) for λ = 0 and λ = 1.
public func generalizedAdvantages(
  rewards: [Double], values: [Double], nextValues: [Double], ends: [StepEnd], gamma γ: Double, lambda λ: Double
) -> [Double] {
  ensure((0...1).contains(λ), "generalizedAdvantages: lambda must be in [0, 1], got \(λ)")
  let δ = temporalDifferenceErrors(rewards: rewards, values: values, nextValues: nextValues, ends: ends, gamma: γ)
  let T = δ.count
  var advantages = [Double](repeating: 0, count: T)
  // snippet: gae-recursive
  var following = 0.0  // Â_{t+1}, or 0 across an episode boundary and after the last row
  for t in stride(from: T - 1, through: 0, by: -1) {
    if ends[t].endsEpisode || t == T - 1 { following = 0 }
    advantages[t] = δ[t] + γ * λ * following
    following = advantages[t]
  }
  // end snippet
  return advantages
}

/// GAE by its definition, the direct sum Â_t = Σ_{l=0}^{L_t − t} (γλ)ˡ δ_{t+l}, stopping at the end of
/// t's episode (or of the segment). O(T²): for checking ``generalizedAdvantages(rewards:values:nextValues:ends:gamma:lambda:)``.
///
/// Shapes: every array [T]; returns [T]. Source: Schulman et al. (ICLR 2016), eq. (16).
public func generalizedAdvantagesByDirectSum(
  rewards: [Double], values: [Double], nextValues: [Double], ends: [StepEnd], gamma γ: Double, lambda λ: Double
) -> [Double] {
  ensure((0...1).contains(λ), "generalizedAdvantagesByDirectSum: lambda must be in [0, 1], got \(λ)")
  let δ = temporalDifferenceErrors(rewards: rewards, values: values, nextValues: nextValues, ends: ends, gamma: γ)
  return δ.indices.map { t in
    var sum = 0.0, weight = 1.0
    var l = t
    while l < δ.count {
      sum += weight * δ[l]
      if ends[l].endsEpisode { break }
      weight *= γ * λ
      l += 1
    }
    return sum
  }
}

/// The λ-returns G^λ_t = Â_t + V(s_t): the critic's targets when the actor uses GAE(λ).
///
/// Shapes: every array [T]; returns [T]. Source: Schulman et al. (ICLR 2016), §5 (value function
/// targets); Sutton & Barto (2018), eq. (12.3) for the λ-return.
public func lambdaReturns(
  rewards: [Double], values: [Double], nextValues: [Double], ends: [StepEnd], gamma γ: Double, lambda λ: Double
) -> [Double] {
  let advantages = generalizedAdvantages(
    rewards: rewards, values: values, nextValues: nextValues, ends: ends, gamma: γ, lambda: λ)
  return zip(advantages, values).map { $0 + $1 }
}
