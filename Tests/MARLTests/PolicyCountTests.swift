import MARL
import XCTest

final class PolicyCountTests: XCTestCase {
  func testDecTigerLocalCountsMatchEnumeration() {
    for (h, expected) in [(1, 3), (2, 27), (3, 2187)] {
      let tiger = DecTiger.model(horizon: h)
      XCTAssertEqual(tiger.decisionNodeCount(of: 0), (1 << h) - 1)
      XCTAssertEqual(tiger.localPolicyCount(of: 0).exact, expected)
      var enumerated = 0
      var distinct = Set<PolicyTree>()
      for policy in tiger.localPolicies(of: 1) {
        enumerated += 1
        distinct.insert(policy)
      }
      XCTAssertEqual(enumerated, expected)
      XCTAssertEqual(distinct.count, expected)
      XCTAssertEqual(tiger.jointPolicyCount.exact, expected * expected)
    }
  }

  func testUnequalAgentsAndOneObservation() {
    let model = DecPOMDP.random(states: 2, actionCounts: [2, 3], observationCounts: [3, 1], horizon: 2, seed: 3)
    // Agent 1: 2^(1+3) = 16; agent 2: 3^2 = 9 (one observation: a chain of h nodes).
    XCTAssertEqual(model.localPolicyCount(of: 0).exact, 16)
    XCTAssertEqual(model.localPolicyCount(of: 1).exact, 9)
    XCTAssertEqual(Array(model.localPolicies(of: 0)).count, 16)
    XCTAssertEqual(Array(model.localPolicies(of: 1)).count, 9)
    XCTAssertEqual(model.jointPolicyCount.exact, 144)
  }

  func testDoublyExponentialGrowth() {
    // h = 4: 3^15 per agent, 3^30 ≈ 2.06·10¹⁴ joint.
    let h4 = PolicyCount.jointPolicies(actionCounts: [3, 3], observationCounts: [2, 2], horizon: 4)
    XCTAssertEqual(h4.exact, 205_891_132_094_649)
    XCTAssertEqual(h4.log10, 30 * log10(3.0), accuracy: 1e-9)
    // h = 6: 3^126 overflows Int but not the logarithm.
    let h6 = PolicyCount.jointPolicies(actionCounts: [3, 3], observationCounts: [2, 2], horizon: 6)
    XCTAssertNil(h6.exact)
    XCTAssertEqual(h6.log10, 126 * log10(3.0), accuracy: 1e-9)
    XCTAssertEqual(h6.double, pow(3.0, 126), accuracy: pow(3.0, 126) * 1e-9)
    // h = 12: 10^(2·4095·0.477) is beyond Double; the log still works.
    let h12 = PolicyCount.jointPolicies(actionCounts: [3, 3], observationCounts: [2, 2], horizon: 12)
    XCTAssertEqual(h12.log10, 2 * 4095 * log10(3.0), accuracy: 1e-6)
    XCTAssertEqual(h12.double, .infinity)
  }

  func testHistoryNumbering() {
    let k = 3
    for node in 0..<ObservationHistory.nodeCount(observationCount: k, horizon: 4) {
      let history = ObservationHistory.history(of: node, observationCount: k)
      XCTAssertEqual(ObservationHistory.node(of: history, observationCount: k), node)
      XCTAssertEqual(ObservationHistory.length(of: node, observationCount: k), history.count)
    }
    XCTAssertEqual(ObservationHistory.node(of: [1, 0], observationCount: 2), 5)  // 0 → 2 → 5
    XCTAssertEqual(ObservationHistory.nodeCount(observationCount: 1, horizon: 4), 4)
  }
}
