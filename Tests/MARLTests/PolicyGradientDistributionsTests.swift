import Autodiff
import Foundation
import MARL
import XCTest

/// The categorical and diagonal-Gaussian policy heads: closed forms against hand values, and their
/// gradients against central differences.
final class PolicyGradientDistributionsTests: XCTestCase {
  func testCategoricalByHand() {
    // Logits (0, ln 3): π = (1/4, 3/4).
    let π = CategoricalDistribution(logits: Tensor([[0, log(3)], [0, 0]]))
    XCTAssertEqual(π.probabilities.scalars[0], 0.25, accuracy: 1e-15)
    XCTAssertEqual(π.logProbability(of: [1, 0]).scalars[0], log(0.75), accuracy: 1e-15)
    // H(1/4, 3/4) = −(¼ ln ¼ + ¾ ln ¾); H(uniform over 2) = ln 2.
    XCTAssertEqual(π.entropy().scalars[0], -(0.25 * log(0.25) + 0.75 * log(0.75)), accuracy: 1e-15)
    XCTAssertEqual(π.entropy().scalars[1], log(2), accuracy: 1e-15)
    // KL((¼, ¾) ‖ (½, ½)) = ¼ ln ½ + ¾ ln (3/2).
    let uniform = CategoricalDistribution(logits: Tensor([[0, 0], [0, 0]]))
    XCTAssertEqual(π.klDivergence(to: uniform).scalars[0], 0.25 * log(0.5) + 0.75 * log(1.5), accuracy: 1e-15)
    XCTAssertEqual(π.klDivergence(to: uniform).scalars[1], 0, accuracy: 1e-15)
    XCTAssertEqual(π.mode, [1, 0])
  }

  func testCategoricalSamplingFrequencies() {
    var rng = RandomGenerator(seed: 4)
    let π = CategoricalDistribution(logits: Tensor(shape: [4000, 3], scalars: (0..<4000).flatMap { _ in [0, log(2), log(5)] }))
    let counts = π.sample(using: &rng).reduce(into: [0, 0, 0]) { $0[$1] += 1 }
    for (k, p) in [0.125, 0.25, 0.625].enumerated() {
      XCTAssertEqual(Double(counts[k]) / 4000, p, accuracy: 4 * (p * (1 - p) / 4000).squareRoot())
    }
  }

  func testCategoricalGradients() {
    var rng = RandomGenerator(seed: 5)
    let z = rng.normal([3, 4]), z2 = rng.normal([3, 4])
    let result = checkGradients(at: [z, z2]) { t in
      let p = CategoricalDistribution(logits: t[0]), q = CategoricalDistribution(logits: t[1])
      return p.logProbability(of: [0, 3, 1]).sum() + p.entropy().sum() + p.klDivergence(to: q).sum()
    }
    XCTAssertTrue(result.passed, "\(result)")
  }

  func testGaussianByHand() {
    // N(0, 1) at a = 1: log π = −½ − ½ ln 2π. Two dimensions add.
    let π = DiagonalGaussianDistribution(mean: Tensor([[0, 0]]), logStd: Tensor([0, 0]))
    XCTAssertEqual(π.logProbability(of: Tensor([[1, 0]])).scalar, -0.5 - log(2 * Double.pi), accuracy: 1e-14)
    XCTAssertEqual(π.entropy().scalar, 1 + log(2 * Double.pi), accuracy: 1e-14)
    // KL(N(0,1) ‖ N(1,1)) = ½; KL(N(0,1) ‖ N(0,4)) = ln 2 + 1/8 − ½.
    let shifted = DiagonalGaussianDistribution(mean: Tensor([[1, 0]]), logStd: Tensor([0, log(2)]))
    XCTAssertEqual(π.klDivergence(to: shifted).scalar, 0.5 + log(2) + 0.125 - 0.5, accuracy: 1e-14)
  }

  func testGaussianSamplesHaveTheRightMoments() {
    var rng = RandomGenerator(seed: 6)
    let π = DiagonalGaussianDistribution(
      mean: Tensor(shape: [5000, 1], scalars: Array(repeating: 2, count: 5000)), logStd: Tensor([log(0.5)]))
    let a = π.sample(using: &rng).scalars
    let mean = a.reduce(0, +) / 5000
    let variance = a.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / 4999
    XCTAssertEqual(mean, 2, accuracy: 4 * 0.5 / 5000.0.squareRoot())
    XCTAssertEqual(variance, 0.25, accuracy: 0.02)
  }

  func testGaussianGradients() {
    var rng = RandomGenerator(seed: 7)
    let μ = rng.normal([3, 2]), logσ = rng.normal([2], std: 0.3), μ2 = rng.normal([3, 2]), logσ2 = rng.normal([3, 2], std: 0.3)
    let a = rng.normal([3, 2])
    let result = checkGradients(at: [μ, logσ, μ2, logσ2]) { t in
      let p = DiagonalGaussianDistribution(mean: t[0], logStd: t[1]), q = DiagonalGaussianDistribution(mean: t[2], logStd: t[3])
      return p.logProbability(of: a).sum() + p.entropy().sum() + p.klDivergence(to: q).sum()
    }
    XCTAssertTrue(result.passed, "\(result)")
  }
}
