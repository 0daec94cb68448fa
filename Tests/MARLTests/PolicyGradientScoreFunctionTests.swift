import Autodiff
import Foundation
import MARL
import XCTest

/// The exact policy gradient of a matrix game and the score-function estimator.
final class PolicyGradientScoreFunctionTests: XCTestCase {
  let logits: [[Double]] = [[0.3, -0.2, 0.5], [-0.4, 0.1, 0.2]]

  func testExactGradientMatchesAutodiff() {
    let game = MatrixGame.climbing
    let exact = game.exactPolicyGradient(logits: logits)
    let θ1 = Tensor(logits[0], requiresGradient: true), θ2 = Tensor(logits[1], requiresGradient: true)
    let p1 = θ1.softmax(alongAxis: 0).reshaped([3, 1]), p2 = θ2.softmax(alongAxis: 0).reshaped([1, 3])
    let J = (matmul(p1, p2) * Tensor(shape: [3, 3], scalars: game.payoff)).sum()
    XCTAssertEqual(J.scalar, game.expectedPayoff(policies: logits.map(softmaxProbabilities)), accuracy: 1e-13)
    let g = gradients(of: J, withRespectTo: [θ1, θ2])
    XCTAssertEqual(zip(exact.flatMap { $0 }, g.flatMap(\.scalars)).map { abs($0 - $1) }.max()!, 0, accuracy: 1e-13)
  }

  func testEstimatorIsUnbiasedAndTheBaselineHelps() {
    let game = MatrixGame.climbing
    let exact = game.exactPolicyGradient(logits: logits).flatMap { $0 }
    var rng = RandomGenerator(seed: 10)
    let J = game.expectedPayoff(policies: logits.map(softmaxProbabilities))
    for b in [0, J] {
      let estimate = game.scoreFunctionEstimate(logits: logits, samples: 20_000, baseline: b, using: &rng)
      for d in exact.indices { XCTAssertLessThan(abs(estimate.mean[d] - exact[d]), 4.5 * estimate.standardError[d]) }
      let moments = game.exactScoreFunctionMoments(logits: logits, baseline: b)
      XCTAssertEqual(zip(moments.mean, exact).map { abs($0 - $1) }.max()!, 0, accuracy: 1e-13)
      XCTAssertEqual(estimate.totalVariance, moments.totalVariance, accuracy: 0.05 * moments.totalVariance)
    }
    let plain = game.exactScoreFunctionMoments(logits: logits, baseline: 0).totalVariance
    let withJ = game.exactScoreFunctionMoments(logits: logits, baseline: J).totalVariance
    let best = game.exactScoreFunctionMoments(logits: logits, baseline: game.optimalConstantBaseline(logits: logits))
      .totalVariance
    XCTAssertLessThan(withJ, plain)
    XCTAssertLessThanOrEqual(best, withJ)
    for b in stride(from: -20.0, through: 20, by: 0.5) {
      XCTAssertGreaterThanOrEqual(game.exactScoreFunctionMoments(logits: logits, baseline: b).totalVariance, best - 1e-9)
    }
  }
}
