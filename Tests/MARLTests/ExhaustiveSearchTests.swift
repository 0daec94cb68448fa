import Foundation
import MARL
import XCTest

final class ExhaustiveSearchTests: XCTestCase {
  func testDecTigerHorizonTwoAgreesWithBruteForce() {
    let tiger = DecTiger.model(horizon: 2)
    let smart = tiger.exhaustiveSearch()
    let brute = tiger.bruteForceSearch()
    XCTAssertEqual(smart.value, -4, accuracy: 1e-9)
    XCTAssertEqual(brute.value, -4, accuracy: 1e-9)
    XCTAssertEqual(smart.candidatesExamined, 27)
    XCTAssertEqual(brute.candidatesExamined, 729)
    XCTAssertEqual(tiger.evaluate(smart.policy).value, smart.value, accuracy: 1e-12)
  }

  func testPublishedDecTigerHorizonThree() {
    let tiger = DecTiger.model(horizon: 3)
    let start = Date()
    let result = tiger.exhaustiveSearch()
    let seconds = Date().timeIntervalSince(start)
    XCTAssertEqual(result.value, DecTiger.publishedOptimalValues[3]!, accuracy: 1e-6)
    XCTAssertEqual(result.candidatesExamined, 2187)
    XCTAssertEqual(tiger.evaluate(result.policy).value, result.value, accuracy: 1e-9)
    print("Dec-Tiger h = 3 exhaustive search: V* = \(result.value) in \(seconds) s")
  }

  func testRandomModelsAgreeWithBruteForce() {
    let models = [
      DecPOMDP.random(states: 2, actionCounts: [2, 2], observationCounts: [2, 2], horizon: 3, seed: 21),
      DecPOMDP.random(states: 3, actionCounts: [3, 2], observationCounts: [2, 3], horizon: 2, seed: 22),
      DecPOMDP.random(states: 2, actionCounts: [2, 2, 2], observationCounts: [2, 2, 1], horizon: 2, seed: 23),
      DecPOMDP.random(states: 4, actionCounts: [4], observationCounts: [2], horizon: 3, seed: 24),  // a POMDP
    ]
    for model in models {
      let smart = model.exhaustiveSearch()
      let brute = model.bruteForceSearch()
      XCTAssertEqual(smart.value, brute.value, accuracy: 1e-9)
      XCTAssertEqual(model.evaluate(smart.policy).value, smart.value, accuracy: 1e-9)
      XCTAssertEqual(brute.candidatesExamined, model.jointPolicyCount.exact)
    }
  }

  func testMatrixGamesFindTheirOptimum() {
    for game in [MatrixGame.climbing, .penalty(k: -100), .nonMonotonic] {
      let result = game.decPOMDP.exhaustiveSearch()
      XCTAssertEqual(result.value, game.optimum.value)
      XCTAssertEqual(result.value, game.decPOMDP.bruteForceSearch().value)
    }
    XCTAssertEqual(MatrixGame.climbing.optimum.value, 11)
    XCTAssertEqual(MatrixGame.penalty(k: -100).optimum.value, 10)
    XCTAssertEqual(MatrixGame.nonMonotonic.optimum.value, 8)
    let threePlayer = MatrixGame(name: "3p", actionCounts: [2, 2, 2], payoff: [0, 1, 2, 3, 4, 9, 6, 7])
    XCTAssertEqual(threePlayer.payoff([1, 0, 1]), 9)
    XCTAssertEqual(threePlayer.decPOMDP.exhaustiveSearch().value, 9)
  }
}
