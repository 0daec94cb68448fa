import Autodiff
import MARL
import XCTest

final class SimulationTests: XCTestCase {
  /// The Monte-Carlo mean return agrees with the exact value within 4 standard errors.
  func testMonteCarloMatchesExactValue() {
    var rng = RandomGenerator(seed: 7)
    let tiger = DecTiger.model(horizon: 3)
    let policies = [
      ExactEvaluationTests.listenThenOpenOpposite(tiger.withHorizon(2)),
      tiger.randomJointPolicy(using: &rng),
      tiger.randomJointPolicy(using: &rng),
    ]
    for policy in policies {
      let model = tiger.withHorizon(policy[0].horizon)
      let exact = model.evaluate(policy).value
      let estimate = model.monteCarloValue(policy, episodes: 20_000, using: &rng)
      XCTAssertLessThan(abs(estimate.mean - exact), 4 * estimate.standardError, "exact \(exact), MC \(estimate)")
    }
    let random = DecPOMDP.random(states: 3, actionCounts: [2, 2], observationCounts: [2, 3], horizon: 3, seed: 11)
    let policy = random.randomJointPolicy(using: &rng)
    let estimate = random.monteCarloValue(policy, episodes: 20_000, using: &rng)
    XCTAssertLessThan(abs(estimate.mean - random.evaluate(policy).value), 4 * estimate.standardError)
  }

  func testEpisodeShapesAndDeterminism() {
    let tiger = DecTiger.model(horizon: 4)
    let policy = tiger.jointPolicy { _, _ in DecTiger.listen }
    var rng1 = RandomGenerator(seed: 3), rng2 = RandomGenerator(seed: 3)
    let episode = tiger.sampleEpisode(policy, using: &rng1)
    XCTAssertEqual(episode.states.count, 5)
    XCTAssertEqual(episode.jointActions, [0, 0, 0, 0])
    XCTAssertEqual(episode.jointObservations.count, 4)
    XCTAssertEqual(episode.totalReward, -8)
    XCTAssertEqual(Set(episode.states).count, 1)  // listening never moves the tiger
    XCTAssertEqual(tiger.sampleEpisode(policy, using: &rng2).jointObservations, episode.jointObservations)
  }
}
