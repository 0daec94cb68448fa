import Autodiff
import XCTest

/// Optimizers against steps computed by hand, and gradient clipping.
///
/// Every hand computation uses the same two-parameter problem:
///   L(θ) = θ₁² + θ₂,   ∇L = (2θ₁, 1),   θ⁽⁰⁾ = (1, −2).
final class OptimizerTests: XCTestCase {
  private let θStart = [Tensor(1.0, requiresGradient: true), Tensor(-2.0, requiresGradient: true)]

  private func loss(_ θ: [Tensor]) -> Tensor { θ[0] * θ[0] + θ[1] }

  /// Runs `steps` updates of `optimizer` from θ⁽⁰⁾ and returns the (θ₁, θ₂) after each.
  private func trajectory<O: Optimizer>(_ optimizer: O, steps: Int) -> [[Double]] {
    var optimizer = optimizer
    var θ = θStart
    var path: [[Double]] = []
    for _ in 0..<steps {
      let (_, grads) = valueWithGradients(at: θ, loss)
      optimizer.update(&θ, along: grads)
      XCTAssertTrue(θ.allSatisfy(\.requiresGradient), "updated parameters are trainable leaves")
      path.append(θ.map(\.scalar))
    }
    return path
  }

  private func assertPath(_ path: [[Double]], _ expected: [[Double]], accuracy: Double, line: UInt = #line) {
    for (step, (got, want)) in zip(path, expected).enumerated() {
      for k in 0..<2 {
        XCTAssertEqual(got[k], want[k], accuracy: accuracy, "step \(step + 1), θ\(k + 1)", line: line)
      }
    }
  }

  // MARK: - SGD

  func testSGDStepsByHand() {
    // α = 0.1.  θ ← θ − α g.
    // Step 1: g = (2, 1)    → θ = (1 − 0.2,   −2 − 0.1)   = (0.8,  −2.1)
    // Step 2: g = (1.6, 1)  → θ = (0.8 − 0.16, −2.1 − 0.1) = (0.64, −2.2)
    // Step 3: g = (1.28, 1) → θ = (0.64 − 0.128, −2.3)     = (0.512, −2.3)
    let path = trajectory(SGD(learningRate: 0.1), steps: 3)
    assertPath(path, [[0.8, -2.1], [0.64, -2.2], [0.512, -2.3]], accuracy: 1e-15)
  }

  func testSGDWithMomentumStepsByHand() {
    // α = 0.1, μ = 0.9.  v ← μ v + g,  θ ← θ − α v,  v⁽⁰⁾ = 0.
    // Step 1: g = (2, 1),    v = (2, 1)                              θ = (0.8, −2.1)
    // Step 2: g = (1.6, 1),  v = 0.9·(2, 1) + (1.6, 1) = (3.4, 1.9)    θ = (0.8 − 0.34, −2.1 − 0.19) = (0.46, −2.29)
    // Step 3: g = (0.92, 1), v = 0.9·(3.4, 1.9) + (0.92, 1) = (3.98, 2.71)
    //                                                           θ = (0.46 − 0.398, −2.29 − 0.271) = (0.062, −2.561)
    let path = trajectory(SGD(learningRate: 0.1, momentum: 0.9), steps: 3)
    assertPath(path, [[0.8, -2.1], [0.46, -2.29], [0.062, -2.561]], accuracy: 1e-14)
  }

  // MARK: - Adam

  func testAdamStepsByHand() {
    // α = 0.1, β₁ = 0.9, β₂ = 0.999, ε = 10⁻⁸.
    //
    // Step 1 (t = 1): g = (2, 1).
    //   m = 0.1·(2, 1) = (0.2, 0.1);            v = 0.001·(4, 1) = (0.004, 0.001)
    //   m̂ = m / 0.1 = (2, 1);                   v̂ = v / 0.001 = (4, 1)
    //   θ₁ = 1 − 0.1·2/(2 + 10⁻⁸) = 0.9000000005;   θ₂ = −2 − 0.1·1/(1 + 10⁻⁸) = −2.099999999
    //
    // Step 2 (t = 2): g = (2·0.9000000005, 1) = (1.800000001, 1).
    //   m₁ = 0.9·0.2 + 0.1·1.800000001 = 0.3600000001;   v₁ = 0.999·0.004 + 0.001·1.800000001² = 0.0072360000036
    //   m̂₁ = 0.3600000001 / (1 − 0.9²) = 0.3600000001 / 0.19 = 1.8947368426
    //   v̂₁ = 0.0072360000036 / (1 − 0.999²) = 0.0072360000036 / 0.001999 = 3.6198099068
    //   θ₁ = 0.9000000005 − 0.1·1.8947368426/(√3.6198099068 + 10⁻⁸) = 0.9000000005 − 0.0995877718 = 0.8004122287
    //   (θ₂: m̂₂ = v̂₂ = 1 at every step, so θ₂ moves by 0.1/(1 + 10⁻⁸) again: −2.199999998)
    //
    // Step 3 (t = 3): g₁ = 2·0.8004122287 = 1.6008244574.
    //   m₁ = 0.9·0.3600000001 + 0.1·1.6008244574 = 0.4840824458
    //   v₁ = 0.999·0.0072360000036 + 0.001·1.6008244574² = 0.0072287640036 + 0.0025626389 = 0.0097914029
    //   m̂₁ = 0.4840824458 / (1 − 0.9³) = 0.4840824458 / 0.271 = 1.7862820879
    //   v̂₁ = 0.0097914029 / (1 − 0.999³) = 0.0097914029 / 0.002997001 = 3.2670669603
    //   θ₁ = 0.8004122287 − 0.1·1.7862820879/1.8075029627 = 0.8004122287 − 0.0988259557 = 0.7015862730
    //   θ₂ = −2.299999997
    let path = trajectory(Adam(learningRate: 0.1), steps: 3)
    assertPath(
      path, [[0.9000000005, -2.099999999], [0.8004122287, -2.199999998], [0.7015862730, -2.299999997]], accuracy: 1e-9)
  }

