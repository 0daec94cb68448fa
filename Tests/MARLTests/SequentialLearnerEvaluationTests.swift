import Autodiff
import Foundation
import MARL
import XCTest

/// `evaluate(episodes:using:)` of HAPPO and HATRPO: deterministic, and the same number as two
/// independent computations of the return of the current policies.
final class SequentialLearnerEvaluationTests: XCTestCase {
  /// A HAPPO learner on GridSpread after a few iterations, so that its policies are no longer uniform.
  private func trainedHAPPO(seed: UInt64) -> HAPPO<GridSpread> {
    var rng = RandomGenerator(seed: seed)
    var config = HAPPOConfig()
    config.training.environments = 16
    config.training.rolloutLength = 6
    config.actorLearningRate = 0.02
    var learner = HAPPO(config: config, environment: GridSpread(), rng: &rng)
    for _ in 0..<5 { _ = learner.iterate(using: &rng) }
    return learner
  }

  func testEvaluationIsDeterministic() {
    let a = trainedHAPPO(seed: 11), b = trainedHAPPO(seed: 11)
    var rng1 = RandomGenerator(seed: 5), rng2 = RandomGenerator(seed: 5), rng3 = RandomGenerator(seed: 6)
    let first = a.evaluate(episodes: 50, using: &rng1)
    let second = b.evaluate(episodes: 50, using: &rng2)
    XCTAssertEqual(first.mean, second.mean)
    XCTAssertEqual(first.standardError, second.standardError)
    // The generator is really used: other draws give another estimate.
    XCTAssertNotEqual(first.mean, a.evaluate(episodes: 50, using: &rng3).mean)
    // Evaluating leaves the learner as it was: the next iteration is the same with or without it.
    var trained = a, untouched = b
    var rng4 = RandomGenerator(seed: 7), rng5 = RandomGenerator(seed: 7)
    XCTAssertEqual(trained.iterate(using: &rng4).episodeReturns, untouched.iterate(using: &rng5).episodeReturns)
  }

  /// The same estimate as a loop written out here: one episode at a time, each agent drawing its action
  /// from its own πⁱ(·|oⁱ) with `RandomGenerator.categorical`. The two use different random numbers,
  /// so they agree within their standard errors.
  func testEvaluationMatchesAHandRolledMonteCarloLoop() {
    let learner = trainedHAPPO(seed: 12)
    var rng = RandomGenerator(seed: 8)
    let evaluated = learner.evaluate(episodes: 2_000, using: &rng)
    var returns: [Double] = []
    for _ in 0..<2_000 {
      var env = GridSpread()
      env.reset(using: &rng)
      var total = 0.0, end = StepEnd.continues
      while !end.endsEpisode {
        let actions = (0..<env.agentCount).map { i in
          let o = Tensor(shape: [1, env.observationSize], scalars: env.observation(of: i))
          return rng.categorical(withoutGradients { learner.networks.policy(of: i, o).probabilities.scalars })
        }
        let step = env.step(actions, using: &rng)
        total += step.reward
        end = step.end
      }
      returns.append(total)
    }
    let mean = returns.reduce(0, +) / Double(returns.count)
    let variance = returns.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(returns.count - 1)
    let standardError = (variance / Double(returns.count)).squareRoot()
    XCTAssertEqual(
      evaluated.mean, mean,
      accuracy: 4 * (evaluated.standardError * evaluated.standardError + standardError * standardError).squareRoot())
    // The two standard errors estimate the same spread.
    XCTAssertEqual(evaluated.standardError / standardError, 1, accuracy: 0.1)
    // And the policies have moved away from uniform, so the test is not only about the random policy.
    XCTAssertGreaterThan(mean, GridSpread().exactUniformRandomReturn() + 4 * standardError)
  }

  /// In a matrix game J(π) is known exactly: Σ_a Π_i πⁱ(aⁱ) R(a). Both learners' estimates must agree with it.
  func testEvaluationMatchesTheExactReturnOfAMatrixGame() {
    let game = MatrixGame.splitTeams(agents: 2)
    let environment = MatrixGameEnvironment(game: game)
    var rng = RandomGenerator(seed: 9)
    var happoConfig = HAPPOConfig(), hatrpoConfig = HATRPOConfig()
    happoConfig.training.hidden = []
    happoConfig.training.environments = 32
    happoConfig.training.rolloutLength = 1
    happoConfig.actorLearningRate = 0.02
    hatrpoConfig.training.hidden = []
    hatrpoConfig.training.environments = 32
    hatrpoConfig.training.rolloutLength = 1
    var happo = HAPPO(config: happoConfig, environment: environment, rng: &rng)
    var hatrpo = HATRPO(config: hatrpoConfig, environment: environment, rng: &rng)
    for _ in 0..<4 {
      _ = happo.iterate(using: &rng)
      _ = hatrpo.iterate(using: &rng)
    }
    let observation = MatrixGameEnvironment.observation
    for (name, policies, evaluated) in [
      ("HAPPO", happo.networks.policies(at: observation), happo.evaluate(episodes: 4_000, using: &rng)),
      ("HATRPO", hatrpo.networks.policies(at: observation), hatrpo.evaluate(episodes: 4_000, using: &rng)),
    ] {
      let exact = game.expectedPayoff(policies: policies)
      XCTAssertEqual(evaluated.mean, exact, accuracy: 4 * evaluated.standardError, name)
      // The payoff is 0 or 1, so the standard error is known too: √(J(1 − J)/m), up to m/(m − 1).
      let standardError = (exact * (1 - exact) / 4_000).squareRoot()
      XCTAssertEqual(evaluated.standardError, standardError, accuracy: 0.1 * standardError, name)
    }
  }
}
