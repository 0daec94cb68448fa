import Autodiff

/// A one-step continuous cooperative game with private information, for the deterministic policy
/// gradient of MADDPG.
///
/// Two agents each observe a private signal oⁱ ∼ Uniform[−1, 1] (independent), choose a real action
/// aⁱ, and share the reward
///
///     r(o, a) = −(a¹ − a²)² − (a¹ + a² − o¹ − o²)²
///
/// The team wants to agree (first term) on the sum of the signals (second term), but each agent knows
/// only its own half of it. With σ² = Var[oⁱ] = 1/3:
/// - a central controller plays aⁱ = (o¹ + o²)/2 and gets the maximum, 0;
/// - decentralised, the first-order condition of agent 1 given o¹ is 4a¹ = 2o¹ + 2E[o²] (the
///   partner's action cancels), so aⁱ = oⁱ/2 is the unique best decentralised policy, with
///   J* = −E[(o¹ − o²)²]/4 − E[(o¹ + o²)²]/4 = −σ² = −1/3. It is linear.
///
/// For the linear policies aⁱ = wⁱoⁱ + bⁱ the expected reward has a closed form:
///
///     J(w, b) = −σ²(w₁² + w₂²) − (b₁ − b₂)² − σ²((w₁ − 1)² + (w₂ − 1)²) − (b₁ + b₂)²
///     ∂J/∂wⁱ = −2σ²(2wⁱ − 1),   ∂J/∂bⁱ = −4bⁱ
///
/// Source: our construction, a two-person quadratic team decision problem in the sense of Radner,
/// "Team Decision Problems" (Ann. Math. Statist. 1962), where linear decision rules are optimal.
public struct QuadraticTeamGame: Sendable {
  /// A game (it has no parameters).
  public init() {}

  /// σ² = Var[oⁱ] = 1/3 for oⁱ ∼ Uniform[−1, 1].
  public static let signalVariance = 1.0 / 3.0
  /// J* = −σ², the best decentralised expected reward (aⁱ = oⁱ/2).
  public static let decentralisedOptimum = -signalVariance
  /// 0, the best centralised expected reward (aⁱ = (o¹ + o²)/2).
  public static let centralisedOptimum = 0.0

  /// r(o, a) for one episode. Shapes: signals [2], actions [2].
  public func reward(signals o: [Double], actions a: [Double]) -> Double {
    ensure(
      o.count == 2 && a.count == 2, "QuadraticTeamGame.reward: expects 2 signals and 2 actions, got \(o.count) and \(a.count)")
    let disagreement = a[0] - a[1], miss = a[0] + a[1] - o[0] - o[1]
    return -disagreement * disagreement - miss * miss
  }

  /// r for a batch, as a differentiable tensor: signals o [S, 2], actions a [S, 2] → r [S].
  public func reward(signals o: Tensor, actions a: Tensor) -> Tensor {
    ensure(
      o.rank == 2 && o.shape[1] == 2 && a.shape == o.shape,
      "QuadraticTeamGame.reward: expects o [S, 2] and a [S, 2], got \(o.shape) and \(a.shape)")
    let a1 = a.slice(0..<1, alongAxis: 1), a2 = a.slice(1..<2, alongAxis: 1)
    let o1 = o.slice(0..<1, alongAxis: 1), o2 = o.slice(1..<2, alongAxis: 1)
    return (-(a1 - a2).squared() - (a1 + a2 - o1 - o2).squared()).reshaped([-1])
  }

  /// Draws (o¹, o²), each Uniform[−1, 1].
  public func sampleSignals(using rng: inout RandomGenerator) -> [Double] {
    [rng.uniform(-1, 1), rng.uniform(-1, 1)]
  }

  /// J(w, b) = E_o[r(o, (w₁o¹ + b₁, w₂o² + b₂))] in closed form. Shapes: w [2], b [2].
  public func expectedReward(weights w: [Double], biases b: [Double]) -> Double {
    let σ2 = Self.signalVariance
    return -σ2 * (w[0] * w[0] + w[1] * w[1]) - (b[0] - b[1]) * (b[0] - b[1])
      - σ2 * ((w[0] - 1) * (w[0] - 1) + (w[1] - 1) * (w[1] - 1)) - (b[0] + b[1]) * (b[0] + b[1])
  }

  /// ∇J(w, b) in closed form: (∂J/∂w, ∂J/∂b), each [2].
  public func expectedRewardGradient(weights w: [Double], biases b: [Double]) -> (weights: [Double], biases: [Double]) {
    let σ2 = Self.signalVariance
    return (w.map { -2 * σ2 * (2 * $0 - 1) }, b.map { -4 * $0 })
  }
}
