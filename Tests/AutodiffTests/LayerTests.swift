import Autodiff
import Foundation
import XCTest

/// Layers: output shapes, hand computations, and every layer's gradients against central differences.
final class LayerTests: XCTestCase {
  // MARK: - Helpers

  /// Checks ∂L/∂(parameters, inputs) of L = Σ m(inputs) ⊙ w, for a fixed weight w (``weight(_:seed:)``, so a
  /// plain Σ y cannot hide a wrong gradient: the sum of a layer norm's outputs, for one, does not depend on
  /// its input), against central differences, and that the gradient does not vanish.
  private func assertLayerGradients<M: Module>(
    _ module: M, inputs: [Tensor], outputShape: [Int], file: StaticString = #filePath, line: UInt = #line,
    _ forward: @escaping (M, [Tensor]) -> Tensor
  ) {
    let w = weight(outputShape)
    let p = module.parameters.count
    func loss(_ all: [Tensor]) -> Tensor { weighted(forward(module.with(parameters: Array(all[..<p])), Array(all[p...])), w) }
    assertGradientsMatch("\(M.self)", at: module.parameters + inputs, file: file, line: line, loss)
    let largest = valueWithGradients(at: module.parameters + inputs, loss).gradients.flatMap(\.scalars).map(abs).max() ?? 0
    XCTAssertGreaterThan(largest, 1e-3, "\(M.self): the gradient should not vanish", file: file, line: line)
  }

  // MARK: - Module

  func testModuleValueWithGradientsGivesTheLossAndItsGradientByParameter() {
    var rng = RandomGenerator(seed: 1)
    let model = MLP(sizes: [3, 4, 2], rng: &rng)
    let x = rng.normal([5, 3])
    let (value, grads) = model.valueWithGradients { m in m(x).squared().mean() }
    // The value: L = (1/n) Σ yᵢ², summed by a loop over the outputs y = model(x).
    let y = model(x).scalars
    assertScalar(value.scalar, equals: y.map { $0 * $0 }.reduce(0, +) / Double(y.count), tolerance: 1e-14, "L = mean y²")
    // The gradients, aligned with `parameters`: central differences in each parameter, one at a time.
    let numeric = checkGradients(at: model.parameters) { θ in model.with(parameters: θ)(x).squared().mean() }.numeric
    for (k, (g, n)) in zip(grads, numeric).enumerated() {
      assertTensor(
        g, equals: n.scalars, shape: model.parameterShapes[k], tolerance: 1e-8, "∂L/∂θ\(k) against central differences")
    }
    XCTAssertEqual(model.parameterCount, 3 * 4 + 4 + 4 * 2 + 2)
  }

  func testNewLayersHaveTrainableLeafParameters() {
    var rng = RandomGenerator(seed: 2)
    let modules: [any Module] = [
      Linear(inputSize: 2, outputSize: 3, rng: &rng), MLP(sizes: [2, 3, 1], rng: &rng),
      GRUCell(inputSize: 2, hiddenSize: 3, rng: &rng), LayerNorm(size: 4),
      MultiHeadAttention(modelSize: 4, headCount: 2, rng: &rng), Embedding(count: 5, size: 2, rng: &rng),
    ]
    for module in modules {
      XCTAssertTrue(module.parameters.allSatisfy(\.requiresGradient), "\(type(of: module))")
    }
  }

  func testSecondOrderGradientThroughAnInnerUpdate() {
    // A meta-gradient: θ′ = θ − α∇L_inner(θ), then the outer loss L_outer(θ′), differentiated w.r.t. θ.
    // The setter accepts the non-leaf θ′, and createGraph keeps ∇L_inner differentiable.
    var rng = RandomGenerator(seed: 3)
    let layer = Linear(inputSize: 2, outputSize: 1, rng: &rng)
    let (xInner, xOuter) = (rng.normal([4, 2]), rng.normal([4, 2]))
    let α = 0.1
    func metaLoss(_ θ: [Tensor]) -> Tensor {
      let m = layer.with(parameters: θ)
      let (_, innerGradients) = m.valueWithGradients(createGraph: true) { m in m(xInner).tanh().sum() }
      let θAdapted = zip(m.parameters, innerGradients).map { $0 - α * $1 }
      return layer.with(parameters: θAdapted)(xOuter).squared().sum()
    }
    assertGradientsMatch("meta-gradient through an inner update", at: layer.parameters, tolerance: 1e-7, metaLoss)
  }

