import Autodiff

extension DecPOMDP {
  /// A random Dec-POMDP with the given sizes, for checking one algorithm against another beyond the
  /// hand-made models. From a generator seeded with `seed`, in this order: every row T(·|s, a) (s, then
  /// joint action a), every row 𝒪(·|a, s′) (a, then s′), every reward R(s, a) uniform in [−10, 10], and
  /// b⁰. Each distribution is ``randomDistribution(_:using:)``, so impossible states and joint
  /// observations occur. States, actions and observations are named s0, a0, o0, ….
  ///
  /// - Parameters:
  ///   - states: |S|.
  ///   - actionCounts: |Aᵢ| for each agent.
  ///   - observationCounts: |Ωᵢ| for each agent.
  ///   - horizon: h.
  ///   - seed: the seed of the generator; the same seed gives the same model.
  /// Source: our construction, for tests.
  public static func random(
    states: Int, actionCounts: [Int], observationCounts: [Int], horizon: Int, seed: UInt64
  ) -> DecPOMDP {
    var rng = RandomGenerator(seed: seed)
    let A = actionCounts.reduce(1, *), O = observationCounts.reduce(1, *)
    let T = (0..<states).map { _ in (0..<A).map { _ in randomDistribution(states, using: &rng) } }
    let obs = (0..<A).map { _ in (0..<states).map { _ in randomDistribution(O, using: &rng) } }
    let R = (0..<states).map { _ in (0..<A).map { _ in rng.uniform(-10, 10) } }
    return DecPOMDP(
      stateNames: (0..<states).map { "s\($0)" },
      actionNames: actionCounts.map { c in (0..<c).map { "a\($0)" } },
      observationNames: observationCounts.map { c in (0..<c).map { "o\($0)" } },
      transition: T, observation: obs, reward: R,
      initialBelief: randomDistribution(states, using: &rng), horizon: horizon)
  }

  /// A random distribution over `count` outcomes: for each entry, with probability ¼ it is 0 and
  /// otherwise a uniform in [0, 1); if all are 0 one entry drawn uniformly is set to 1; then p / Σp.
  /// Source: our construction, for tests.
  public static func randomDistribution(_ count: Int, using rng: inout RandomGenerator) -> [Double] {
    ensure(count >= 1, "DecPOMDP.randomDistribution: needs at least one outcome, got \(count)")
    var p = (0..<count).map { _ in rng.uniform() < 0.25 ? 0 : rng.uniform() }
    if p.allSatisfy({ $0 == 0 }) { p[rng.integer(below: count)] = 1 }
    let total = p.reduce(0, +)
    return p.map { $0 / total }
  }
}
