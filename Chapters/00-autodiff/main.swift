// Chapter 0: the tensor and reverse-mode autodiff library that every later chapter builds on.
//
// Each section states a claim about the library, shows the code that makes it true, and checks it
// on numbers computed two independent ways: by hand (plain Double arithmetic), by the library's
// reverse mode, and by central differences.

import Autodiff
import Foundation
import Workbook

let chapter = Chapter(number: 0, slug: "autodiff", title: "A tensor library with reverse-mode autodiff")

/// Six decimals, for tables.
func f6(_ x: Double) -> String { fixed(x, 6) }

// MARK: - 0.1 Tensors and graphs

chapter.section("Tensors, and the graph they record") { page in
  page.prose(
    """
    Every algorithm in this book is a computation on arrays of numbers followed by a gradient step. \
    Our `Tensor` is the array: a `shape` and its `scalars` in row-major order (the last index varies \
    fastest), in double precision, because the book checks its derivations to twelve digits.

    When an operation reads a tensor that requires a gradient, its result remembers two things: which \
    tensors it read, and a *backward rule* that turns the gradient of the final loss with respect to \
    the result, ḡ = ∂L/∂y, into gradients with respect to each input. That record is a node of the \
    computation graph. Every op ends by calling `record`:
    """)
  page.code("record-op")
  page.prose(
    "Multiplication shows the pattern: the forward value, then right below it the backward rule, itself written with tensor ops:")
  page.code("op-mul")
  page.equation(
    #"z = x \odot y, \qquad \bar{g}_x = \bar{g} \odot y, \qquad \bar{g}_y = \bar{g} \odot x \qquad \text{(equal shapes)}"#)
  page.prose(
    """
    When x and y have different shapes they are *broadcast* to a common one (a bias of shape [K] is \
    added to every row of a [N, K] matrix). The adjoint of copying is summing, so `sum(toShape:)` \
    folds ḡ back to each input's own shape.
    """)
  let matrix = Tensor([[1, 2, 3], [4, 5, 6]])
  page.check(
    "row-major layout: element (1, 2) of [[1,2,3],[4,5,6]] is scalars[1·3 + 2]",
    computed: matrix[1, 2], expected: 6, tolerance: 0)
  let bias = Tensor([10, 20, 30])
  page.check(
    "broadcasting [2,3] + [3] adds the bias to each row", computed: (matrix + bias).scalars,
    expected: [11, 22, 33, 14, 25, 36], tolerance: 0)
}

// MARK: - 0.2 The chain rule by hand

chapter.section("The chain rule, one local derivative at a time") { page in
  page.prose(
    """
    Take a function of two variables built from five elementary steps, at x₁ = 1.5 and x₂ = −0.8:
    """)
  page.equation(#"a = x_1 x_2, \quad b = \log x_1, \quad c = a + b, \quad d = \tanh c, \quad f = d \, x_2"#)
  let x1 = 1.5, x2 = -0.8
  // Forward, by hand.
  let a = x1 * x2, b = log(x1), c = a + b, d = tanh(c), f = d * x2
  page.table(
    ["node", "definition", "value"],
    rows: [
      ["a", "x₁·x₂", f6(a)], ["b", "log x₁", f6(b)], ["c", "a + b", f6(c)], ["d", "tanh c", f6(d)], ["f", "d·x₂", f6(f)],
    ], caption: "The forward pass, computed by hand.")
  page.prose(
    """
    Reverse mode starts from ∂f/∂f = 1 and walks back, multiplying by one *local* derivative per edge. \
    Where a variable feeds two nodes (x₁ feeds a and b, x₂ feeds a and f), the contributions add.
    """)
  // Backward, by hand: each line is one local derivative.
  let gf = 1.0
  let gd = gf * x2  // ∂f/∂d = x₂
  let gc = gd * (1 - d * d)  // ∂d/∂c = 1 − tanh²c
  let ga = gc * 1  // ∂c/∂a = 1
  let gb = gc * 1  // ∂c/∂b = 1
  let gx1 = ga * x2 + gb / x1  // ∂a/∂x₁ = x₂, ∂b/∂x₁ = 1/x₁
  let gx2 = ga * x1 + gf * d  // ∂a/∂x₂ = x₁, ∂f/∂x₂ = d
  page.step("Start at the output", #"\bar{g}_f = \partial f / \partial f = 1"#)
  page.step("Through f = d·x₂", #"\bar{g}_d = \bar{g}_f \, x_2 = "# + f6(gd))
  page.step("Through d = tanh c", #"\bar{g}_c = \bar{g}_d \, (1 - d^2) = "# + f6(gc))
  page.step("Through c = a + b (both local derivatives are 1)", #"\bar{g}_a = \bar{g}_b = \bar{g}_c = "# + f6(ga))
  page.step("Into x₁, which feeds a and b: the two paths add", #"\bar{g}_{x_1} = \bar{g}_a x_2 + \bar{g}_b / x_1 = "# + f6(gx1))
  page.step("Into x₂, which feeds a and f", #"\bar{g}_{x_2} = \bar{g}_a x_1 + \bar{g}_f \, d = "# + f6(gx2))

  // The same function through the library.
  let v1 = Tensor(x1, requiresGradient: true), v2 = Tensor(x2, requiresGradient: true)
  let fTensor = ((v1 * v2) + v1.log()).tanh() * v2
  let libraryGradient = gradients(of: fTensor, withRespectTo: [v1, v2]).map(\.scalar)
  page.check("reverse mode equals the hand derivation", computed: libraryGradient, expected: [gx1, gx2], tolerance: 1e-14)

  // And by central differences on plain Doubles, independent of both.
  let fPlain: (Double, Double) -> Double = { x1, x2 in tanh(x1 * x2 + log(x1)) * x2 }
  let ε = 1e-6
  let numeric = [
    (fPlain(x1 + ε, x2) - fPlain(x1 - ε, x2)) / (2 * ε), (fPlain(x1, x2 + ε) - fPlain(x1, x2 - ε)) / (2 * ε),
  ]
  page.check("reverse mode equals central differences (ε = 1e-6)", computed: libraryGradient, expected: numeric, tolerance: 1e-8)
  page.prose(
    """
    The library does exactly this, for any graph: order the nodes so that each comes after its inputs, \
    then walk that order backwards, handing each node the sum of the gradients that reached it. The \
    walk keeps its own stack, so the depth of the graph is not limited by the call stack.
    """)
  page.code("backward-pass")
}

// MARK: - 0.3 Every op against finite differences

/// Values pushed at least 0.1 away from 0 and ±0.5 (the kinks of relu, abs, clamp): x ↦ x ± 0.1, and
/// then away from ±0.5 the same way. Ties between entries have probability zero.
func awayFromKinks(_ x: Tensor) -> Tensor {
  let pushed = x.scalars.map { v -> Double in
    var v = v + (v >= 0 ? 0.1 : -0.1)
    if abs(abs(v) - 0.5) < 0.1 { v += v > 0 ? 0.2 : -0.2 }
    return v
  }
  return Tensor(shape: x.shape, scalars: pushed)
}

chapter.section("Every op against central differences") { page in
  page.prose(
    """
    A backward rule is a claim; central differences test it. For each input coordinate,
    """)
  page.equation(
    #"\frac{\partial f}{\partial x_i} \approx \frac{f(x + \varepsilon e_i) - f(x - \varepsilon e_i)}{2 \varepsilon}, \qquad \text{error} = O(\varepsilon^2)"#
  )
  page.prose(
    """
    `checkGradients` compares the two for any scalar function of tensors. Below, every op of the library \
    is checked on seeded random inputs, several of them broadcasting (shapes in the table). Each loss \
    weights the op's output with fixed random numbers w, so that every output element matters.
    """)
  var rng = RandomGenerator(seed: page.options.seed)
  struct OpCase {
    let name: String
    let shapes: [[Int]]
    let positive: Bool
    let f: ([Tensor]) -> Tensor
  }
  let cases: [OpCase] = [
    OpCase(name: "x + y (broadcast)", shapes: [[3, 4], [4]], positive: false) { $0[0] + $0[1] },
    OpCase(name: "x − y (broadcast)", shapes: [[3, 1], [1, 4]], positive: false) { $0[0] - $0[1] },
    OpCase(name: "x ⊙ y (broadcast)", shapes: [[2, 3, 4], [3, 1]], positive: false) { $0[0] * $0[1] },
    OpCase(name: "x / y", shapes: [[3, 4], [3, 4]], positive: true) { $0[0] / $0[1] },
    OpCase(name: "exp", shapes: [[3, 4]], positive: false) { $0[0].exp() },
    OpCase(name: "log", shapes: [[3, 4]], positive: true) { $0[0].log() },
    OpCase(name: "tanh", shapes: [[3, 4]], positive: false) { $0[0].tanh() },
    OpCase(name: "sigmoid", shapes: [[3, 4]], positive: false) { $0[0].sigmoid() },
    OpCase(name: "gelu", shapes: [[3, 4]], positive: false) { $0[0].gelu() },
    OpCase(name: "sqrt", shapes: [[3, 4]], positive: true) { $0[0].sqrt() },
    OpCase(name: "pow 2.5", shapes: [[3, 4]], positive: true) { $0[0].pow(2.5) },
    OpCase(name: "sum over axis 1", shapes: [[3, 4, 2]], positive: false) { $0[0].sum(alongAxes: [1]) },
    OpCase(name: "mean over axes 0, 2", shapes: [[3, 4, 2]], positive: false) { $0[0].mean(alongAxes: [0, 2]) },
    OpCase(name: "logsumexp", shapes: [[3, 5]], positive: false) { $0[0].logSumExp(alongAxis: 1) },
    OpCase(name: "softmax", shapes: [[3, 5]], positive: false) { $0[0].softmax(alongAxis: 1) },
    OpCase(name: "logSoftmax", shapes: [[3, 5]], positive: false) { $0[0].logSoftmax(alongAxis: 1) },
    OpCase(name: "matmul", shapes: [[3, 4], [4, 2]], positive: false) { matmul($0[0], $0[1]) },
    OpCase(name: "batched matmul", shapes: [[2, 3, 4], [2, 4, 5]], positive: false) { matmul($0[0], $0[1]) },
    OpCase(name: "transpose", shapes: [[3, 4]], positive: false) { $0[0].transposed() },
    OpCase(name: "reshape", shapes: [[3, 4]], positive: false) { $0[0].reshaped([2, 6]) },
    OpCase(name: "concat", shapes: [[2, 3], [2, 2]], positive: false) { Tensor(concatenating: [$0[0], $0[1]], alongAxis: 1) },
    OpCase(name: "slice", shapes: [[5, 3]], positive: false) { $0[0].slice(1..<4, alongAxis: 0) },
    OpCase(name: "gather", shapes: [[4, 3]], positive: false) { $0[0].gathering([2, 0, 1, 1]) },
    OpCase(name: "−x, x + c, c·x, c − x, c / x", shapes: [[3, 4]], positive: true) { x in
      -x[0] + (2 + x[0]) * 3 + (1 - x[0]) + 2 / x[0]
    },
    OpCase(name: "pow with a tensor exponent", shapes: [[3, 4], [3, 4]], positive: true) { $0[0].pow($0[1]) },
    OpCase(name: "relu", shapes: [[3, 4]], positive: false) { $0[0].relu() },
    OpCase(name: "leaky relu", shapes: [[3, 4]], positive: false) { $0[0].leakyRelu(slope: 0.1) },
    OpCase(name: "elu", shapes: [[3, 4]], positive: false) { $0[0].elu() },
    OpCase(name: "abs", shapes: [[3, 4]], positive: false) { $0[0].abs() },
    OpCase(name: "clamp to [−0.5, 0.5]", shapes: [[3, 4]], positive: false) { $0[0].clamped(-0.5, 0.5) },
    OpCase(name: "min(x, y), max(x, y)", shapes: [[3, 4], [4]], positive: false) {
      minimum($0[0], $0[1]) + maximum($0[0], $0[1]) * 2
    },
    OpCase(name: "max over an axis", shapes: [[3, 5]], positive: false) { ($0[0] + Tensor([0, 3, 6, 9, 12])).max(alongAxis: 1) },
    OpCase(name: "where", shapes: [[2, 3], [2, 3]], positive: false) {
      Tensor.where([true, false, true, false, false, true], shape: [2, 3], $0[0], $0[1])
    },
  ]
  var rows: [[String]] = []
  var worst = 0.0
  for opCase in cases {
    // Kinks (relu at 0, clamp at ±0.5, ties of min/max) are where the derivative does not exist and
    // central differences straddle two slopes: keep every sample at least 0.1 away from them.
    let inputs = opCase.shapes.map { shape in
      opCase.positive ? rng.uniform(shape, 0.5, 2) : awayFromKinks(rng.normal(shape))
    }
    let outputShape = withoutGradients { opCase.f(inputs).shape }
    let w = rng.normal(outputShape)
    let result = checkGradients(at: inputs) { x in (opCase.f(x) * w).sum() }
    worst = max(worst, result.maxRelativeError)
    rows.append([opCase.name, opCase.shapes.map { "\($0)" }.joined(separator: " "), sci(result.maxRelativeError)])
  }
  page.table(
    ["op", "input shapes", "max relative error"], rows: rows,
    caption:
      "Reverse mode against central differences, ε = 1e-6. Relative error: max over entries of |autodiff − difference| / max(1, |autodiff|, |difference|)."
  )
  page.checkAtMost("all \(cases.count) cases agree with central differences", value: worst, bound: 1e-7)
  page.prose(
    """
    Why a worst error of \(sci(worst)) and not smaller? Two errors pull in opposite directions. Truncation: the \
    difference quotient is off by about ε²/6 · f‴, here ~10⁻¹³. Round-off: f is computed to about \
    u ≈ 10⁻¹⁶ relative precision, and dividing a difference of two such values by 2ε magnifies that \
    to about u·|f|/ε ≈ 10⁻¹⁰·|f|, and each f here sums a whole tensor of outputs. The total is smallest near ε ≈ u^{1/3} ≈ 10⁻⁵, which is why ε = 10⁻⁶ \
    gives about ten correct digits: plenty to catch a wrong backward rule, which is off by O(1).
    """)
}

// MARK: - 0.4 Reuse, detach and no-grad

chapter.section("Reused nodes, stop-gradient and a deep chain") { page in
  let depth = page.options.quick ? 20_000 : 100_000
  page.prose(
    """
    A tensor used twice receives the sum of both gradients. For y = x·x + x the two uses in x·x each \
    contribute x and the third use contributes 1:
    """)
  page.equation(#"y = x \cdot x + x \quad\Rightarrow\quad \frac{dy}{dx} = x + x + 1 = 2x + 1"#)
  let x = Tensor([0.5, -1.25, 3], requiresGradient: true)
  let reused = gradients(of: (x * x + x).sum(), withRespectTo: [x])[0]
  page.check("reused node: dy/dx = 2x + 1", computed: reused.scalars, expected: x.scalars.map { 2 * $0 + 1 }, tolerance: 1e-15)
  page.prose(
    """
    `detached` returns the same values cut off from the graph: a stop-gradient. Many losses in this \
    book need one (a TD target, an importance weight from the old policy, COMA's baseline). With one \
    factor detached, y = x · stop(x) has dy/dx = x, not 2x:
    """)
  let halfStopped = gradients(of: (x * x.detached).sum(), withRespectTo: [x])[0]
  page.check("stop-gradient: d(x·stop(x))/dx = x", computed: halfStopped.scalars, expected: x.scalars, tolerance: 0)
  let noGraph = withoutGradients { (x * x).sum() }
  page.checkTrue(
    "inside withoutGradients nothing is recorded", holds: !noGraph.requiresGradient,
    detail: "result requires a gradient: \(noGraph.requiresGradient)")
  page.prose(
    """
    Because the backward pass keeps its own stack instead of recursing, a graph can be as deep as \
    memory allows (and freeing it, too, walks an explicit stack: see `GraphNode`'s `deinit`). \
    Multiply by c = 1 + 10⁻⁶ N = \(depth) times: the derivative of the result with respect to the \
    start is cᴺ.
    """)
  let c = 1 + 1e-6
  let start = Tensor(1.0, requiresGradient: true)
  var y = start
  for _ in 0..<depth { y = y * c }
  let chainGradient = gradients(of: y, withRespectTo: [start])[0].scalar
  page.check(
    "a chain of N = \(depth) multiplications: dy/dx = cᴺ", computed: chainGradient, expected: Foundation.pow(c, Double(depth)),
    tolerance: 1e-9)
}

// MARK: - 0.5 Second order

chapter.section("Differentiating a gradient: one step of MAML") { page in
  page.prose(
    """
    Meta-learning (chapters 7 and 8) asks how the loss *after* a gradient step depends on the weights \
    *before* it. Take linear regression with one weight θ, a training set of n points (xᵢ, yᵢ), a test \
    set (x′ⱼ, y′ⱼ), the mean squared error L, and one inner step of size α:
    """)
  page.step(
    "The inner update",
    #"\theta' = \theta - \alpha \nabla L_{\text{train}}(\theta), \qquad \nabla L_{\text{train}}(\theta) = \frac{2}{n}\sum_i x_i (\theta x_i - y_i)"#
  )
  page.step("Differentiate θ′ with respect to θ", #"\frac{d\theta'}{d\theta} = 1 - \frac{2\alpha}{n} \sum_i x_i^2"#)
  page.step(
    "The chain rule through the step",
    #"\frac{d L_{\text{test}}(\theta')}{d\theta} = L_{\text{test}}'(\theta') \left(1 - \frac{2\alpha}{n} \sum_i x_i^2\right)"#)
  var rng = RandomGenerator(seed: page.options.seed &+ 5)
  let n = 8
  let xs = (0..<n).map { _ in rng.normal() }, ys = xs.map { 1.7 * $0 + 0.1 * rng.normal() }
  let xt = (0..<n).map { _ in rng.normal() }, yt = xt.map { 1.7 * $0 + 0.1 * rng.normal() }
  let α = 0.1, θ0 = 0.3
  // Closed form, plain Doubles.
  let gradTrain = 2 / Double(n) * zip(xs, ys).map { x, y in x * (θ0 * x - y) }.reduce(0, +)
  let θ1 = θ0 - α * gradTrain
  let gradTest = 2 / Double(n) * zip(xt, yt).map { x, y in x * (θ1 * x - y) }.reduce(0, +)
  let closedForm = gradTest * (1 - α * 2 / Double(n) * xs.map { $0 * $0 }.reduce(0, +))
  // The library: the inner gradient is kept differentiable (createGraph), then differentiated again.
  let X = Tensor(xs), Y = Tensor(ys), Xt = Tensor(xt), Yt = Tensor(yt)
  func metaLoss(_ θ: Tensor, createGraph: Bool) -> Tensor {
    let inner = (θ * X - Y).squared().mean()
    let g = gradients(of: inner, withRespectTo: [θ], createGraph: createGraph)[0]
    let θPrime = θ - g * α
    return (θPrime * Xt - Yt).squared().mean()
  }
  let θ = Tensor(θ0, requiresGradient: true)
  let metaGradient = gradients(of: metaLoss(θ, createGraph: true), withRespectTo: [θ])[0].scalar
  page.check(
    "meta-gradient by second-order autodiff equals the closed form", computed: metaGradient, expected: closedForm,
    tolerance: 1e-12)
  let ε = 1e-6
  let numeric =
    (metaLoss(Tensor(θ0 + ε, requiresGradient: true), createGraph: false).scalar
      - metaLoss(Tensor(θ0 - ε, requiresGradient: true), createGraph: false).scalar) / (2 * ε)
  page.check(
    "… and central differences of the whole inner-and-outer computation", computed: metaGradient, expected: numeric,
    tolerance: 1e-8)
  let firstOrder = gradients(of: metaLoss(θ, createGraph: false), withRespectTo: [θ])[0].scalar
  page.table(
    ["estimate", "dL_test/dθ"],
    rows: [
      ["closed form", f6(closedForm)], ["autodiff, createGraph: true", f6(metaGradient)],
      ["autodiff, createGraph: false (first-order MAML)", f6(firstOrder)], ["central differences", f6(numeric)],
    ], caption: "Without createGraph the inner gradient is a constant, so the factor dθ′/dθ is lost.")
  page.check(
    "without createGraph the factor dθ′/dθ is dropped (first-order MAML = L′_test(θ′))", computed: firstOrder, expected: gradTest,
    tolerance: 1e-12)
}

// MARK: - 0.6 A tiny network

chapter.section("Fitting a tiny network") { page in
  page.prose(
    """
    Layers are small structs holding their parameters (`Linear`, `MLP`, `GRUCell`, `LayerNorm`, \
    `MultiHeadAttention`, `Embedding`), and optimizers update a module's parameter list. Here an MLP \
    1 → 32 → 32 → 1 with tanh units learns y = sin(2x) on 64 points of [−2, 2] with Adam.
    """)
  var rng = RandomGenerator(seed: page.options.seed &+ 6)
  var model = MLP(sizes: [1, 32, 32, 1], activation: .tanh, rng: &rng)
  var adam = Adam(learningRate: 0.005)
  let xs = (0..<64).map { -2 + 4 * Double($0) / 63 }
  let inputs = Tensor(shape: [64, 1], scalars: xs)
  let targets = Tensor(shape: [64, 1], scalars: xs.map { sin(2 * $0) })
  let steps = page.options.quick ? 300 : 1500
  let losses: [Double] = page.experiment("Adam, learning rate 0.005 decaying to 0.0005, \(steps) full-batch steps", total: steps)
  { progress in
    var losses: [Double] = []
    for step in 0..<steps {
      // A learning rate decaying linearly to a tenth: constant steps make Adam overshoot again and
      // again once the gradients (and its running estimate of their size) become tiny.
      adam.learningRate = 0.005 * (1 - 0.9 * Double(step) / Double(steps))
      let (loss, grads) = model.valueWithGradients { m in (m(inputs) - targets).squared().mean() }
      adam.update(&model, along: grads)
      losses.append(loss.scalar)
      progress.advance()
    }
    return losses
  }
  let finalLoss = withoutGradients { (model(inputs) - targets).squared().mean().scalar }
  let marks = [0, steps / 10, steps / 4, steps / 2, steps - 1]
  page.table(
    ["before step", "mean squared error"],
    rows: marks.map { ["\($0 + 1)", sci(losses[$0])] } + [["after step \(steps)", sci(finalLoss)]])
  page.plot(
    Plot(
      title: "Training loss (log10 MSE)", xLabel: "step", yLabel: "log10 MSE",
      series: [Series("MLP 1-32-32-1", values: losses.map { log10($0) })]),
    file: "ch00-mlp-loss")
  page.checkAtMost("training lowers the loss at least a hundredfold", value: finalLoss, bound: losses[0] / 100)
  page.prose(
    """
    The exercises of this chapter (`exercises/00-autodiff/`) ask you to write a central-difference \
    gradient, the backward rule of log-sum-exp, a topological order, the softmax cross-entropy \
    gradient and a Hessian–vector product. `swift test --filter Exercise00` grades them.
    """)
}

chapter.run()