  // MARK: - Initialisers

  func testGlorotUniformStaysWithinItsBoundWithTheRightVariance() {
    var rng = RandomGenerator(seed: 4)
    let (fanIn, fanOut) = (60, 40)
    let w = Initializer.glorotUniform().makeValues([fanIn, fanOut], rng: &rng)
    let a = (6.0 / Double(fanIn + fanOut)).squareRoot()  // a = √(6/100) ≈ 0.245
    XCTAssertTrue(w.scalars.allSatisfy { abs($0) <= a })
    XCTAssertGreaterThan(w.scalars.map(abs).max()!, 0.99 * a)
    let variance = w.scalars.map { $0 * $0 }.reduce(0, +) / Double(w.count)  // U(−a, a) has variance a²/3
    XCTAssertEqual(variance, a * a / 3, accuracy: 0.05 * a * a / 3)
  }

  func testHeNormalHasStandardDeviationGainOverRootFanIn() {
    var rng = RandomGenerator(seed: 5)
    let w = Initializer.heNormal().makeValues([50, 80], rng: &rng)
    let std = (w.scalars.map { $0 * $0 }.reduce(0, +) / Double(w.count)).squareRoot()
    XCTAssertEqual(std, (2.0 / 50).squareRoot(), accuracy: 0.03 * (2.0 / 50).squareRoot())  // √(2/fan_in) = 0.2
  }

  func testOrthogonalGivesOrthonormalColumnsOrRowsTimesGain() {
    var rng = RandomGenerator(seed: 6)
    let gain = 2.0.squareRoot()
    let tall = Initializer.orthogonal(gain: gain).makeValues([6, 4], rng: &rng)  // WᵀW = gain² I₄
    let wide = Initializer.orthogonal(gain: gain).makeValues([3, 5], rng: &rng)  // WWᵀ = gain² I₃
    for (product, n) in [(matmul(tall.transposed(), tall), 4), (matmul(wide, wide.transposed()), 3)] {
      for i in 0..<n {
        for j in 0..<n { XCTAssertEqual(product[i, j], i == j ? 2 : 0, accuracy: 1e-12) }
      }
    }
  }

  func testZerosAndSeedsAreReproducible() {
    var rng = RandomGenerator(seed: 7)
    XCTAssertEqual(Initializer.zeros.makeValues([2, 3], rng: &rng).scalars, Array(repeating: 0, count: 6))
    var a = RandomGenerator(seed: 8), b = RandomGenerator(seed: 8)
    XCTAssertEqual(
      MLP(sizes: [3, 5, 2], rng: &a).parameterVector.scalars, MLP(sizes: [3, 5, 2], rng: &b).parameterVector.scalars)
  }

  // MARK: - Linear and MLP

  func testLinearComputesXWPlusB() {
    var rng = RandomGenerator(seed: 9)
    var layer = Linear(inputSize: 2, outputSize: 2, rng: &rng)
    layer.parameters = [Tensor([[1, 2], [3, 4]]), Tensor([10, 20])]
    // [1, 1] W + b = [1 + 3, 2 + 4] + [10, 20] = [14, 26];  [2, 0] W + b = [2, 4] + [10, 20] = [12, 24].
    XCTAssertEqual(layer(Tensor([[1, 1], [2, 0]])).scalars, [14, 26, 12, 24])
  }

