import Autodiff
import MARL
import XCTest

/// The mixers (IQL, VDN, QMIX, unconstrained), their gradients, IGM and the monotonicity probe.
final class ValueDecompositionMixerTests: XCTestCase {
  /// A QMIX mixer for 2 agents, S = 1, E = 2, one-layer hypernetworks, with hand-set weights:
  /// hyper_W₁(s) = s·(1, −2, 3, −4) + 0, hyper_b₁ = s·(0.5, −1), hyper_w₂ = s·(−1, 2), V = relu(s)·1 + 0.25.
  func handMixer(monotonic: Bool) -> QMixMixer {
    var rng = RandomGenerator(seed: 0)
    var mixer = QMixMixer(
      agentCount: 2, stateSize: 1,
      config: QMixConfig(embedSize: 2, hypernetLayers: 1, hypernetHiddenSize: 1, monotonic: monotonic), rng: &rng)
    mixer.parameters = [
      Tensor([[1, -2, 3, -4]]), Tensor([0, 0, 0, 0]),
      Tensor([[0.5, -1]]), Tensor([0, 0]),
      Tensor([[-1, 2]]), Tensor([0, 0]),
      Tensor([[1, 0]]), Tensor([0, 0]), Tensor([[1], [0]]), Tensor([0.25]),
    ]
    return mixer
  }

  func testQMixMatchesAHandComputation() {
    // s = 1, Q = (2, −1). W₁ = |[[1, −2], [3, −4]]| = [[1, 2], [3, 4]] (rows: agents).
    // h = (2·1 − 1·3 + 0.5, 2·2 − 1·4 − 1) = (−0.5, −1); ELU(h) = (e^−0.5 − 1, e^−1 − 1).
    // w₂ = |(−1, 2)| = (1, 2); V = relu(1)·1 + 0.25 = 1.25.
    let expected = (exp(-0.5) - 1) + 2 * (exp(-1) - 1) + 1.25
    let q = handMixer(monotonic: true)(Tensor([[2, -1]]), states: Tensor([[1]]))
    XCTAssertEqual(q.shape, [1, 1])
    XCTAssertEqual(q.scalar, expected, accuracy: 1e-14)
    // Unconstrained: W₁ = [[1, −2], [3, −4]], w₂ = (−1, 2): h = (2 − 3 + 0.5, −4 + 4 − 1) = (−0.5, −1).
    let free = handMixer(monotonic: false)(Tensor([[2, -1]]), states: Tensor([[1]]))
    XCTAssertEqual(free.scalar, -(exp(-0.5) - 1) + 2 * (exp(-1) - 1) + 1.25, accuracy: 1e-14)
  }

  func testSharedStateRowEqualsRepeatedStates() {
    var rng = RandomGenerator(seed: 1)
    let mixer = QMixMixer(agentCount: 3, stateSize: 4, config: .pymarl, rng: &rng)
    let q = rng.normal([7, 3], std: 3), s = rng.normal([1, 4])
    let shared = mixer(q, states: s).scalars
    let repeated = mixer(q, states: s.broadcast(to: [7, 4])).scalars
    XCTAssertLessThan(zip(shared, repeated).map { abs($0 - $1) }.max()!, 1e-12)
  }

  func testQMixGradientsAgreeWithCentralDifferences() {
    var rng = RandomGenerator(seed: 2)
    let mixer = QMixMixer(
      agentCount: 3, stateSize: 4, config: QMixConfig(embedSize: 5, hypernetLayers: 2, hypernetHiddenSize: 6, monotonic: true),
      rng: &rng)
    let q = rng.normal([5, 3], std: 2), s = rng.normal([5, 4])
    let result = checkGradients(at: [q]) { x in mixer(x[0], states: s).squared().sum() }
    XCTAssertTrue(result.passed, result.description)
    // And with respect to every hypernetwork parameter.
    let θ = mixer.parameters
    let onParameters = checkGradients(at: θ) { θ in mixer.with(parameters: θ)(q, states: s).sum() }
    XCTAssertTrue(onParameters.passed, onParameters.description)
  }

  func testAnalyticUtilityGradientMatchesAutodiff() {
    var rng = RandomGenerator(seed: 3)
    for config in [QMixConfig.pymarl, .icml2018, .unconstrained] {
      let mixer = QMixMixer(agentCount: 4, stateSize: 3, config: config, rng: &rng)
      let q = rng.normal([50, 4], std: 5), s = rng.normal([50, 3])
      let autodiff = utilityGradients(of: mixer, utilities: q, states: s).scalars
      let formula = mixer.utilityGradient(q, states: s).scalars
      XCTAssertLessThan(zip(autodiff, formula).map { abs($0 - $1) }.max()!, 1e-12)
    }
  }

