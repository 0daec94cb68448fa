import MARL
import XCTest

final class BeliefTests: XCTestCase {
  let tiger = DecTiger.model(horizon: 2)

  /// One agent hears left once from the uniform prior: b(TL) = 0.5·0.85 / (0.5·0.85 + 0.5·0.15) = 0.85.
  func testHearingLeftOnceGives085() {
    let listen = tiger.jointAction([DecTiger.listen, DecTiger.listen])
    // Marginalise the other agent's observation: Σ_{o₂} b′(·|o₁ = hL, o₂) Pr(o₁ = hL, o₂).
    var unnormalised = [0.0, 0.0]
    for o2 in 0..<2 {
      let update = tiger.beliefUpdate(
        [0.5, 0.5], jointAction: listen, jointObservation: tiger.jointObservation([DecTiger.hearLeft, o2]))
      for s in 0..<2 { unnormalised[s] += update.belief[s] * update.observationProbability }
    }
    XCTAssertEqual(unnormalised[0] + unnormalised[1], 0.5, accuracy: 1e-12)  // Pr(o₁ = hL) = ½
    XCTAssertEqual(unnormalised[0] / (unnormalised[0] + unnormalised[1]), 0.85, accuracy: 1e-12)
  }

  /// Both hear left: b(TL) = 0.7225 / (0.7225 + 0.0225) = 0.96980, Pr(o) = ½(0.7225 + 0.0225) = 0.3725.
  func testBothHearLeft() {
    let update = tiger.beliefUpdate([0.5, 0.5], jointAction: 0, jointObservation: tiger.jointObservation([0, 0]))
    XCTAssertEqual(update.observationProbability, 0.3725, accuracy: 1e-12)
    XCTAssertEqual(update.belief[0], 0.7225 / 0.745, accuracy: 1e-12)
    XCTAssertEqual(update.belief[1], 0.0225 / 0.745, accuracy: 1e-12)
  }

  /// Opening a door resets the tiger: b′ = (½, ½) whatever was heard.
  func testOpeningResets() {
    let open = tiger.jointAction([DecTiger.openLeft, DecTiger.openLeft])
    let update = tiger.beliefUpdate([0.9, 0.1], jointAction: open, jointObservation: 3)
    XCTAssertEqual(update.belief, [0.5, 0.5])
    XCTAssertEqual(update.observationProbability, 0.25, accuracy: 1e-12)
  }
}