  func testLinearAndMLPOutputShapes() {
    var rng = RandomGenerator(seed: 10)
    let layer = Linear(inputSize: 3, outputSize: 5, rng: &rng)
    XCTAssertEqual(layer(Tensor.zeros([7, 3])).shape, [7, 5])
    XCTAssertEqual(layer(Tensor.zeros([2, 4, 3])).shape, [2, 4, 5])
    let mlp = MLP(sizes: [3, 16, 8, 2], activation: .relu, rng: &rng)
    XCTAssertEqual(mlp.sizes, [3, 16, 8, 2])
    XCTAssertEqual(mlp(Tensor.zeros([7, 3])).shape, [7, 2])
    XCTAssertEqual(mlp.parameterShapes, [[3, 16], [16], [16, 8], [8], [8, 2], [2]])
  }

  func testLinearGradients() {
    var rng = RandomGenerator(seed: 11)
    let layer = Linear(inputSize: 3, outputSize: 2, rng: &rng)
    assertLayerGradients(layer, inputs: [rng.normal([4, 3])], outputShape: [4, 2]) { m, x in m(x[0]) }
  }

  func testMLPGradientsForEveryActivation() {
    for activation in Activation.allCases {
      var rng = RandomGenerator(seed: 12)
      let mlp = MLP(sizes: [3, 4, 2], activation: activation, outputActivation: .tanh, rng: &rng)
      assertLayerGradients(mlp, inputs: [rng.normal([5, 3])], outputShape: [5, 2]) { m, x in m(x[0]) }
    }
  }

  // MARK: - GRUCell

  func testGRUCellMatchesAHandComputationForOneUnit() {
    var rng = RandomGenerator(seed: 13)
    var cell = GRUCell(inputSize: 1, hiddenSize: 1, rng: &rng)
    // Columns r | z | n.  W_i = [0.5, −0.3, 0.8], W_h = [0.2, 0.4, −0.6], b_i = [0.1, 0, −0.1], b_h = [0, 0.2, 0.3].
    cell.parameters = [Tensor([[0.5, -0.3, 0.8]]), Tensor([[0.2, 0.4, -0.6]]), Tensor([0.1, 0, -0.1]), Tensor([0, 0.2, 0.3])]
    let (x, h) = (1.5, -0.4)
    // r  = σ(0.5·1.5 + 0.1 + 0.2·(−0.4) + 0)        = σ(0.77)  = 0.683520893736…
    // z  = σ(−0.3·1.5 + 0 + 0.4·(−0.4) + 0.2)       = σ(−0.41) = 0.398912121151…
    // n  = tanh(0.8·1.5 − 0.1 + r·(−0.6·(−0.4) + 0.3)) = tanh(1.1 + 0.54 r) = 0.899405875258…
    // h′ = (1 − z) n + z h = 0.601087878848 · 0.899405875259 + 0.398912121152 · (−0.4) = 0.381057121322…
    func σ(_ a: Double) -> Double { 1 / (1 + exp(-a)) }
    let r = σ(0.77), z = σ(-0.41)
    let n = Foundation.tanh(1.1 + 0.54 * r)
    let expected = (1 - z) * n + z * h
    let hNext = cell(Tensor([[x]]), Tensor([[h]]))
    XCTAssertEqual(hNext.shape, [1, 1])
    XCTAssertEqual(hNext.scalar, expected, accuracy: 1e-14)
  }

  func testGRUCellShapesAndGradients() {
    var rng = RandomGenerator(seed: 14)
    let cell = GRUCell(inputSize: 3, hiddenSize: 2, rng: &rng)
    XCTAssertEqual(cell.parameterShapes, [[3, 6], [2, 6], [6], [6]])
    XCTAssertEqual(cell(Tensor.zeros([4, 3]), cell.initialState(batchSize: 4)).shape, [4, 2])
    // Two steps, so the gradient also flows through h.
    assertLayerGradients(cell, inputs: [rng.normal([4, 3]), rng.normal([4, 3]), rng.normal([4, 2])], outputShape: [4, 2]) {
      m, xs in
      m(xs[1], m(xs[0], xs[2]))
    }
  }

  // MARK: - LayerNorm

