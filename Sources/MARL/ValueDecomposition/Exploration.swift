import Autodiff

/// How the agents choose actions while collecting training data.
///
/// - `uniform`: every agent picks uniformly at random (ε = 1): every joint action is visited equally
///   often in expectation, the setting of the projection results (VDN's and QMIX's fixed points).
/// - `epsilonGreedy`: each agent, independently, explores uniformly with probability ε(t) and otherwise
///   takes its own greedy action argmax_u Q_a(τ_a, u); ε decays linearly as in pymarl.
///
/// Source: pymarl `src/components/action_selectors.py` (EpsilonGreedyActionSelector) and
/// `src/components/epsilon_schedules.py` (DecayThenFlatSchedule).
public enum Exploration: Sendable, Equatable {
  /// ε = 1 at every step.
  case uniform
  /// ε(t) from the schedule.
  case epsilonGreedy(EpsilonSchedule)

  /// ε at step t.
  public func epsilon(at t: Int) -> Double {
    switch self {
    case .uniform: 1
    case .epsilonGreedy(let schedule): schedule(t)
    }
  }

  /// A short name for tables: "uniform" or "ε-greedy".
  public var name: String {
    switch self {
    case .uniform: "uniform"
    case .epsilonGreedy: "ε-greedy"
    }
  }
}

/// pymarl's linear decay: ε(t) = max(finish, start − (start − finish) · t / annealSteps), then flat.
public struct EpsilonSchedule: Sendable, Equatable {
  /// ε(0).
  public var start: Double
  /// ε(t) for t ≥ annealSteps.
  public var finish: Double
  /// The number of steps over which ε decays.
  public var annealSteps: Int

  /// A schedule from `start` to `finish` over `annealSteps` steps.
  public init(start: Double = 1, finish: Double = 0.05, annealSteps: Int) {
    ensure(
      start >= 0 && start <= 1 && finish >= 0 && finish <= 1 && annealSteps >= 1,
      "EpsilonSchedule: needs 0 ≤ ε ≤ 1 and annealSteps ≥ 1, got \(start), \(finish), \(annealSteps)")
    self.start = start
    self.finish = finish
    self.annealSteps = annealSteps
  }

  /// ε(t).
  public func callAsFunction(_ t: Int) -> Double {
    max(finish, start - (start - finish) * Double(t) / Double(annealSteps))
  }
}

/// One agent's ε-greedy choice: with probability ε a uniformly random action, otherwise
/// argmax_u Q(u) (the lowest index on ties). The greedy action is thus picked with probability
/// 1 − ε + ε/|A|, every other with ε/|A|.
///
/// - Parameter utilities: Q(u) for each action, shape [|A|].
public func epsilonGreedyAction(_ utilities: [Double], epsilon ε: Double, rng: inout RandomGenerator) -> Int {
  ensure(
    !utilities.isEmpty && ε >= 0 && ε <= 1,
    "epsilonGreedyAction: needs utilities and 0 ≤ ε ≤ 1, got \(utilities.count) utilities, ε = \(ε)")
  if rng.uniform() < ε { return rng.integer(below: utilities.count) }
  return Tensor(utilities).argmax()[0]
}
