import MARL
import XCTest

final class ExactEvaluationTests: XCTestCase {
  func testAlwaysListenCostsTwoPerStep() {
    for h in 1...5 {
      let tiger = DecTiger.model(horizon: h)
      let evaluation = tiger.evaluate(tiger.jointPolicy { _, _ in DecTiger.listen })
      XCTAssertEqual(evaluation.value, -2 * Double(h), accuracy: 1e-12)
      XCTAssertEqual(evaluation.expectedRewards.count, h)
      for reward in evaluation.expectedRewards { XCTAssertEqual(reward, -2, accuracy: 1e-12) }
    }
  }

  /// Both open left, then listen: E[R₀] = ½(−50) + ½(20) = −15, E[R₁] = −2.
  func testOpenThenListen() {
    let tiger = DecTiger.model(horizon: 2)
    let policy = tiger.jointPolicy { _, history in history.isEmpty ? DecTiger.openLeft : DecTiger.listen }
    XCTAssertEqual(tiger.evaluate(policy).expectedRewards, [-15, -2])
  }

  /// Listen, then each agent opens the door opposite to what it heard. In TL: both hear left (0.7225)
  /// → +20; both hear right (0.0225) → −50; they disagree (0.255) → −100. So
  /// E[R₁] = 0.7225·20 − 0.0225·50 − 0.255·100 = −12.175 and V = −14.175.
  func testListenThenOpenOpposite() {
    let tiger = DecTiger.model(horizon: 2)
    let evaluation = tiger.evaluate(Self.listenThenOpenOpposite(tiger))
    XCTAssertEqual(evaluation.expectedRewards[0], -2, accuracy: 1e-12)
    XCTAssertEqual(evaluation.expectedRewards[1], -12.175, accuracy: 1e-12)
    XCTAssertEqual(evaluation.value, -14.175, accuracy: 1e-12)
  }

  /// A matrix game's Dec-POMDP values each joint action at its payoff.
  func testMatrixGameEvaluation() {
    let game = MatrixGame.climbing
    let model = game.decPOMDP
    for a1 in 0..<3 {
      for a2 in 0..<3 {
        let policy = model.jointPolicy { i, _ in i == 0 ? a1 : a2 }
        XCTAssertEqual(model.evaluate(policy).value, game.payoff([a1, a2]))
      }
    }
  }

  static func listenThenOpenOpposite(_ tiger: DecPOMDP) -> JointPolicy {
    tiger.jointPolicy { _, history in
      guard let heard = history.last else { return DecTiger.listen }
      return heard == DecTiger.hearLeft ? DecTiger.openRight : DecTiger.openLeft
    }
  }
}
