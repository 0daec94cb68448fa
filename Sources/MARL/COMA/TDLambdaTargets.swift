import Autodiff

// The targets COMA's critic regresses Q(s_t, u_t) on: TD(λ) returns, bootstrapped from a target
// critic's value of the *next joint action actually taken*, Q̄(s_{t+1}, u_{t+1}). Two forms that must
// agree: the recursion a learner runs (one backward pass), and the definition it comes from (a
// geometric mixture of n-step returns).

/// TD(λ) targets for a critic of joint actions, by the backward recursion
///
///     y_t = r_t + γ m_t [ (1 − λ) q_{t+1} + λ y_{t+1} ],   m_t = 1 − 𝟙[terminated_t],
///
/// where q_{t+1} = Q̄(s_{t+1}, u_{t+1}) is the target critic's value of the next step's taken joint
/// action, and y_{t+1} is replaced by q_{t+1} after the last row of an episode in the segment (a
/// truncation, or the end of the data), so those rows get the one-step target r_t + γ q_{t+1}. A
/// terminated row gets y_t = r_t.
///
/// λ = 0 gives the one-step (TD(0)) target; λ = 1 the discounted return, bootstrapped only where the
/// data stops. COMA uses λ = 0.8.
///
/// - Parameters:
///   - rewards: r_t, the shared reward after the joint action of row t, [T].
///   - nextValues: q_{t+1} = Q̄(s_{t+1}, u_{t+1}) per row, [T] (see ``nextValues(values:ends:lastValue:finalValues:)``);
///     ignored at terminated rows.
///   - ends: how each row ended, [T].
///   - gamma: γ ∈ [0, 1]; lambda: λ ∈ [0, 1].
/// - Returns: y_t, [T]. O(T).
///
/// Source: Foerster et al. (AAAI 2018), §3 (critic target y^(λ)); Sutton & Barto (2018), eq. (12.3);
/// pymarl `utils/rl_utils.py` `build_td_lambda_targets`.
public func tdLambdaTargets(
  rewards: [Double], nextValues: [Double], ends: [StepEnd], gamma γ: Double, lambda λ: Double
) -> [Double] {
  ensureSegment("tdLambdaTargets", rewards: rewards.count, ends: ends.count, nextValues: nextValues.count)
  ensure((0...1).contains(γ) && (0...1).contains(λ), "tdLambdaTargets: gamma and lambda must be in [0, 1], got \(γ), \(λ)")
  let T = rewards.count
  var y = [Double](repeating: 0, count: T)
  // snippet: td-lambda-recursive
  var following = 0.0  // y_{t+1}, or the bootstrap q_{t+1} where the episode's data stops
  for t in stride(from: T - 1, through: 0, by: -1) {
    let q = nextValues[t]
    if ends[t].endsEpisode || t == T - 1 { following = q }
    y[t] = rewards[t] + γ * ends[t].bootstrapMask * ((1 - λ) * q + λ * following)
    following = y[t]
  }
  // end snippet
  return y
}

/// TD(λ) targets by their definition, the forward view: a mixture of n-step returns,
///
///     G_t^(k) = Σ_{l=0}^{k−1} γˡ r_{t+l} + γᵏ m q_{t+k}                       (k-step return)
///     y_t = (1 − λ) Σ_{k=1}^{N−1} λ^{k−1} G_t^(k) + λ^{N−1} G_t^(N),
///
/// where N is the number of rows from t to the last row L of its episode in the segment, and the
/// bootstrap of G^(k) is q after row t + k − 1 (dropped, m = 0, if that row terminated). The weights
/// (1 − λ)λ^{k−1} of all k ≥ N, which sum to λ^{N−1}, go to the longest return the data holds. O(T²):
/// for checking ``tdLambdaTargets(rewards:nextValues:ends:gamma:lambda:)``.
///
/// - Parameters and returns: as for the recursive form.
/// Source: Sutton & Barto (2018), eqs. (7.1) and (12.2)–(12.3) (the truncated λ-return);
/// Foerster et al. (AAAI 2018), §3.
public func tdLambdaTargetsForwardView(
  rewards: [Double], nextValues: [Double], ends: [StepEnd], gamma γ: Double, lambda λ: Double
) -> [Double] {
  ensureSegment("tdLambdaTargetsForwardView", rewards: rewards.count, ends: ends.count, nextValues: nextValues.count)
  ensure(
    (0...1).contains(γ) && (0...1).contains(λ), "tdLambdaTargetsForwardView: gamma and lambda must be in [0, 1], got \(γ), \(λ)")
  let T = rewards.count
  return (0..<T).map { t in
    // L: the last row of t's episode within the segment.
    var L = t
    while L < T - 1 && !ends[L].endsEpisode { L += 1 }
    let N = L - t + 1
    // snippet: td-lambda-forward
    var target = 0.0, discountedRewards = 0.0, discount = 1.0, λPower = 1.0  // λ^{k−1}
    for k in 1...N {
      let last = t + k - 1  // G^(k) sums the rewards of rows t…last, then bootstraps from q after `last`
      discountedRewards += discount * rewards[last]
      discount *= γ
      let nStepReturn = discountedRewards + discount * ends[last].bootstrapMask * nextValues[last]
      target += (k < N ? (1 - λ) * λPower : λPower) * nStepReturn
      λPower *= λ
    }
    // end snippet
    return target
  }
}
