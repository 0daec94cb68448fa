import Autodiff
import Foundation
import MARL
import XCTest

/// The counterfactual baseline and advantage, difference rewards, and the exact and sampled moments
/// of one agent's gradient estimator.
final class COMABaselineTests: XCTestCase {
  func testBaselineAndAdvantageByHand() {
    // Q = (1, 2, 4), π = (½, ¼, ¼): b = 0.5 + 0.5 + 1 = 2; A(2) = 2, A(0) = −1.
    XCTAssertEqual(counterfactualBaseline(qValues: [1, 2, 4], policy: [0.5, 0.25, 0.25]), 2, accuracy: 1e-15)
    XCTAssertEqual(counterfactualAdvantage(qValues: [1, 2, 4], policy: [0.5, 0.25, 0.25], action: 2), 2, accuracy: 1e-15)
    XCTAssertEqual(counterfactualAdvantage(qValues: [1, 2, 4], policy: [0.5, 0.25, 0.25], action: 0), -1, accuracy: 1e-15)
  }

  func testBatchedAdvantagesAreDetachedAndRowWise() {
    var rng = RandomGenerator(seed: 3)
    let q = Tensor(shape: [6, 3], scalars: rng.uniform([6, 3], -2, 2).scalars, requiresGradient: true)
    let π = Tensor(shape: [6, 3], scalars: rng.normal([6, 3]).scalars, requiresGradient: true).softmax(alongAxis: 1)
    let u = [0, 1, 2, 2, 1, 0]
    let A = counterfactualAdvantages(qValues: q, policies: π, actions: u)
    XCTAssertFalse(A.requiresGradient)
    XCTAssertEqual(A.shape, [6])
    let (Q, P) = (q.rows, π.rows)
    for n in 0..<6 {
      XCTAssertEqual(A.scalars[n], counterfactualAdvantage(qValues: Q[n], policy: P[n], action: u[n]), accuracy: 1e-12)
    }
  }

  func testWeightedSumGameLayout() {
    let game = MatrixGame.weightedSum(weights: [1, 10, 100])
    for u in game.allJointActions {
      XCTAssertEqual(game.payoff(u), Double(u[0]) + 10 * Double(u[1]) + 100 * Double(u[2]))
    }
  }

  func testDifferenceRewardsAndAristocratUtility() {
    let game = MatrixGame.weightedSum(weights: [2, -3])
    // D¹ with default 0 at u = (1, 1): R(1, 1) − R(0, 1) = −1 − (−3) = 2.
    XCTAssertEqual(game.differenceReward(of: 0, jointAction: [1, 1], defaultAction: 0), 2)
    // Aristocrat utility of agent 2 at u = (0, 1), π² = (0.25, 0.75): D(c = 0) = −3, D(c = 1) = 0 → −0.75.
    XCTAssertEqual(game.aristocratUtility(of: 1, jointAction: [0, 1], policy: [0.25, 0.75]), -0.75, accuracy: 1e-15)
    XCTAssertEqual(game.counterfactualAdvantage(of: 1, jointAction: [0, 1], policy: [0.25, 0.75]), -0.75, accuracy: 1e-15)
  }

  /// Our construction (`MatrixGame.weightedSum`): 27.625 / 12.5 / 0 at the uniform policy and
  /// 24.15 / 10.57 / 0.067 at π¹ = (0.7, 0.3); all means (−0.25, 0.25) at the uniform policy.
  func testConstructedVarianceNumbers() {
    let game = MatrixGame.weightedSum(weights: [1, 10])
    let uniform = [[0.5, 0.5], [0.5, 0.5]], skewed = [[0.7, 0.3], [0.5, 0.5]]
    let atUniform = AgentGradientWeight.allCases.map {
      game.exactAgentGradientMoments(agent: 0, policies: uniform, weight: game.gradientWeight($0, agent: 0, policies: uniform))
    }
    let atSkewed = AgentGradientWeight.allCases.map {
      game.exactAgentGradientMoments(agent: 0, policies: skewed, weight: game.gradientWeight($0, agent: 0, policies: skewed))
    }
    for m in atUniform {
      XCTAssertEqual(m.mean[0], -0.25, accuracy: 1e-14)
      XCTAssertEqual(m.mean[1], 0.25, accuracy: 1e-14)
    }
    XCTAssertEqual(atUniform.map(\.totalVariance)[0], 27.625, accuracy: 1e-12)
    XCTAssertEqual(atUniform.map(\.totalVariance)[1], 12.5, accuracy: 1e-12)
    XCTAssertEqual(atUniform.map(\.totalVariance)[2], 0, accuracy: 1e-12)
    XCTAssertEqual(atSkewed.map(\.totalVariance)[0], 24.15, accuracy: 5e-3)
    XCTAssertEqual(atSkewed.map(\.totalVariance)[1], 10.57, accuracy: 5e-3)
    XCTAssertEqual(atSkewed.map(\.totalVariance)[2], 0.067, accuracy: 5e-4)
  }

  func testEveryWeightGivesTheExactGradient() {
    var rng = RandomGenerator(seed: 5)
    let game = MatrixGame(name: "r", actionCounts: [3, 2, 3], payoff: (0..<18).map { _ in rng.uniform(-4, 4) })
    let policies = game.actionCounts.map { c in softmaxProbabilities((0..<c).map { _ in rng.normal() }) }
    let exact = game.exactPolicyGradient(logits: policies.map { $0.map { Foundation.log($0) } })
    for a in 0..<3 {
      for kind in AgentGradientWeight.allCases {
        let mean = game.exactAgentGradientMoments(
          agent: a, policies: policies, weight: game.gradientWeight(kind, agent: a, policies: policies)
        ).mean
        for k in mean.indices { XCTAssertEqual(mean[k], exact[a][k], accuracy: 1e-12, "agent \(a), weight \(kind)") }
      }
    }
  }

  /// The standard error of the sampled total variance, checked by repeating the sampling: the spread
  /// of 400 independent estimates from m = 40 samples against the formula (within 15%).
  func testStandardErrorOfSampledVariance() {
    var rng = RandomGenerator(seed: 6)
    let game = MatrixGame.weightedSum(weights: [1, 10])
    let policies = [[0.7, 0.3], [0.4, 0.6]]
    let weight = game.gradientWeight(.stateAdvantage, agent: 0, policies: policies)
    let exact = game.exactAgentGradientMoments(agent: 0, policies: policies, weight: weight)
    let m = 40
    let estimates = (0..<400).map { _ in
      game.sampledAgentGradient(agent: 0, policies: policies, samples: m, weight: weight, using: &rng).totalVariance
    }
    let mean = estimates.reduce(0, +) / Double(estimates.count)
    let spread = (estimates.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(estimates.count - 1)).squareRoot()
    XCTAssertEqual(mean, exact.totalVariance, accuracy: 4 * spread / Double(estimates.count).squareRoot())
    XCTAssertEqual(spread / exact.standardErrorOfSampledVariance(samples: m), 1, accuracy: 0.15)
  }
}
