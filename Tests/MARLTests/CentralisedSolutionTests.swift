import Foundation
import MARL
import XCTest

final class CentralisedSolutionTests: XCTestCase {
  func testCentralisedIsAtLeastDecentralised() {
    for h in 1...3 {
      let tiger = DecTiger.model(horizon: h)
      let centralised = tiger.centralisedSolution()
      let decentralised = tiger.exhaustiveSearch()
      XCTAssertGreaterThanOrEqual(centralised.value, decentralised.value - 1e-9)
      print("Dec-Tiger h = \(h): centralised \(centralised.value), decentralised \(decentralised.value)")
    }
    let model = TestModels.random(states: 3, actionCounts: [2, 2], observationCounts: [2, 2], horizon: 3, seed: 31)
    XCTAssertGreaterThanOrEqual(model.centralisedSolution().value, model.exhaustiveSearch().value - 1e-9)
  }

  /// A decentralised policy is a centralised one: evaluating it through the joint-history tree gives the
  /// same value, and the centralised optimum is reached by the tree it returns (checked by simulation of
  /// the belief recursion).
  func testDecTigerCentralisedValues() {
    for h in 2...4 {
      let start = Date()
      let solution = DecTiger.model(horizon: h).centralisedSolution()
      print("Dec-Tiger h = \(h): centralised V = \(solution.value) in \(Date().timeIntervalSince(start)) s")
      XCTAssertGreaterThanOrEqual(solution.value, DecTiger.publishedOptimalValues[h]! - 1e-6)
    }
    // h = 1: the best joint action under b⁰ = (½, ½) is to listen, −2.
    XCTAssertEqual(DecTiger.model(horizon: 1).centralisedSolution().value, -2)
  }

  /// With one agent, centralised and decentralised coincide.
  func testSingleAgentCoincides() {
    let pomdp = TestModels.random(states: 3, actionCounts: [3], observationCounts: [2], horizon: 3, seed: 32)
    XCTAssertEqual(pomdp.centralisedSolution().value, pomdp.exhaustiveSearch().value, accuracy: 1e-9)
  }
}