  func testLayerNormRowsHaveMeanZeroAndVarianceOne() {
    var rng = RandomGenerator(seed: 15)
    let norm = LayerNorm(size: 6, epsilon: 1e-12)
    let y = norm(rng.normal([4, 6], mean: 3, std: 5))
    for row in y.rows {
      let mean = row.reduce(0, +) / 6
      let variance = row.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 6
      XCTAssertEqual(mean, 0, accuracy: 1e-12)
      XCTAssertEqual(variance, 1, accuracy: 1e-9)
    }
  }

  func testLayerNormByHandWithAGainAndBias() {
    // x = [1, 2, 3]: μ = 2, x − μ = [−1, 0, 1], σ² = 2/3, 1/√(σ² + ε) = 1/√(2/3 + 10⁻⁵) = 1.224735685908….
    // y = γ ⊙ (x − μ)/√(σ² + ε) + β with γ = [1, 2, 3], β = [0.5, 0, −0.5]:
    //   y = [−1.224735685908 + 0.5, 0, 3 · 1.224735685908 − 0.5] = [−0.724735685908, 0, 3.174207057725].
    var norm = LayerNorm(size: 3)
    XCTAssertEqual(norm.epsilon, 1e-5)
    norm.parameters = [Tensor([1, 2, 3]), Tensor([0.5, 0, -0.5])]
    assertTensor(
      norm(Tensor([[1, 2, 3]])), equals: [-0.724735685908, 0, 3.174207057725], shape: [1, 3], tolerance: 1e-11,
      "LayerNorm([1, 2, 3]) with γ = [1, 2, 3], β = [0.5, 0, −0.5]")
  }

  func testLayerNormGradients() {
    var rng = RandomGenerator(seed: 16)
    var norm = LayerNorm(size: 4)
    norm.parameters = [rng.normal([4]), rng.normal([4])]  // a gain and bias other than 1 and 0
    assertLayerGradients(norm, inputs: [rng.normal([2, 3, 4])], outputShape: [2, 3, 4]) { m, x in m(x[0]) }
  }

  // MARK: - Attention

  func testAttentionWeightRowsSumToOneAndCausalWeightsAreZeroAboveTheDiagonal() {
    var rng = RandomGenerator(seed: 17)
    let (q, k) = (rng.normal([2, 4, 3]), rng.normal([2, 4, 3]))
    for causal in [false, true] {
      let a = attentionWeights(q: q, k: k, causal: causal)
      XCTAssertEqual(a.shape, [2, 4, 4])
      for b in 0..<2 {
        for i in 0..<4 {
          XCTAssertEqual((0..<4).map { a[b, i, $0] }.reduce(0, +), 1, accuracy: 1e-12)
          if causal { for j in (i + 1)..<4 { XCTAssertEqual(a[b, i, j], 0) } }  // exactly 0
        }
      }
    }
  }

  func testScaledDotProductAttentionByHand() {
    // One query q = [1, 0] and keys k₁ = [1, 0], k₂ = [0, 1], d_k = 2: scores [1/√2, 0],
    // weights [e^{1/√2}, 1] / (e^{1/√2} + 1) = [0.669761…, 0.330238…]; values 10 and 20 → 13.30238…
    let out = scaledDotProductAttention(q: Tensor([[1, 0]]), k: Tensor([[1, 0], [0, 1]]), v: Tensor([[10], [20]]))
    let w1 = exp(1 / 2.0.squareRoot()) / (exp(1 / 2.0.squareRoot()) + 1)
    XCTAssertEqual(out.shape, [1, 1])
    XCTAssertEqual(out.scalar, 10 * w1 + 20 * (1 - w1), accuracy: 1e-12)
  }

