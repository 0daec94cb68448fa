import MARL
import XCTest

final class DecPOMDPTests: XCTestCase {
  let tiger = DecTiger.model(horizon: 2)

  func testDecTigerSizes() {
    XCTAssertEqual(tiger.agentCount, 2)
    XCTAssertEqual(tiger.stateCount, 2)
    XCTAssertEqual(tiger.actionCounts, [3, 3])
    XCTAssertEqual(tiger.observationCounts, [2, 2])
    XCTAssertEqual(tiger.jointActionCount, 9)
    XCTAssertEqual(tiger.jointObservationCount, 4)
    XCTAssertEqual(tiger.initialBelief, [0.5, 0.5])
  }

  func testDecTigerTablesSumToOne() {
    for s in 0..<2 {
      for a in 0..<9 {
        XCTAssertEqual((0..<2).map { tiger.transitionProbability(s, a, $0) }.reduce(0, +), 1, accuracy: 1e-12)
      }
    }
    for a in 0..<9 {
      for sNext in 0..<2 {
        XCTAssertEqual((0..<4).map { tiger.observationProbability(a, sNext, $0) }.reduce(0, +), 1, accuracy: 1e-12)
      }
    }
  }

  func testDecTigerDynamics() {
    let listen = tiger.jointAction([DecTiger.listen, DecTiger.listen])
    let hLhL = tiger.jointObservation([DecTiger.hearLeft, DecTiger.hearLeft])
    let hLhR = tiger.jointObservation([DecTiger.hearLeft, DecTiger.hearRight])
    let hRhR = tiger.jointObservation([DecTiger.hearRight, DecTiger.hearRight])
    XCTAssertEqual(tiger.transitionProbability(DecTiger.tigerLeft, listen, DecTiger.tigerLeft), 1)
    XCTAssertEqual(tiger.observationProbability(listen, DecTiger.tigerLeft, hLhL), 0.7225, accuracy: 1e-12)
    XCTAssertEqual(tiger.observationProbability(listen, DecTiger.tigerLeft, hLhR), 0.1275, accuracy: 1e-12)
    XCTAssertEqual(tiger.observationProbability(listen, DecTiger.tigerLeft, hRhR), 0.0225, accuracy: 1e-12)
    XCTAssertEqual(tiger.observationProbability(listen, DecTiger.tigerRight, hRhR), 0.7225, accuracy: 1e-12)
    let open = tiger.jointAction([DecTiger.openLeft, DecTiger.listen])
    XCTAssertEqual(tiger.transitionProbability(DecTiger.tigerLeft, open, DecTiger.tigerRight), 0.5)
    XCTAssertEqual(tiger.observationProbability(open, DecTiger.tigerLeft, hLhR), 0.25)
  }

  func testDecTigerRewardTable() {
    func R(_ s: Int, _ a1: Int, _ a2: Int) -> Double { tiger.reward(s, tiger.jointAction([a1, a2])) }
    let (TL, TR) = (DecTiger.tigerLeft, DecTiger.tigerRight)
    let (Li, OL, OR) = (DecTiger.listen, DecTiger.openLeft, DecTiger.openRight)
    XCTAssertEqual([R(TL, Li, Li), R(TR, Li, Li)], [-2, -2])
    XCTAssertEqual([R(TL, OL, OL), R(TR, OL, OL)], [-50, 20])
    XCTAssertEqual([R(TL, OR, OR), R(TR, OR, OR)], [20, -50])
    XCTAssertEqual([R(TL, OL, OR), R(TR, OR, OL)], [-100, -100])
    XCTAssertEqual([R(TL, OL, Li), R(TR, OL, Li)], [-101, 9])
    XCTAssertEqual([R(TL, Li, OR), R(TR, Li, OR)], [9, -101])
  }

  func testJointIndexRoundTrip() {
    let model = DecPOMDP.random(states: 2, actionCounts: [2, 3, 4], observationCounts: [3, 1, 2], horizon: 1, seed: 1)
    XCTAssertEqual(model.jointAction([1, 2, 3]), 1 * 12 + 2 * 4 + 3)  // agent 1 most significant
    for a in 0..<model.jointActionCount {
      XCTAssertEqual(model.jointAction(model.localActions(ofJointAction: a)), a)
      for i in 0..<3 { XCTAssertEqual(model.localAction(of: i, inJointAction: a), model.localActions(ofJointAction: a)[i]) }
    }
    for o in 0..<model.jointObservationCount {
      XCTAssertEqual(model.jointObservation(model.localObservations(ofJointObservation: o)), o)
    }
    XCTAssertEqual(tiger.jointActionName(tiger.jointAction([0, 2])), "⟨Listen, OpenRight⟩")
  }

  func testWithHorizonKeepsTables() {
    let longer = tiger.withHorizon(5)
    XCTAssertEqual(longer.horizon, 5)
    for s in 0..<2 {
      for a in 0..<9 { XCTAssertEqual(longer.reward(s, a), tiger.reward(s, a)) }
    }
  }
}
