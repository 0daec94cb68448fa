import Autodiff

/// A team task in which credit assignment is the whole difficulty: n agents each receive a private
/// signal and must echo it, and the team is paid for the number of correct echoes.
///
/// At every step t each agent a privately observes a signal cᵃ_t ∈ {0, …, K − 1}, drawn uniformly and
/// independently, and plays uᵃ_t ∈ {0, …, K − 1}. The team receives
///
///     r_t = (1/n) Σₐ 𝟙[uᵃ_t = cᵃ_t],
///
/// the fraction of correct echoes. The optimal policy is obvious to each agent in isolation (play
/// your signal) and nothing couples the agents; but every agent learns from the one shared sum, in
/// which its own choice moves r by 1/n while its n − 1 teammates' random choices move it by a
/// binomial amount with standard deviation √((n − 1)p(1 − p))/n. The more agents, the weaker each
/// one's signal: exactly the setting of difference rewards. Episodes last `horizon` steps, with fresh
/// signals at every step, and then terminate.
///
/// Observation of agent a (length K + 1): one-hot(cᵃ_t), then t/horizon.
/// Global state (length nK + 1): every agent's one-hot signal, then t/horizon.
/// Exact references: the optimum returns `horizon` (every echo right), uniform play `horizon`/K.
///
/// Source: our construction; the shared reward is a sum of individual terms, the setting in which
/// Wolpert & Tumer (2001) introduced difference rewards and Foerster et al. (AAAI 2018, §4) motivate
/// the counterfactual baseline.
public struct EchoTeam: CooperativeEnvironment, Sendable {
  /// The task's parameters.
  public struct Config: Sendable, Equatable {
    /// n, the number of agents.
    public var agentCount: Int
    /// K, the number of signals and of actions.
    public var signalCount: Int
    /// Steps per episode.
    public var horizon: Int

    /// Defaults: 8 agents, 3 signals, 4 steps.
    public init(agentCount: Int = 8, signalCount: Int = 3, horizon: Int = 4) {
      ensure(
        agentCount >= 1 && signalCount >= 2 && horizon >= 1,
        "EchoTeam.Config: invalid n \(agentCount), K \(signalCount), horizon \(horizon)")
      self.agentCount = agentCount
      self.signalCount = signalCount
      self.horizon = horizon
    }
  }

  /// The parameters.
  public let config: Config
  /// cᵃ_t, each agent's current signal.
  public private(set) var signals: [Int]
  /// t, the steps taken in this episode.
  public private(set) var time = 0

  /// A task with every signal 0 (call ``reset(using:)`` to draw an episode's start).
  public init(config: Config = Config()) {
    self.config = config
    signals = [Int](repeating: 0, count: config.agentCount)
  }

  // MARK: - CooperativeEnvironment

  public var agentCount: Int { config.agentCount }
  public var actionCount: Int { config.signalCount }
  /// K + 1.
  public var observationSize: Int { config.signalCount + 1 }
  /// nK + 1.
  public var stateSize: Int { config.agentCount * config.signalCount + 1 }

  public mutating func reset(using rng: inout RandomGenerator) {
    time = 0
    drawSignals(using: &rng)
  }

  public func observation(of a: Int) -> [Double] {
    ensure(a >= 0 && a < agentCount, "EchoTeam.observation: agent \(a) outside 0..<\(agentCount)")
    var o = [Double](repeating: 0, count: observationSize)
    o[signals[a]] = 1
    o[config.signalCount] = Double(time) / Double(config.horizon)
    return o
  }

  public var state: [Double] {
    let K = config.signalCount
    var s = [Double](repeating: 0, count: stateSize)
    for a in 0..<agentCount { s[a * K + signals[a]] = 1 }
    s[stateSize - 1] = Double(time) / Double(config.horizon)
    return s
  }

  public func availableActions(of agent: Int) -> [Bool] { [Bool](repeating: true, count: config.signalCount) }

  public mutating func step(_ jointAction: [Int], using rng: inout RandomGenerator) -> (reward: Double, end: StepEnd) {
    ensure(
      jointAction.count == agentCount && jointAction.allSatisfy { $0 >= 0 && $0 < config.signalCount },
      "EchoTeam.step: expected \(agentCount) actions in 0..<\(config.signalCount), got \(jointAction)")
    ensure(time < config.horizon, "EchoTeam.step: the episode is over (t = \(time)); call reset first")
    var correct = 0
    for a in 0..<agentCount where jointAction[a] == signals[a] { correct += 1 }
    time += 1
    drawSignals(using: &rng)
    return (Double(correct) / Double(agentCount), time == config.horizon ? .terminated : .continues)
  }

  private mutating func drawSignals(using rng: inout RandomGenerator) {
    for a in 0..<agentCount { signals[a] = rng.integer(below: config.signalCount) }
  }

  // MARK: - Exact references

  /// The optimal expected return: every echo right at every step, `horizon`.
  public var optimalReturn: Double { Double(config.horizon) }
  /// The expected return of uniformly random play: each echo is right with probability 1/K.
  public var uniformRandomReturn: Double { Double(config.horizon) / Double(config.signalCount) }

  /// The exact counterfactual advantage of agent a for playing `action` on its signal c, under any
  /// policies: the future does not depend on today's actions (fresh signals) and the other agents'
  /// terms cancel, so
  ///
  ///     Aᵃ = Q(s, u) − Σ_k πᵃ(k) Q(s, (u⁻ᵃ, k)) = (1/n) (𝟙[uᵃ = c] − πᵃ(c)).
  ///
  /// `policy` is πᵃ(·|oᵃ) [K]. What a perfect COMA critic would give; a learned one is compared with it.
  public func exactCounterfactualAdvantage(signal c: Int, action: Int, policy: [Double]) -> Double {
    ensure(
      policy.count == config.signalCount && c >= 0 && c < config.signalCount,
      "EchoTeam.exactCounterfactualAdvantage: policy [\(policy.count)] or signal \(c) out of range for K = \(config.signalCount)")
    return ((action == c ? 1 : 0) - policy[c]) / Double(agentCount)
  }
}
