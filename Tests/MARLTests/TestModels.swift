import Autodiff
import MARL

/// Small models for cross-checks beyond Dec-Tiger.
enum TestModels {
  /// A random Dec-POMDP with the given sizes: every distribution drawn from normalised uniforms (some
  /// entries zeroed, so that impossible histories occur), rewards uniform in [−10, 10].
  static func random(
    states: Int, actionCounts: [Int], observationCounts: [Int], horizon: Int, seed: UInt64
  ) -> DecPOMDP {
    var rng = RandomGenerator(seed: seed)
    let A = actionCounts.reduce(1, *), O = observationCounts.reduce(1, *)
    func distribution(_ count: Int) -> [Double] {
      var p = (0..<count).map { _ in rng.uniform() < 0.25 ? 0 : rng.uniform() }
      if p.allSatisfy({ $0 == 0 }) { p[rng.integer(below: count)] = 1 }
      let total = p.reduce(0, +)
      return p.map { $0 / total }
    }
    let T = (0..<states).map { _ in (0..<A).map { _ in distribution(states) } }
    let obs = (0..<A).map { _ in (0..<states).map { _ in distribution(O) } }
    let R = (0..<states).map { _ in (0..<A).map { _ in rng.uniform(-10, 10) } }
    return DecPOMDP(
      stateNames: (0..<states).map { "s\($0)" },
      actionNames: actionCounts.map { c in (0..<c).map { "a\($0)" } },
      observationNames: observationCounts.map { c in (0..<c).map { "o\($0)" } },
      transition: T, observation: obs, reward: R,
      initialBelief: distribution(states), horizon: horizon)
  }
}
