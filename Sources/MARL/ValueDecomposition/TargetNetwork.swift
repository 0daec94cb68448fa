import Autodiff

/// A target network: a frozen copy Q̄ of a live network Q, used to compute TD targets, and replaced
/// by a fresh copy every C training updates (a "hard" update). Between copies, the regression target
/// stays put while Q moves, which is what keeps bootstrapped Q-learning from chasing its own tail.
///
///     var target = TargetNetwork(copying: mixer, updatePeriod: 200)
///     // … after each gradient step on `mixer`:
///     target.step(live: mixer)          // copies θ̄ ← θ on every 200th call
///
/// The copy's parameters are constants (no gradient flows into Q̄).
///
/// Source: Mnih et al., "Human-level control through deep reinforcement learning" (Nature 2015),
/// Algorithm 1 (every C steps reset Q̂ = Q); pymarl's `target_update_interval` 200 episodes
/// (`src/config/default.yaml`).
public struct TargetNetwork<Network: Module> {
  /// Q̄: the frozen copy.
  public private(set) var network: Network
  /// C: the number of `step` calls between two copies.
  public let updatePeriod: Int
  /// How many `step` calls since the last copy.
  public private(set) var stepsSinceCopy = 0

  /// Q̄ ← Q now, then every `updatePeriod` steps.
  public init(copying live: Network, updatePeriod: Int) {
    ensure(updatePeriod >= 1, "TargetNetwork: updatePeriod must be ≥ 1, got \(updatePeriod)")
    self.network = live
    self.updatePeriod = updatePeriod
    copy(from: live)
  }

  /// θ̄ ← θ, as constants.
  public mutating func copy(from live: Network) {
    network.parameters = live.parameters.map(\.detached)
    stepsSinceCopy = 0
  }

  /// Counts one training update; copies θ̄ ← θ when C of them have passed. Returns whether it copied.
  @discardableResult
  public mutating func step(live: Network) -> Bool {
    stepsSinceCopy += 1
    guard stepsSinceCopy >= updatePeriod else { return false }
    copy(from: live)
    return true
  }
}
