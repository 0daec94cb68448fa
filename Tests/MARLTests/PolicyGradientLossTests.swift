import Autodiff
import Foundation
import MARL
import XCTest

/// The PPO-clip surrogate, the value loss and A2C.
final class PolicyGradientLossTests: XCTestCase {
  func testSurrogateByHand() {
    // Ratios (1.5, 0.5, 1.1) with Â = (1, −1, 2), ε = 0.2:
    // min(1.5, 1.2) = 1.2; min(−0.5, −0.8) = −0.8; min(2.2, 2.2) = 2.2; mean = 2.6/3.
    let old = Tensor([0, 0, 0])
    let new = Tensor([log(1.5), log(0.5), log(1.1)])
    let L = ppoClipSurrogate(logProbabilities: new, oldLogProbabilities: old, advantages: Tensor([1, -1, 2]), epsilon: 0.2)
    XCTAssertEqual(L.scalar, 2.6 / 3, accuracy: 1e-14)
  }

  func testGradientVanishesWhereTheClipBinds() {
    var rng = RandomGenerator(seed: 8)
    let N = 200, ε = 0.2
    let logRatio = (0..<N).map { _ in rng.uniform(-0.6, 0.6) }
    let Â = (0..<N).map { _ in rng.normal() }
    let old = Tensor((0..<N).map { _ in rng.normal() })
    let new = Tensor(zip(old.scalars, logRatio).map { $0 + $1 }, requiresGradient: true)
    let g = gradients(
      of: ppoClipSurrogate(logProbabilities: new, oldLogProbabilities: old, advantages: Tensor(Â), epsilon: ε),
      withRespectTo: [new])[0]
    for n in 0..<N {
      let r = exp(logRatio[n])
      let binds = (Â[n] > 0 && r > 1 + ε) || (Â[n] < 0 && r < 1 - ε)
      XCTAssertEqual(g.scalars[n], binds ? 0 : Â[n] * r / Double(N), accuracy: 1e-15)
    }
  }

  func testClippedValueLoss() {
    // V_old = 0, R = 1, ε_V = 0.2. V = 0.5: unclipped (0.5)² = 0.25, clipped (0.2 − 1)² = 0.64 → ½·0.64.
    let values = Tensor([0.5], requiresGradient: true)
    let loss = clippedValueLoss(values: values, oldValues: Tensor([0]), returns: Tensor([1]), clip: 0.2)
    XCTAssertEqual(loss.scalar, 0.32, accuracy: 1e-14)
    // The clipped term wins and does not depend on V: zero gradient.
    XCTAssertEqual(gradients(of: loss, withRespectTo: [values])[0].scalar, 0)
    let plain = clippedValueLoss(values: values, oldValues: Tensor([0]), returns: Tensor([1]), clip: nil)
    XCTAssertEqual(plain.scalar, 0.125, accuracy: 1e-14)
  }

  func testA2CEqualsPPOAtTheOldPolicy() {
    var rng = RandomGenerator(seed: 9)
    let logits = rng.normal([6, 3])
    let actions = (0..<6).map { _ in rng.integer(below: 3) }
    let Â = rng.normal([6])
    let old = CategoricalDistribution(logits: logits).logProbability(of: actions)
    let z = Tensor(shape: logits.shape, scalars: logits.scalars, requiresGradient: true)
    let π = CategoricalDistribution(logits: z)
    let zeros = Tensor.zeros([6])
    let ppo = ppoClipLoss(
      logProbabilities: π.logProbability(of: actions), oldLogProbabilities: old, advantages: Â, values: zeros, oldValues: zeros,
      returns: zeros, entropy: π.entropy(), config: PPOClipConfig(entropyCoefficient: 0))
    let a2c = a2cLoss(
      logProbabilities: π.logProbability(of: actions), advantages: Â, values: zeros, returns: zeros, entropy: π.entropy(),
      config: A2CConfig(entropyCoefficient: 0))
    let gPPO = gradients(of: ppo.total, withRespectTo: [z])[0], gA2C = gradients(of: a2c.total, withRespectTo: [z])[0]
    XCTAssertEqual(zip(gPPO.scalars, gA2C.scalars).map { abs($0 - $1) }.max()!, 0, accuracy: 1e-15)
    XCTAssertEqual(ppo.clipFraction, 0)
    XCTAssertEqual(ppo.approximateKL, 0, accuracy: 1e-15)
  }
}
