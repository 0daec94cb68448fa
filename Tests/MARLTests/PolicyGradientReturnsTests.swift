import Autodiff
import MARL
import XCTest

/// Returns, TD errors and GAE on hand-computed segments, and the identities between them.
final class PolicyGradientReturnsTests: XCTestCase {
  func testReturnsOfOneTerminatedEpisode() {
    // γ = 0.5: G₂ = 3, G₁ = 2 + 0.5·3 = 3.5, G₀ = 1 + 0.5·3.5 = 2.75. nextValues must be ignored.
    let G = discountedReturns(
      rewards: [1, 2, 3], ends: [.continues, .continues, .terminated], nextValues: [9, 9, 9], gamma: 0.5)
    XCTAssertEqual(G, [2.75, 3.5, 3])
  }

  func testReturnsWithTruncationAndBootstrap() {
    // γ = 0.9. Rows 0–1 are one episode cut after row 1 (bootstrap V = 10); rows 2–3 continue past the
    // segment (bootstrap V = 4). G₃ = 1 + 3.6 = 4.6, G₂ = 1 + 0.9·4.6 = 5.14, G₁ = 1 + 9 = 10, G₀ = 1 + 9 = 10.
    let G = discountedReturns(
      rewards: [1, 1, 1, 1], ends: [.continues, .truncated, .continues, .continues], nextValues: [-1, 10, -1, 4], gamma: 0.9)
    XCTAssertEqual(G[0], 10, accuracy: 1e-12)
    XCTAssertEqual(G[1], 10, accuracy: 1e-12)
    XCTAssertEqual(G[2], 5.14, accuracy: 1e-12)
    XCTAssertEqual(G[3], 4.6, accuracy: 1e-12)
  }

  func testNextValues() {
    let next = nextValues(
      values: [1, 2, 3, 4], ends: [.continues, .terminated, .truncated, .continues], lastValue: 7, finalValues: [2: 5])
    XCTAssertEqual(next, [2, 0, 5, 7])
  }

  func testTemporalDifferenceErrorsByHand() {
    // δ = r + γ m V′ − V with γ = 0.5: (1 + 0.5·2 − 1, 2 + 0 − 2, 0 + 0.5·6 − 1) = (1, 0, 2).
    let δ = temporalDifferenceErrors(
      rewards: [1, 2, 0], values: [1, 2, 1], nextValues: [2, 8, 6], ends: [.continues, .terminated, .truncated], gamma: 0.5)
    XCTAssertEqual(δ, [1, 0, 2])
  }

  func testGAEIdentitiesOnRandomSegments() {
    var rng = RandomGenerator(seed: 31)
    for _ in 0..<20 {
      let T = 12
      let rewards = (0..<T).map { _ in rng.normal() }
      let values = (0..<T).map { _ in rng.normal() }
      let ends: [StepEnd] = (0..<T).map { _ in
        [StepEnd.continues, .continues, .continues, .terminated, .truncated][rng.integer(below: 5)]
      }
      var finals: [Int: Double] = [:]
      for t in 0..<T where ends[t] == .truncated { finals[t] = rng.normal() }
      let next = nextValues(values: values, ends: ends, lastValue: rng.normal(), finalValues: finals)
      let γ = 0.97, λ = rng.uniform()
      let δ = temporalDifferenceErrors(rewards: rewards, values: values, nextValues: next, ends: ends, gamma: γ)
      let gae0 = generalizedAdvantages(rewards: rewards, values: values, nextValues: next, ends: ends, gamma: γ, lambda: 0)
      XCTAssertEqual(maxDifference(gae0, δ), 0, accuracy: 1e-14, "GAE(0) is the TD error")
      let gae1 = generalizedAdvantages(rewards: rewards, values: values, nextValues: next, ends: ends, gamma: γ, lambda: 1)
      let G = discountedReturns(rewards: rewards, ends: ends, nextValues: next, gamma: γ)
      XCTAssertEqual(maxDifference(gae1, zip(G, values).map { $0 - $1 }), 0, accuracy: 1e-12, "GAE(1) is G − V")
      let recursive = generalizedAdvantages(rewards: rewards, values: values, nextValues: next, ends: ends, gamma: γ, lambda: λ)
      let direct = generalizedAdvantagesByDirectSum(
        rewards: rewards, values: values, nextValues: next, ends: ends, gamma: γ, lambda: λ)
      XCTAssertEqual(maxDifference(recursive, direct), 0, accuracy: 1e-12, "recursive and direct-sum forms agree")
      let targets = lambdaReturns(rewards: rewards, values: values, nextValues: next, ends: ends, gamma: γ, lambda: λ)
      XCTAssertEqual(maxDifference(targets, zip(recursive, values).map { $0 + $1 }), 0, accuracy: 1e-14)
    }
  }

  func testRewardsAfterAnEpisodeEndDoNotLeak() {
    let values = [0.5, -0.2, 0.3, 0.1]
    let ends: [StepEnd] = [.continues, .terminated, .continues, .continues]
    let next = nextValues(values: values, ends: ends, lastValue: 0.4)
    let before = generalizedAdvantages(
      rewards: [1, 2, 3, 4], values: values, nextValues: next, ends: ends, gamma: 0.9, lambda: 0.8)
    let after = generalizedAdvantages(
      rewards: [1, 2, -30, 40], values: values, nextValues: next, ends: ends, gamma: 0.9, lambda: 0.8)
    XCTAssertEqual(Array(before[0..<2]), Array(after[0..<2]))
    XCTAssertNotEqual(before[2], after[2])
  }

  private func maxDifference(_ a: [Double], _ b: [Double]) -> Double {
    zip(a, b).map { abs($0 - $1) }.max() ?? 0
  }
}
