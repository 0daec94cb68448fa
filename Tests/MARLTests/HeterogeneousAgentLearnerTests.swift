import Autodiff
import Foundation
import MARL
import XCTest

/// HAPPO's factor and objective, and the HAPPO and HATRPO learners on small matrix games.
final class HeterogeneousAgentLearnerTests: XCTestCase {
  func testFactorUpdateByHand() {
    // factor (1, 2) times the ratios e^{0.5} and e^{−1}.
    let updated = updatedCorrectionFactor([1, 2], newLogProbabilities: [-0.5, -2], oldLogProbabilities: [-1, -1])
    XCTAssertEqual(updated[0], exp(0.5), accuracy: 1e-15)
    XCTAssertEqual(updated[1], 2 * exp(-1), accuracy: 1e-15)
  }

  func testHAPPOSurrogateIsPPOClipOnM() {
    var rng = RandomGenerator(seed: 1)
    let logπ = Tensor((0..<20).map { _ in rng.normal() }, requiresGradient: true)
    let old = Tensor(logπ.scalars.map { $0 + rng.uniform(-0.5, 0.5) })
    let factor = Tensor((0..<20).map { _ in rng.uniform(0.2, 3) }, requiresGradient: true)
    let Â = Tensor((0..<20).map { _ in rng.normal() })
    let happo = happoSurrogate(logProbabilities: logπ, oldLogProbabilities: old, factor: factor, advantages: Â, epsilon: 0.2)
    let ppo = ppoClipSurrogate(logProbabilities: logπ, oldLogProbabilities: old, advantages: factor.detached * Â, epsilon: 0.2)
    XCTAssertEqual(happo.scalar, ppo.scalar, accuracy: 1e-14)
    // By hand: mean over rows of factor · min(r Â, clip(r) Â) (M > 0 commutes with the min).
    var expected = 0.0
    for n in 0..<20 {
      let r = exp(logπ.scalars[n] - old.scalars[n])
      expected += factor.scalars[n] * min(r * Â.scalars[n], min(max(r, 0.8), 1.2) * Â.scalars[n])
    }
    XCTAssertEqual(happo.scalar, expected / 20, accuracy: 1e-14)
    // No gradient reaches M.
    let g = gradients(of: happo, withRespectTo: [factor])[0]
    XCTAssertTrue(g.scalars.allSatisfy { $0 == 0 })
  }

  func testMatrixGameEnvironment() {
    var rng = RandomGenerator(seed: 2)
    var env = MatrixGameEnvironment(game: MatrixGame.climbing)
    env.reset(using: &rng)
    XCTAssertEqual(env.observation(of: 1), [1])
    let (r, end) = env.step([0, 1], using: &rng)
    XCTAssertEqual(r, -30)
    XCTAssertEqual(end, .terminated)
  }

  /// J of the learners' policies on the 2-agent split-teams game (optimum 1, best shared 0.5).
  func testHAPPOLearnsTheSplitTeamsGame() {
    var rng = RandomGenerator(seed: 3)
    let game = MatrixGame.splitTeams(agents: 2)
    var config = HAPPOConfig()
    config.training.hidden = []
    config.training.environments = 64
    config.training.rolloutLength = 1
    config.actorLearningRate = 0.02
    var learner = HAPPO(config: config, environment: MatrixGameEnvironment(game: game), rng: &rng)
    let start = game.expectedPayoff(policies: learner.networks.policies(at: [1]))
    for _ in 0..<25 {
      let report = learner.iterate(using: &rng)
      XCTAssertEqual(report.order.sorted(), [0, 1])
      XCTAssertEqual(report.episodeReturns.count, 64)
    }
    let end = game.expectedPayoff(policies: learner.networks.policies(at: [1]))
    XCTAssertGreaterThan(end, max(0.9, start))
  }

  func testSimultaneousOrderKeepsTheFactorAtOne() {
    var rng = RandomGenerator(seed: 4)
    var config = HAPPOConfig()
    config.training.hidden = []
    config.training.environments = 16
    config.training.rolloutLength = 1
    config.training.order = .simultaneous
    var learner = HAPPO(config: config, environment: MatrixGameEnvironment(game: .splitTeams(agents: 4)), rng: &rng)
    let report = learner.iterate(using: &rng)
    XCTAssertEqual(report.order, [0, 1, 2, 3])
    XCTAssertEqual(report.meanFactor, [1, 1, 1, 1])
  }

  /// Fixed order 0 → 1 against simultaneous updates, from the same seed, for one iteration: agent 0's
  /// update is identical (its M is Â in both), agent 1's must differ, because only the correction factor
  /// tells the sequential learners from simultaneous PPO or TRPO.
  func testTheFactorChangesTheSecondAgentsUpdate() {
    let environment = MatrixGameEnvironment(game: .splitTeams(agents: 2))
    func happo(_ order: UpdateOrder) -> HeterogeneousActorCritic {
      var rng = RandomGenerator(seed: 3)
      var config = HAPPOConfig()
      config.training.hidden = []
      config.training.environments = 64
      config.training.rolloutLength = 1
      config.training.order = order
      var learner = HAPPO(config: config, environment: environment, rng: &rng)
      _ = learner.iterate(using: &rng)
      return learner.networks
    }
    func hatrpo(_ order: UpdateOrder) -> HeterogeneousActorCritic {
      var rng = RandomGenerator(seed: 3)
      var config = HATRPOConfig()
      config.training.hidden = []
      config.training.environments = 64
      config.training.rolloutLength = 1
      config.training.order = order
      var learner = HATRPO(config: config, environment: environment, rng: &rng)
      _ = learner.iterate(using: &rng)
      return learner.networks
    }
    let pairs = [("HAPPO", happo(.fixed), happo(.simultaneous)), ("HATRPO", hatrpo(.fixed), hatrpo(.simultaneous))]
    for (name, sequential, simultaneous) in pairs {
      XCTAssertEqual(
        sequential.actors[0].parameters.flatMap(\.scalars), simultaneous.actors[0].parameters.flatMap(\.scalars), name)
      XCTAssertNotEqual(
        sequential.actors[1].parameters.flatMap(\.scalars), simultaneous.actors[1].parameters.flatMap(\.scalars), name)
    }
  }

  func testHATRPOStepsStayInTheTrustRegionAndImprove() {
    var rng = RandomGenerator(seed: 5)
    let game = MatrixGame.splitTeams(agents: 2)
    var config = HATRPOConfig()
    config.training.hidden = []
    config.training.environments = 64
    config.training.rolloutLength = 1
    var learner = HATRPO(config: config, environment: MatrixGameEnvironment(game: game), rng: &rng)
    var before = learner.networks.policies(at: [1])
    for _ in 0..<20 {
      let report = learner.iterate(using: &rng)
      let after = learner.networks.policies(at: [1])
      // The constraint is on each agent's mean KL over the batch; with a constant observation that is its one KL.
      for i in 0..<2 { XCTAssertLessThanOrEqual(discreteKL(before[i], after[i]), config.trustRegion.maxKL + 1e-12) }
      XCTAssertEqual(report.accepted.count, 2)
      before = after
    }
    XCTAssertGreaterThan(game.expectedPayoff(policies: before), 0.9)
  }
}
