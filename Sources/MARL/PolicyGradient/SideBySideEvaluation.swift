import Autodiff

/// The mean undiscounted return of m fresh copies of `environment` played to their ends, and its
/// standard error (``meanAndStandardError(_:)``). The episodes run side by side: at every step
/// `jointActions(envs, running, &rng)` returns one joint action per running episode (`running` lists
/// the indices into `envs` of the episodes not yet ended, in order), then those episodes step in that
/// order; an episode leaves the batch when it ends. MAPPO, HAPPO and HATRPO evaluate with it, each with
/// its own way of sampling aⁱ ∼ πⁱ(·|oⁱ).
func evaluateSideBySide<Environment: CooperativeEnvironment>(
  _ environment: Environment, episodes m: Int, using rng: inout RandomGenerator,
  jointActions: (_ envs: [Environment], _ running: [Int], _ rng: inout RandomGenerator) -> [[Int]]
) -> (mean: Double, standardError: Double) {
  ensure(m >= 2, "evaluateSideBySide: needs at least 2 episodes, got \(m)")
  var envs = environment.freshCopies(m, using: &rng)
  var returns = [Double](repeating: 0, count: m)
  var running = Array(0..<m)  // the episodes not yet ended
  while !running.isEmpty {
    let actions = jointActions(envs, running, &rng)
    var still: [Int] = []
    for (k, e) in running.enumerated() {
      let (r, end) = envs[e].step(actions[k], using: &rng)
      returns[e] += r
      if !end.endsEpisode { still.append(e) }
    }
    running = still
  }
  return meanAndStandardError(returns)
}
