// Section 5.5: HATRPO's update for one agent: the surrogate of eq. 9, Fisher-vector products,
// conjugate gradient, the step size and the backtracking line search.

import Autodiff
import Foundation
import MARL
import Workbook

/// The small policy network of §5.5: an MLP 3 → 4 → 3 (tanh) on 6 random observations, a batch of
/// sampled actions, and a random factor M standing for (π̄^{i_{1:m−1}}/π^{i_{1:m−1}}) Â.
struct NetworkExample {
  let network: MLP
  let observations: Tensor
  let actions: [Int]
  let factor: Tensor
  let θOld: Tensor
  let oldPolicy: CategoricalDistribution

  init(seed: UInt64) {
    var rng = RandomGenerator(seed: seed &+ 551)
    network = MLP(sizes: [3, 4, 3], activation: .tanh, rng: &rng)
    observations = rng.normal([6, 3])
    θOld = flatten(network.parameters).detached
    let net = network, inputs = observations
    let policy = withoutGradients { CategoricalDistribution(logits: net(inputs)) }
    oldPolicy = policy
    actions = policy.sample(using: &rng)
    factor = rng.normal([6])
  }

  /// π_θ(·|oₙ) for the parameter vector θ [P].
  func policy(_ θ: Tensor) -> CategoricalDistribution {
    CategoricalDistribution(logits: network.with(parameters: unflatten(θ, like: network.parameterShapes))(observations))
  }
  /// (1/N) Σₙ π_θ(aₙ|oₙ)/π_old(aₙ|oₙ) Mₙ, HATRPO's sampled surrogate.
  func surrogate(_ θ: Tensor) -> Tensor {
    ((policy(θ).logProbability(of: actions) - oldPolicy.logProbability(of: actions)).exp() * factor).mean()
  }
  /// (1/N) Σₙ KL(π_old(·|oₙ) ‖ π_θ(·|oₙ)).
  func meanKL(_ θ: Tensor) -> Tensor { oldPolicy.klDivergence(to: policy(θ)).mean() }
}

