import Foundation
import XCTest

@testable import MARL

final class CentralisedSolutionTests: XCTestCase {
  func testCentralisedIsAtLeastDecentralised() {
    for h in 1...3 {
      let tiger = DecTiger.model(horizon: h)
      let centralised = tiger.centralisedSolution()
      let decentralised = tiger.exhaustiveSearch()
      XCTAssertGreaterThanOrEqual(centralised.value, decentralised.value - 1e-9)
      print("Dec-Tiger h = \(h): centralised \(centralised.value), decentralised \(decentralised.value)")
    }
    let model = DecPOMDP.random(states: 3, actionCounts: [2, 2], observationCounts: [2, 2], horizon: 3, seed: 31)
    XCTAssertGreaterThanOrEqual(model.centralisedSolution().value, model.exhaustiveSearch().value - 1e-9)
  }

  /// The centralised value agrees with the branch-and-bound bound U(∅, b⁰) with nothing fixed, which is
  /// the same relaxed problem computed by independent code; on Dec-Tiger it is at least the published
  /// decentralised optimum, and at h = 1 it is listening's −2.
  func testDecTigerCentralisedValues() {
    for h in 2...4 {
      let start = Date()
      let solution = DecTiger.model(horizon: h).centralisedSolution()
      print("Dec-Tiger h = \(h): centralised V = \(solution.value) in \(Date().timeIntervalSince(start)) s")
      XCTAssertGreaterThanOrEqual(solution.value, DecTiger.publishedOptimalValues[h]! - 1e-6)
    }
    let models = [
      DecTiger.model(horizon: 2),
      DecTiger.model(horizon: 3),
      MatrixGame.climbing.decPOMDP,
      DecPOMDP.random(states: 2, actionCounts: [2, 2], observationCounts: [2, 2], horizon: 3, seed: 51),
      DecPOMDP.random(states: 3, actionCounts: [3, 2], observationCounts: [2, 3], horizon: 2, seed: 52),
      DecPOMDP.random(states: 2, actionCounts: [2, 2, 2], observationCounts: [2, 2, 1], horizon: 2, seed: 53),
    ]
    for model in models {
      XCTAssertEqual(model.centralisedSolution().value, BranchAndBoundSearch(model: model).upperBound(), accuracy: 1e-9)
    }
    // h = 1: the best joint action under b⁰ = (½, ½) is to listen, −2.
    XCTAssertEqual(DecTiger.model(horizon: 1).centralisedSolution().value, -2)
  }

  /// With one agent, centralised and decentralised coincide.
  func testSingleAgentCoincides() {
    let pomdp = DecPOMDP.random(states: 3, actionCounts: [3], observationCounts: [2], horizon: 3, seed: 32)
    XCTAssertEqual(pomdp.centralisedSolution().value, pomdp.exhaustiveSearch().value, accuracy: 1e-9)
  }
}
