import Autodiff

/// The mean undiscounted return of m fresh copies of `environment` played to their ends, every agent
/// sampling from its own actor, aⁱ ∼ πⁱ(·|oⁱ), and its standard error. The episodes run side by side:
/// one forward pass per agent per step. HAPPO and HATRPO evaluate with it.
func evaluateActors<Environment: CooperativeEnvironment>(
  _ networks: HeterogeneousActorCritic, on environment: Environment, episodes m: Int, using rng: inout RandomGenerator
) -> (mean: Double, standardError: Double) {
  ensure(m >= 2, "evaluate: needs at least 2 episodes, got \(m)")
  let n = networks.agentCount, d = environment.observationSize
  return evaluateSideBySide(environment, episodes: m, using: &rng) { envs, running, rng in
    var jointActions = [[Int]](repeating: [], count: running.count)
    withoutGradients {
      for i in 0..<n {
        let o = Tensor(shape: [running.count, d], scalars: running.flatMap { envs[$0].observation(of: i) })
        let available = running.flatMap { envs[$0].availableActions(of: i) }
        let a = networks.policy(of: i, o, available: available).sample(using: &rng)
        for k in running.indices { jointActions[k].append(a[k]) }
      }
    }
    return jointActions
  }
}