func hatrpoSection(_ page: Page) {
  page.prose(
    #"""
    Algorithm 1 needs exact advantages, the maximum KL over all states and the huge constant C. \#
    HATRPO keeps its structure (one agent after another, in a random order, each improving its own \#
    term given the agents before it) and makes each step practical in the way TRPO does for one \#
    agent: the penalty becomes a constraint on the *average* KL, and the expectation is estimated \#
    from samples of the old joint policy. Agent $i_m$ solves (eq. 7)
    """#)
  page.equation(
    #"\max_{\theta^{i_m}} \; \mathbb{E}_{s \sim \rho_{\boldsymbol\pi_k},\, \mathbf{a}^{i_{1:m-1}} \sim \bar{\boldsymbol\pi}^{i_{1:m-1}},\, a^{i_m} \sim \pi_{\theta^{i_m}}}\left[ A^{i_m}_{\boldsymbol\pi_k}(s, \mathbf{a}^{i_{1:m-1}}, a^{i_m}) \right] \quad \text{subject to} \quad \mathbb{E}_{s \sim \rho_{\boldsymbol\pi_k}}\left[ \mathrm{KL}\left(\pi^{i_m}_{k}(\cdot \mid s) \,\|\, \pi_{\theta^{i_m}}(\cdot \mid s)\right) \right] \le \delta"#
  )

  // Step 1: Proposition 3 on the Markov game.
  let (markov, π) = exampleMarkovGame(seed: page.options.seed)
  let evaluation = markov.evaluate(π)
  var rng = RandomGenerator(seed: page.options.seed &+ 552)
  var propositionGap = 0.0, propositionCases = 0
  for order in allOrderings(of: 3) {
    for m in 1...3 {
      var decomposition = 0.0, weighted = 0.0
      for s in 0..<markov.stateCount {
        let q = evaluation.multiAgentQ(state: s)
        let updated = order[..<(m - 1)].map { randomPolicy(markov.actionCounts[$0], using: &rng) }
        let candidate = randomPolicy(markov.actionCounts[order[m - 1]], using: &rng)
        let agents = Array(order[..<m])
        decomposition += evaluation.visitation[s] * q.sequentialSurrogate(order: agents, updated: updated, candidate: candidate)
        weighted +=
          evaluation.visitation[s] * q.importanceWeightedSurrogate(order: agents, updated: updated, candidate: candidate)
      }
      propositionGap = max(propositionGap, abs(decomposition - weighted))
      propositionCases += 1
    }
  }
  page.step(
    "The objective involves the new policies of the predecessors, but samples come from the old joint policy. Importance weights fix that, and Lemma 1 lets the joint advantage stand in for the multi-agent one (Proposition 3, eq. 9):",
    #"\mathbb{E}_{\mathbf{a}^{i_{1:m-1}} \sim \bar{\boldsymbol\pi}^{i_{1:m-1}},\, a^{i_m} \sim \hat\pi^{i_m}}\left[ A^{i_m}_{\boldsymbol\pi}(s, \mathbf{a}^{i_{1:m-1}}, a^{i_m}) \right] = \mathbb{E}_{\mathbf{a} \sim \boldsymbol\pi}\left[ \left( \frac{\hat\pi^{i_m}(a^{i_m} \mid s)}{\pi^{i_m}(a^{i_m} \mid s)} - 1 \right) M^{i_{1:m}}(s, \mathbf{a}) \right], \qquad M^{i_{1:m}}(s, \mathbf{a}) = \frac{\bar{\boldsymbol\pi}^{i_{1:m-1}}(\mathbf{a}^{i_{1:m-1}} \mid s)}{\boldsymbol\pi^{i_{1:m-1}}(\mathbf{a}^{i_{1:m-1}} \mid s)} A_{\boldsymbol\pi}(s, \mathbf{a})"#
  )
  page.prose(
    #"""
    Why it holds, in three lines. Lemma 1 for the group $i_{1:m}$ splits its advantage into the \#
    group $i_{1:m-1}$'s and agent $i_m$'s, so agent $i_m$'s term is a difference of two group \#
    advantages; each group advantage is the joint advantage with the remaining agents averaged \#
    over their *old* policies; and an expectation over new policies is one over old policies with \#
    the ratio of probabilities as weight:
    """#)
  page.equation(
    #"\begin{aligned} \mathbb{E}_{\bar{\boldsymbol\pi}^{i_{1:m-1}},\, \hat\pi^{i_m}}\left[ A^{i_m}_{\boldsymbol\pi} \right] &= \mathbb{E}_{\bar{\boldsymbol\pi}^{i_{1:m-1}},\, \hat\pi^{i_m}}\left[ A^{i_{1:m}}_{\boldsymbol\pi}(s, \mathbf{a}^{i_{1:m}}) \right] - \mathbb{E}_{\bar{\boldsymbol\pi}^{i_{1:m-1}}}\left[ A^{i_{1:m-1}}_{\boldsymbol\pi}(s, \mathbf{a}^{i_{1:m-1}}) \right] \\ &= \mathbb{E}_{\mathbf{a} \sim \boldsymbol\pi}\left[ \frac{\bar{\boldsymbol\pi}^{i_{1:m-1}} \hat\pi^{i_m}}{\boldsymbol\pi^{i_{1:m-1}} \pi^{i_m}} A_{\boldsymbol\pi}(s, \mathbf{a}) \right] - \mathbb{E}_{\mathbf{a} \sim \boldsymbol\pi}\left[ \frac{\bar{\boldsymbol\pi}^{i_{1:m-1}}}{\boldsymbol\pi^{i_{1:m-1}}} A_{\boldsymbol\pi}(s, \mathbf{a}) \right] \end{aligned}"#
  )
  page.prose(
    "and the two terms combine into eq. 9. The check evaluates both sides independently: the left by enumerating Definition 2, the right by importance weights on the old joint policy."
  )
  page.check(
    "Markov game, ρ-weighted, all 6 orders × positions m = 1, 2, 3 with random π̄, π̂: Definition 2 vs eq. 9 (\(propositionCases) cases)",
    computed: propositionGap, expected: 0, tolerance: 1e-12)
  page.prose(
    #"""
    The factor $M^{i_{1:m}}$ (eq. 10) is the joint advantage reweighted by how much more (or less) \#
    likely the predecessors' *new* policies make each sampled joint action. In practice \#
    $A_{\boldsymbol\pi}$ is a GAE estimate $\hat A(s, \mathbf{a})$ from one centralised critic \#
    (chapter 3). The "−1" is the second term of the derivation, the predecessors' own share of the \#
    advantage; it does not depend on agent $i_m$'s parameters, so it drops out of the gradient.
    """#)

  // Steps 2–5 on a small network.
  let example = NetworkExample(seed: page.options.seed)
  let P = example.θOld.count
  let g = valueWithGradients(at: [example.θOld]) { example.surrogate($0[0]) }.gradients[0].scalars
  let fisher = fisherInformationMatrix(at: example.θOld) { example.policy($0).logProbabilities }
  let damping = 0.1
  let H = fisher.enumerated().map { r, row in row.enumerated().map { c, x in x + (r == c ? damping : 0) } }
  let direct = solveLinearSystem(H, g)
  page.prose(
    #"""
    The next steps run on one agent's policy network: an MLP 3 → 4 → 3 with tanh (P = \#(P) \#
    parameters, flattened into one vector θ with `flatten`) on a batch of 6 observations, actions \#
    sampled from it, and a random factor M. Its surrogate is \#
    $\frac{1}{N}\sum_n \frac{\pi_\theta(a_n \mid o_n)}{\pi_{\theta_k}(a_n \mid o_n)} M_n$.
    """#)

  page.step(
    "Linearise the objective and take the KL to second order: $\\mathbf{g}$ is the surrogate's gradient and $\\mathbf{H}$ the Hessian of the average KL, both at $\\theta_k$ (where the KL and its gradient vanish). The small problem has a closed-form solution (Lagrange multipliers: the gradient of the objective, $\\mathbf{g}$, must be parallel to that of the constraint, $\\mathbf{H}\\Delta$). The check below uses the damped matrix $\\mathbf{F} + \\lambda I$ of step 4: any symmetric positive-definite matrix will do.",
    #"\max_{\Delta}\; \mathbf{g}^\top \Delta \quad \text{s.t.} \quad \tfrac12 \Delta^\top \mathbf{H} \Delta \le \delta \qquad\Rightarrow\qquad \Delta^* = \sqrt{\frac{2\delta}{\mathbf{g}^\top \mathbf{H}^{-1} \mathbf{g}}}\; \mathbf{H}^{-1} \mathbf{g}"#
  )
  let δ = 0.01
  let optimum = (2 * δ / innerProduct(g, direct)).squareRoot()
  let bestStep = direct.map { optimum * $0 }
  // An independent maximiser: gradient ascent on the scale-free gain f(Δ) = gᵀΔ / √(ΔᵀHΔ), whose best
  // direction is the constrained optimum. It uses products HΔ only: no linear solve, no closed form.
  var Δ = g
  let ascentSteps = page.options.quick ? 2_000 : 5_000
  for _ in 0..<ascentSteps {
    let HΔ = H.map { innerProduct($0, Δ) }
    let norm = innerProduct(Δ, HΔ).squareRoot()
    Δ = Δ.map { $0 / norm }  // keep ΔᵀHΔ = 1, so f(Δ) = gᵀΔ
    let gain = innerProduct(g, Δ)
    Δ = zip(Δ, zip(g, HΔ)).map { d, gh in d + 0.5 * (gh.0 - gain * gh.1 / norm) }
  }
  let HΔ = H.map { innerProduct($0, Δ) }
  let numericalGain = (2 * δ).squareRoot() * innerProduct(g, Δ) / innerProduct(Δ, HΔ).squareRoot()
  page.check(
    "gain gᵀΔ of the best step on the boundary: \(ascentSteps) steps of gradient ascent on gᵀΔ/√(ΔᵀHΔ) vs the closed form √(2δ gᵀH⁻¹g)",
    computed: numericalGain, expected: innerProduct(g, bestStep), tolerance: 1e-9)
  page.step(
    "$\\mathbf{H}$ is a P × P matrix, too big to form for a real network, but conjugate gradient only needs products $\\mathbf{H}\\mathbf{v}$. Differentiate the KL once, keep the graph, and differentiate its inner product with $\\mathbf{v}$ again:",
    #"\mathbf{H}\mathbf{v} = \nabla_\theta \left( \nabla_\theta \overline{\mathrm{KL}}(\theta) \cdot \mathbf{v} \right) \Big|_{\theta_k}"#
  )
  page.code("fisher-vector-product")
  let product = FisherVectorProduct(at: example.θOld, meanKL: example.meanKL, damping: 0)
  let fromProducts = product.matrix()
  var fisherGap = 0.0
  for r in 0..<P { for c in 0..<P { fisherGap = max(fisherGap, abs(fromProducts[r][c] - fisher[r][c])) } }
  page.prose(
    #"""
    At $\theta_k$ this Hessian is the Fisher information matrix \#
    $\mathbf{F} = \frac1N \sum_n \sum_a \pi(a \mid o_n) \nabla \log\pi(a \mid o_n) \nabla \log\pi(a \mid o_n)^\top$, \#
    which needs only first derivatives: an independent check of the double differentiation. \#
    (Why they agree: $\mathrm{KL}(\pi_k \| \pi_\theta) = \sum_a \pi_k \log\pi_k - \sum_a \pi_k \log\pi_\theta$, \#
    so at $\theta_k$ its Hessian is $-\sum_a \pi \nabla^2 \log\pi$; differentiating \#
    $\sum_a \pi \nabla\log\pi = \nabla \sum_a \pi = 0$ once more turns that into \#
    $\sum_a \pi \nabla\log\pi \nabla\log\pi^\top$.)
    """#)
  page.check(
    "all \(P)×\(P) entries: Hessian of the KL by Fisher-vector products vs the Fisher matrix by enumeration",
    computed: fisherGap, expected: 0, tolerance: 1e-10)

  page.step(
    "Conjugate gradient solves $\\mathbf{H}_\\lambda \\mathbf{x} = \\mathbf{g}$ with the damped matrix $\\mathbf{H}_\\lambda = \\mathbf{H} + \\lambda I$ (HARL: λ = 0.1, which keeps the system well-conditioned where the KL is flat), using products alone; each iteration moves along a direction $\\mathbf{H}_\\lambda$-conjugate to the previous ones ($\\mathbf{p}_j^\\top \\mathbf{H}_\\lambda \\mathbf{p}_k = 0$), so in exact arithmetic it needs at most as many iterations as $\\mathbf{H}_\\lambda$ has distinct eigenvalues. HARL stops after 10 iterations.",
    #"\alpha_k = \frac{\mathbf{r}_k^\top \mathbf{r}_k}{\mathbf{p}_k^\top \mathbf{H}_\lambda \mathbf{p}_k}, \quad \mathbf{x}_{k+1} = \mathbf{x}_k + \alpha_k \mathbf{p}_k, \quad \mathbf{r}_{k+1} = \mathbf{r}_k - \alpha_k \mathbf{H}_\lambda \mathbf{p}_k, \quad \mathbf{p}_{k+1} = \mathbf{r}_{k+1} + \frac{\mathbf{r}_{k+1}^\top \mathbf{r}_{k+1}}{\mathbf{r}_k^\top \mathbf{r}_k} \mathbf{p}_k"#
  )
  page.code("conjugate-gradient")
  let damped = FisherVectorProduct(at: example.θOld, meanKL: example.meanKL, damping: damping)
  let ten = conjugateGradient({ damped($0) }, g, maxIterations: 10, residualTolerance: 1e-10)
  let full = conjugateGradient({ damped($0) }, g, maxIterations: 4 * P, residualTolerance: 1e-28)
  let tenGap = zip(ten.solution, direct).map { abs($0 - $1) }.max()!
  page.table(
    ["iteration k"] + (0...min(10, ten.iterations)).filter { $0 % 2 == 0 }.map(String.init),
    rows: [["‖r_k‖²"] + ten.squaredResiduals.enumerated().filter { $0.offset % 2 == 0 }.map { sci($0.element) }],
    caption: "Squared residual of conjugate gradient on (F + 0.1 I) x = g, from x₀ = 0.")
  page.check(
    "conjugate gradient run to convergence (\(full.iterations) products) vs a direct solve of the formed matrix",
    computed: full.solution, expected: direct, tolerance: 1e-9)
  page.prose(
    #"""
    Why \#(full.iterations) products for a \#(P) × \#(P) system: the Fisher matrix of \#(example.actions.count) \#
    observations with 3 actions has rank at most \#(example.actions.count) × 2 = \#(example.actions.count * 2) \#
    (each observation adds the K − 1 = 2 directions of its softmax), so $\mathbf{H}_\lambda$ has at \#
    most \#(example.actions.count * 2 + 1) distinct eigenvalues\#(full.iterations > example.actions.count * 2 + 1
      ? ", and rounding costs \(full.iterations - example.actions.count * 2 - 1) more" : ""). \#
    After HARL's 10 iterations the direction is already within \#(sci(tenGap)) of the exact one \#
    (largest entry), at the cost of 10 extra backward passes instead of forming and factorising a \#
    \#(P) × \#(P) matrix (or, for a real network, a matrix with millions of rows).
    """#)

  page.step(
    "With $\\mathbf{x} \\approx \\mathbf{H}_\\lambda^{-1}\\mathbf{g}$ from conjugate gradient, $\\mathbf{x}^\\top \\mathbf{H}_\\lambda \\mathbf{x} \\approx \\mathbf{g}^\\top \\mathbf{H}_\\lambda^{-1} \\mathbf{g}$, so step 2's optimum (eq. 8 without the backtracking, with $\\mathbf{H}_\\lambda$ for $\\mathbf{H}$) is $\\beta \\mathbf{x}$ with $\\beta = \\sqrt{2\\delta / \\mathbf{x}^\\top \\mathbf{H}_\\lambda \\mathbf{x}}$, computed with one more product. It fills the quadratic model of the trust region exactly. The model is only a model, so the true KL of the step must be checked:",
    #"\tfrac12 (\beta\mathbf{x})^\top \mathbf{H}_\lambda (\beta\mathbf{x}) = \delta, \qquad \overline{\mathrm{KL}}(\theta_k + \beta\mathbf{x}) \approx \tfrac12 (\beta\mathbf{x})^\top \mathbf{H} (\beta\mathbf{x}) \;\text{ when } \delta \text{ is small}"#
  )
  let small = trustRegionStep(
    at: example.θOld, surrogate: example.surrogate, meanKL: example.meanKL,
    config: TrustRegionConfig(maxKL: 1e-5, damping: damping))
  let smallStep = small.direction.map { small.stepSize * $0 }
  let quadraticKL = 0.5 * innerProduct(smallStep, product(smallStep))
  let trueKL = withoutGradients { example.meanKL(Tensor(zip(example.θOld.scalars, smallStep).map { $0 + $1 })).scalar }
  page.prose(
    #"""
    At $\theta_k$ the Hessian H is the Fisher matrix F (step 3), so the step satisfies \#
    ½Δᵀ(F + λI)Δ = δ, and the KL's own model ½ΔᵀFΔ = δ − ½λ‖Δ‖² falls short of δ. With δ = 10⁻⁵ and λ = \#(damping) it is \#
    \#(f3(quadraticKL / 1e-5)) δ: the damping spends \#(Int((100 * (1 - quadraticKL / 1e-5)).rounded()))% \#
    of the budget, in exchange for a well-conditioned system. Is the quadratic model itself right?
    """#)
  page.check(
    "δ = 10⁻⁵: the true mean KL of the full step vs its quadratic model ½ΔᵀFΔ (within 5%)",
    computed: trueKL, expected: quadraticKL, tolerance: 0.05 * quadraticKL)

  page.step(
    "A backtracking line search protects against a bad model: try $\\theta_k + \\alpha^j \\beta\\mathbf{x}$ for j = 0, 1, …, and accept the first step that keeps the KL within δ, really improves the surrogate, and earns at least a fraction κ of the improvement the linear model predicted; if none does, keep $\\theta_k$.",
    #"\overline{\mathrm{KL}}(\theta_j) \le \delta, \qquad L(\theta_j) - L(\theta_k) > 0, \qquad L(\theta_j) - L(\theta_k) > \kappa\, \alpha^j\, \mathbf{g}^\top \beta\mathbf{x}"#
  )
  page.code("hatrpo-line-search")
  let large = TrustRegionConfig(maxKL: 3.0, damping: damping, lineSearchSteps: 10, backtrackCoefficient: 0.5, acceptRatio: 0.5)
  let step = trustRegionStep(at: example.θOld, surrogate: example.surrogate, meanKL: example.meanKL, config: large)
  var tries: [[String]] = []
  var firstGood: Int? = nil
  var firstTry: (kl: Double, gain: Double)? = nil
  let baseline = withoutGradients { example.surrogate(example.θOld).scalar }
  var fraction = 1.0
  for j in 0..<large.lineSearchSteps where firstGood == nil {
    let θ = Tensor(zip(example.θOld.scalars, step.direction).map { $0 + fraction * step.stepSize * $1 })
    let kl = withoutGradients { example.meanKL(θ).scalar }
    let gain = withoutGradients { example.surrogate(θ).scalar } - baseline
    let good = kl <= large.maxKL && gain > 0 && gain > large.acceptRatio * fraction * step.expectedImprovement
    if j == 0 { firstTry = (kl, gain) }
    tries.append([
      "\(j)", f4(fraction), f4(kl), f4(gain), f4(large.acceptRatio * fraction * step.expectedImprovement),
      good ? "accept" : "reject",
    ])
    if good { firstGood = j }
    fraction *= large.backtrackCoefficient
  }
  page.table(
    ["j", "α^j", "mean KL", "gain L(θ_j) − L(θ_k)", "κ α^j gᵀβx", "decision"], rows: tries,
    caption: "The line search with a deliberately large trust region δ = \(f3(large.maxKL)) (α = 0.5, κ = 0.5).")
  if let first = firstTry, firstGood != 0 {
    let reason =
      first.kl > large.maxKL
      ? "left the trust region"
      : first.gain <= 0 ? "lost surrogate value" : "gained less than κ times what the linear model promised"
    page.prose("The full step \(reason); a shorter step along the same direction passed all three tests.")
  }
  page.check(
    "the library's line search (its own loop) stopped at the first step this table, evaluated separately, accepts (j)",
    computed: Double(step.lineSearch.backtracks), expected: Double(firstGood ?? large.lineSearchSteps), tolerance: 0)

  page.step(
    "Back to the r = a¹a² game: HATRPO's step (gradient of the eq. 9 surrogate by autodiff, H from Fisher-vector products, conjugate gradient, step size, line search) for each agent in turn, here without damping (λ = 0: one parameter needs no conditioning, and λ = 0.1 would shorten each step by a factor 1/√1.1):",
    #"\mu^{i_m}_{k+1} = \mu^{i_m}_k + \alpha^j \sqrt{\frac{2\delta}{g^2 / H}}\, \frac{g}{H} = \mu^{i_m}_k + \alpha^j \sigma\sqrt{2\delta}\, \operatorname{sign}(g) \qquad \left(H = 1/\sigma^2 \text{ for a Gaussian mean}\right)"#
  )
  let toy = GaussianProductGame(std: 1, maxKL: 0.5)
  let start = [-0.25, 0.25]
  var means = start
  for agent in [0, 1] {
    let partner: Double? = agent == 0 ? nil : means[0]
    let old = DiagonalGaussianDistribution(mean: Tensor([[start[agent]]]), logStd: Tensor([0.0]))
    let result = trustRegionStep(
      at: Tensor([start[agent]]),
      surrogate: { toy.importanceWeightedSurrogate(agent: agent, candidate: $0, means: start, updatedPartner: partner) },
      meanKL: { old.klDivergence(to: DiagonalGaussianDistribution(mean: $0.reshaped([1, 1]), logStd: Tensor([0.0]))).mean() },
      config: TrustRegionConfig(maxKL: toy.maxKL, damping: 0))
    means[agent] = result.lineSearch.parameters[0]
  }
  page.check(
    "HATRPO's (μ¹, μ²) after one iteration vs §5.3's sequential trust-region maximiser (\(f3(means[0])), \(f3(means[1])))",
    computed: means, expected: toy.sequentialUpdate(means: start, order: [0, 1]), tolerance: 1e-8)
}
