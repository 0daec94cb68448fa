import Autodiff
import MARL
import XCTest

final class JESPTests: XCTestCase {
  func checkEquilibrium(_ model: DecPOMDP, _ result: JESPResult) {
    XCTAssertEqual(model.evaluate(result.policy).value, result.value, accuracy: 1e-9)
    for agent in 0..<model.agentCount {
      XCTAssertLessThanOrEqual(
        model.bestResponse(of: agent, to: result.policy).value,
        result.value + 1e-9 * max(1, abs(result.value)), "agent \(agent) could still improve")
    }
    XCTAssertGreaterThanOrEqual(result.rounds, 1)
  }

  func testDecTigerConvergesToEquilibria() {
    var rng = RandomGenerator(seed: 2024)
    for h in 2...3 {
      let tiger = DecTiger.model(horizon: h)
      var values: [Double] = []
      for _ in 0..<10 {
        let start = tiger.randomJointPolicy(using: &rng)
        let result = tiger.jesp(from: start)
        checkEquilibrium(tiger, result)
        XCTAssertGreaterThanOrEqual(result.value, tiger.evaluate(start).value - 1e-9)
        XCTAssertLessThanOrEqual(result.value, DecTiger.publishedOptimalValues[h]! + 1e-6)
        values.append(result.value)
      }
      print("Dec-Tiger h = \(h) JESP values from 10 random starts: \(values.map { ($0 * 1e4).rounded() / 1e4 })")
    }
  }

  func testRandomModelAndMatrixGame() {
    var rng = RandomGenerator(seed: 9)
    let model = DecPOMDP.random(states: 3, actionCounts: [2, 3, 2], observationCounts: [2, 2, 1], horizon: 2, seed: 41)
    for _ in 0..<5 { checkEquilibrium(model, model.jesp(using: &rng)) }
    // The climbing game from (a1, a1) = 7 stays there: a Nash equilibrium that is not optimal.
    let climbing = MatrixGame.climbing.decPOMDP
    let stuck = climbing.jesp(from: climbing.jointPolicy { _, _ in 1 })
    XCTAssertEqual(stuck.value, 7)
    XCTAssertEqual(stuck.rounds, 1)
  }
}