  func testAdamFirstStepIsAboutTheLearningRateWhateverTheGradientScale() {
    // m̂ = g and v̂ = g² at t = 1, so the step is α g/(|g| + ε) ≈ α sign(g).
    var adam = Adam(learningRate: 0.01)
    var θ = [Tensor([0, 0, 0], requiresGradient: true)]
    adam.update(&θ, along: [Tensor([1000, -0.001, 5])])
    XCTAssertEqual(θ[0].scalars[0], -0.01, accuracy: 1e-12)  // 0.01·1000/(1000 + 10⁻⁸)
    XCTAssertEqual(θ[0].scalars[1], 0.01, accuracy: 1e-6)  // 0.01·10⁻³/(10⁻³ + 10⁻⁸) = 0.0099990001
    XCTAssertEqual(θ[0].scalars[2], -0.01, accuracy: 1e-10)  // 0.01·5/(5 + 10⁻⁸) = 0.00999999998
    XCTAssertEqual(adam.step, 1)
  }

  // MARK: - RMSprop

  func testRMSpropStepsByHand() {
    // α = 0.01, a = 0.99, ε = 10⁻⁵.  v ← a v + (1 − a) g²,  θ ← θ − α g/(√v + ε).
    // Step 1: g = (2, 1), v = 0.01·(4, 1) = (0.04, 0.01), √v = (0.2, 0.1)
    //   θ₁ = 1 − 0.01·2/0.20001 = 1 − 0.0999950002 = 0.9000049998
    //   θ₂ = −2 − 0.01·1/0.10001 = −2 − 0.0999900010 = −2.0999900010
    // Step 2: g = (1.8000099995, 1)
    //   v₁ = 0.99·0.04 + 0.01·1.8000099995² = 0.0396 + 0.0324003600 = 0.0720003600, √v₁ + ε = 0.2683388281
    //   θ₁ = 0.9000049998 − 0.01·1.8000099995/0.2683388281 = 0.9000049998 − 0.0670797444 = 0.8329252554
    //   v₂ = 0.99·0.01 + 0.01·1 = 0.0199, √v₂ + ε = 0.1410773598
    //   θ₂ = −2.0999900010 − 0.01/0.1410773598 = −2.0999900010 − 0.0708830957 = −2.1708730967
    let path = trajectory(RMSprop(learningRate: 0.01), steps: 2)
    assertPath(path, [[0.9000049998, -2.0999900010], [0.8329252554, -2.1708730967]], accuracy: 1e-9)
  }

  // MARK: - Using a module

  func testUpdatingAModuleTakesAnAdamStepOnEachParameter() {
    var rng = RandomGenerator(seed: 1)
    var model = Linear(inputSize: 2, outputSize: 1, rng: &rng)
    let θ = model.parameters
    let x = rng.normal([3, 2])
    let (_, grads) = model.valueWithGradients { m in m(x).squared().sum() }
    var optimizer = Adam(learningRate: 0.1)
    optimizer.update(&model, along: grads)
    // Adam's first step: m̂ = g and v̂ = g², so θ′ = θ − α g/(|g| + ε) entry by entry, with α = 0.1, ε = 10⁻⁸.
    for k in θ.indices {
      let expected = zip(θ[k].scalars, grads[k].scalars).map { $0 - 0.1 * $1 / (abs($1) + 1e-8) }
      assertTensor(
        model.parameters[k], equals: expected, shape: θ[k].shape, tolerance: 1e-12, "parameter \(k) after one Adam step")
    }
    XCTAssertTrue(model.parameters.allSatisfy(\.requiresGradient))
  }

  // MARK: - Gradient clipping

  func testClippingScalesDownGradientsAboveTheThreshold() {
    // ‖g‖ = √(3² + 4² + 0² + 12²) = √169 = 13; c = 6.5 → every entry times 6.5/13 = 0.5.
    let g = [Tensor([3, 4]), Tensor([[0], [12]])]
    let (clipped, norm) = clipByGlobalNorm(g, maxNorm: 6.5)
    XCTAssertEqual(norm, 13)
    XCTAssertEqual(clipped[0].scalars, [1.5, 2])
    XCTAssertEqual(clipped[1].scalars, [0, 6])
    XCTAssertEqual(clipped[1].shape, [2, 1])
    XCTAssertEqual(globalNorm(clipped), 6.5, accuracy: 1e-15)
  }

  func testClippingLeavesGradientsBelowTheThresholdUnchanged() {
    let g = [Tensor([3, 4]), Tensor([[0], [12]])]
    let (clipped, norm) = clipByGlobalNorm(g, maxNorm: 20)
    XCTAssertEqual(norm, 13)
    XCTAssertEqual(clipped.map(\.scalars), g.map(\.scalars))
    XCTAssertEqual(clipByGlobalNorm([Tensor([0, 0])], maxNorm: 1).clipped[0].scalars, [0, 0])  // ‖g‖ = 0
  }
}
