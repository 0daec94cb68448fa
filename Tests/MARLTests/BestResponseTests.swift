import Autodiff
import MARL
import XCTest

final class BestResponseTests: XCTestCase {
  /// max over all of agent i's policies of V(⟨πᵢ, π₋ᵢ⟩), by enumeration.
  func bruteForceResponse(_ model: DecPOMDP, _ agent: Int, _ policy: JointPolicy) -> Double {
    var best = -Double.infinity
    var candidate = policy
    for tree in model.localPolicies(of: agent) {
      candidate[agent] = tree
      best = max(best, model.evaluate(candidate).value)
    }
    return best
  }

  func checkBestResponses(_ model: DecPOMDP, seed: UInt64, trials: Int) {
    var rng = RandomGenerator(seed: seed)
    for _ in 0..<trials {
      let policy = model.randomJointPolicy(using: &rng)
      for agent in 0..<model.agentCount {
        let response = model.bestResponse(of: agent, to: policy)
        var improved = policy
        improved[agent] = response.policy
        XCTAssertEqual(model.evaluate(improved).value, response.value, accuracy: 1e-9, "its value is its policy's value")
        XCTAssertGreaterThanOrEqual(response.value, model.evaluate(policy).value - 1e-9, "never worse")
        XCTAssertEqual(response.value, bruteForceResponse(model, agent, policy), accuracy: 1e-9, "= brute force")
      }
    }
  }

  func testDecTiger() {
    checkBestResponses(DecTiger.model(horizon: 2), seed: 1, trials: 5)
    checkBestResponses(DecTiger.model(horizon: 3), seed: 2, trials: 2)
  }

  func testRandomModels() {
    let twoAgents = DecPOMDP.random(states: 3, actionCounts: [2, 3], observationCounts: [3, 2], horizon: 3, seed: 5)
    checkBestResponses(twoAgents, seed: 3, trials: 3)
    let threeAgents = DecPOMDP.random(states: 2, actionCounts: [2, 2, 3], observationCounts: [2, 1, 2], horizon: 2, seed: 6)
    checkBestResponses(threeAgents, seed: 4, trials: 3)
  }

  /// Best response to "the other always listens" in Dec-Tiger h = 1: listening (−2) beats opening (−46).
  func testHorizonOneTiger() {
    let tiger = DecTiger.model(horizon: 1)
    let response = tiger.bestResponse(of: 0, to: tiger.jointPolicy { _, _ in DecTiger.listen })
    XCTAssertEqual(response.policy.actions, [DecTiger.listen])
    XCTAssertEqual(response.value, -2)
  }

  /// Ties go to the lowest action index: in a constant game every action ties.
  func testTiesGoToLowestAction() {
    let game = MatrixGame(name: "flat", actionCounts: [3, 3], payoff: [Double](repeating: 1, count: 9)).decPOMDP
    let response = game.bestResponse(of: 1, to: game.jointPolicy { _, _ in 2 })
    XCTAssertEqual(response.policy.actions, [0])
  }
}