  func testMonotonicityProbe() {
    var rng = RandomGenerator(seed: 4)
    for _ in 0..<5 {
      let qmix = QMixMixer(agentCount: 3, stateSize: 5, config: .pymarl, rng: &rng)
      let probe = probeMonotonicity(of: qmix, stateSize: 5, samples: 200, rng: &rng)
      XCTAssertGreaterThanOrEqual(probe.minimum, 0)
      XCTAssertEqual(probe.negativeCount, 0)
      XCTAssertEqual(probe.count, 600)
    }
    var negatives = 0
    for _ in 0..<5 {
      let free = QMixMixer(agentCount: 3, stateSize: 5, config: .unconstrained, rng: &rng)
      negatives += probeMonotonicity(of: free, stateSize: 5, samples: 200, rng: &rng).negativeCount
    }
    XCTAssertGreaterThan(negatives, 0, "random unconstrained mixers should have some negative ∂Q_tot/∂Q_a")
    let vdn = probeMonotonicity(of: VDNMixer(agentCount: 2), stateSize: 1, samples: 10, rng: &rng)
    XCTAssertEqual(vdn.minimum, 1)
    XCTAssertEqual(vdn.maximum, 1)
  }

  func testVDNAndIndependentMixers() {
    let q = Tensor([[1, 2, 3], [-1, 0.5, 4]])
    XCTAssertEqual(VDNMixer(agentCount: 3)(q, states: Tensor.zeros([2, 1])).scalars, [6, 3.5])
    XCTAssertEqual(IndependentMixer(agentCount: 3)(q, states: Tensor.zeros([2, 1])).scalars, q.scalars)
    XCTAssertEqual(IndependentMixer(agentCount: 3).valueCount, 3)
    XCTAssertTrue(VDNMixer(agentCount: 3).parameters.isEmpty)
  }

  func testIGMHoldsForMonotonicMixersAndFailsForAnUnconstrainedOne() {
    var rng = RandomGenerator(seed: 5)
    var violations = 0
    for _ in 0..<60 {
      let utilities = (0..<3).map { _ in (0..<3).map { _ in rng.normal(std: 3) } }
      let state = (0..<4).map { _ in rng.normal() }
      XCTAssertTrue(checkIGM(utilities: utilities, state: state, mixer: VDNMixer(agentCount: 3)).holds())
      let qmix = QMixMixer(agentCount: 3, stateSize: 4, config: .icml2018, rng: &rng)
      let check = checkIGM(utilities: utilities, state: state, mixer: qmix)
      XCTAssertTrue(check.holds(), "QMIX broke IGM: \(check)")
      XCTAssertEqual(check.table.count, 27)
      let free = QMixMixer(agentCount: 3, stateSize: 4, config: .unconstrained, rng: &rng)
      if !checkIGM(utilities: utilities, state: state, mixer: free).holds() { violations += 1 }
    }
    XCTAssertGreaterThan(violations, 0)
  }

  func testIGMCheckOnAHandMadeCounterexample() {
    // The hand mixer without |·| has a negative weight: raising Q₁ can lower Q_tot.
    // By hand, with h = Q₁(1, −2) + Q₂(3, −4) + (0.5, −1) and Q_tot = −ELU(h₁) + 2 ELU(h₂) + 1.25:
    // ū = (1, 0): h = (3.5, −7), Q_tot = −4.25 + 2e^{−7}; u* = (0, 1): h = (−2.5, 3), Q_tot = 8.25 − e^{−2.5}.
    let check = checkIGM(utilities: [[0, 3], [0, -1]], state: [1], mixer: handMixer(monotonic: false))
    XCTAssertEqual(check.decentralisedGreedy, [1, 0])
    XCTAssertEqual(check.jointGreedy, [0, 1])
    XCTAssertEqual(check.valueOfJoint, 8.25 - exp(-2.5), accuracy: 1e-14)
    XCTAssertEqual(check.valueOfDecentralised, -4.25 + 2 * exp(-7), accuracy: 1e-14)
    XCTAssertEqual(check.valueOfJoint, check.table.max()!)
    XCTAssertFalse(check.holds())
  }
}