  func testCausalSelfAttentionIgnoresLaterPositionsExactly() {
    var rng = RandomGenerator(seed: 18)
    let attention = MultiHeadAttention(modelSize: 6, headCount: 2, rng: &rng)
    let x = rng.normal([2, 5, 6])
    // Change only position 3 of every sequence.
    var changed = x.scalars
    for b in 0..<2 { for c in 0..<6 { changed[(b * 5 + 3) * 6 + c] += 10 } }
    let y = attention(x, causal: true)
    let yChanged = attention(Tensor(shape: x.shape, scalars: changed), causal: true)
    for b in 0..<2 {
      for t in 0..<5 {
        let same = (0..<6).allSatisfy { y[b, t, $0] == yChanged[b, t, $0] }
        XCTAssertEqual(same, t < 3, "position \(t)")  // bit-identical before 3; different from 3 on
      }
    }
    // Without the mask, every position sees the change.
    XCTAssertNotEqual(attention(x)[0, 0, 0], attention(Tensor(shape: x.shape, scalars: changed))[0, 0, 0])
  }

  func testCrossAttentionShapes() {
    var rng = RandomGenerator(seed: 19)
    let attention = MultiHeadAttention(modelSize: 8, headCount: 4, rng: &rng)
    let (queries, memory) = (rng.normal([2, 3, 8]), rng.normal([2, 5, 8]))
    XCTAssertEqual(attention.headSize, 2)
    XCTAssertEqual(attention(queries, attendingTo: memory).shape, [2, 3, 8])
    let weights = attention.attentionWeights(queries, attendingTo: memory)
    XCTAssertEqual(weights.shape, [2, 4, 3, 5])
    XCTAssertEqual(weights.sum().scalar, 2 * 4 * 3, accuracy: 1e-12)  // every row sums to 1
    XCTAssertEqual(attention.parameterShapes, Array(repeating: [[8, 8], [8]], count: 4).flatMap { $0 })
  }

  func testMultiHeadAttentionGradients() {
    var rng = RandomGenerator(seed: 20)
    let attention = MultiHeadAttention(modelSize: 4, headCount: 2, rng: &rng)
    let (x, memory) = (rng.normal([2, 3, 4]), rng.normal([2, 2, 4]))
    assertLayerGradients(attention, inputs: [x], outputShape: [2, 3, 4]) { m, xs in m(xs[0], causal: true) }
    assertLayerGradients(attention, inputs: [x, memory], outputShape: [2, 3, 4]) { m, xs in m(xs[0], attendingTo: xs[1]) }
  }

  // MARK: - Embedding

  func testEmbeddingLooksUpRowsAndGradientReachesOnlyUsedRows() {
    var rng = RandomGenerator(seed: 21)
    let embedding = Embedding(count: 4, size: 3, rng: &rng)
    let ids = [2, 0, 2]
    let y = embedding(ids)
    XCTAssertEqual(y.rows, [embedding.table.rows[2], embedding.table.rows[0], embedding.table.rows[2]])
    let r = weight([3, 3])
    let (_, grads) = embedding.valueWithGradients { m in (m(ids) * r).sum() }
    let g = grads[0].rows
    XCTAssertEqual(g[1], [0, 0, 0])  // id 1 unused: exactly zero
    XCTAssertEqual(g[3], [0, 0, 0])  // id 3 unused
    XCTAssertEqual(g[0], r.rows[1])
    for c in 0..<3 { XCTAssertEqual(g[2][c], r.rows[0][c] + r.rows[2][c], accuracy: 1e-15) }  // used twice: summed
  }

  // MARK: - Training

  func testTinyMLPLearnsXORWithAdam() {
    var rng = RandomGenerator(seed: 22)
    var model = MLP(sizes: [2, 8, 1], activation: .tanh, rng: &rng)
    var optimizer = Adam(learningRate: 0.05)
    let x = Tensor([[0, 0], [0, 1], [1, 0], [1, 1]])
    let y = Tensor([[0], [1], [1], [0]])
    var loss = Double.infinity
    for _ in 0..<300 {
      let (value, grads) = model.valueWithGradients { m in (m(x) - y).squared().mean() }
      optimizer.update(&model, along: grads)
      loss = value.scalar
    }
    XCTAssertLessThan(loss, 1e-3)
  }
}
