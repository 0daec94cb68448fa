// Sections 3.3–3.4: the policy heads (categorical and diagonal Gaussian) and the losses built on them
// (A2C and PPO-clip, with value clipping and the entropy bonus).

import Autodiff
import Foundation
import MARL
import Workbook

// MARK: - 3.3 Policy heads

func policyHeadSection(_ page: Page) {
  page.prose(
    """
    An actor network ends in a *head* that turns its output into a distribution over actions. A \
    learner needs three things from it: log π(a|o) (the score, and PPO's ratio), the entropy H (a \
    bonus that keeps exploring) and the Kullback–Leibler divergence (how far an update moved the \
    policy; HATRPO in chapter 5 constrains it). Discrete actions use a categorical head on logits z:
    """)
  page.equation(
    #"\log \pi(k \mid o) = z_k - \log \sum_j e^{z_j}, \qquad H(\pi) = -\sum_k \pi_k \log \pi_k, \qquad D_{\mathrm{KL}}(\pi \,\|\, \pi') = \sum_k \pi_k \left(\log \pi_k - \log \pi'_k\right)"#
  )
  var rng = RandomGenerator(seed: page.options.seed &+ 3)
  let z = rng.normal([4, 5], std: 1.5), zPrime = rng.normal([4, 5], std: 1.5)
  let actions = [0, 4, 2, 1]
  let π = CategoricalDistribution(logits: z), πPrime = CategoricalDistribution(logits: zPrime)
  // The same three quantities in plain arithmetic, row by row: an independent implementation.
  func plain(_ row: [Double]) -> [Double] {
    let m = row.max()!
    let e = row.map { exp($0 - m) }
    return e.map { $0 / e.reduce(0, +) }
  }
  var byHand: [Double] = []
  for r in 0..<4 {
    let p = plain(z.rows[r]), q = plain(zPrime.rows[r])
    byHand.append(log(p[actions[r]]))
    byHand.append(-zip(p, p).map { $0 * log($1) }.reduce(0, +))
    byHand.append(zip(p, q).map { $0 * log($0 / $1) }.reduce(0, +))
  }
  let library = (0..<4).flatMap { r in
    [π.logProbability(of: actions).scalars[r], π.entropy().scalars[r], π.klDivergence(to: πPrime).scalars[r]]
  }
  page.check(
    "categorical log π, H and KL on 4 random rows = the same sums in plain arithmetic", computed: library, expected: byHand,
    tolerance: 1e-13)
  let gradientCheck = checkGradients(at: [z, zPrime]) { t in
    let p = CategoricalDistribution(logits: t[0]), q = CategoricalDistribution(logits: t[1])
    return p.logProbability(of: actions).sum() + p.entropy().sum() + p.klDivergence(to: q).sum()
  }
  page.checkAtMost(
    "their gradients: autodiff = central differences (largest relative error)", value: gradientCheck.maxRelativeError, bound: 1e-7
  )
  page.prose("The entropy bonus pushes every logit towards the uniform policy at a rate we can derive:")
  page.step(
    "Differentiate H = −Σπ_k log π_k using ∂π_k/∂z_j = π_k(𝟙[k = j] − π_j)",
    #"\frac{\partial H}{\partial z_j} = -\sum_k (\log \pi_k + 1)\, \pi_k \left(\mathbb{1}[k = j] - \pi_j\right)"#)
  page.step("Collect terms (Σ_k π_k = 1)", #"\frac{\partial H}{\partial z_j} = -\pi_j \left(\log \pi_j + H\right)"#)
  let zVariable = Tensor(shape: z.shape, scalars: z.scalars, requiresGradient: true)
  let entropyGradient = gradients(of: CategoricalDistribution(logits: zVariable).entropy().sum(), withRespectTo: [zVariable])[0]
  let p = π.probabilities, H = π.entropy()
  let derived = (0..<20).map { k in -p.scalars[k] * (log(p.scalars[k]) + H.scalars[k / 5]) }
  page.check(
    "∂H/∂z: autodiff = −π_j(log π_j + H), all 20 logits", computed: entropyGradient.scalars, expected: derived, tolerance: 1e-14)

  page.prose(
    """
    Continuous actions use a Gaussian with diagonal covariance, mean μ(o) from the network and a \
    learned log σ. The D dimensions are independent, so everything is a sum over them:
    """)
  page.equation(
    #"\log \pi(\mathbf{a}) = -\tfrac12 \sum_d \left[\left(\tfrac{a_d - \mu_d}{\sigma_d}\right)^2 + 2 \log \sigma_d + \log 2\pi\right], \quad H = \sum_d \left(\log \sigma_d + \tfrac12 \log 2\pi e\right), \quad D_{\mathrm{KL}} = \sum_d \left[\log \tfrac{\sigma'_d}{\sigma_d} + \frac{\sigma_d^2 + (\mu_d - \mu'_d)^2}{2 \sigma_d'^2} - \tfrac12\right]"#
  )
  // Closed forms against numerical integration of −∫p log p and ∫p log(p/q), one dimension at a time.
  let μ = [0.3, -1.2, 0.8], logσ = [log(0.7), log(1.4), log(0.25)]
  let μPrime = [-0.4, -0.9, 1.1], logσPrime = [log(1.3), log(0.9), log(0.4)]
  let gaussian = DiagonalGaussianDistribution(mean: Tensor([μ]), logStd: Tensor(logσ))
  let gaussianPrime = DiagonalGaussianDistribution(mean: Tensor([μPrime]), logStd: Tensor(logσPrime))
  func density(_ x: Double, _ m: Double, _ s: Double) -> Double {
    exp(-0.5 * (x - m) * (x - m) / (s * s)) / (s * (2 * Double.pi).squareRoot())
  }
  var entropyIntegral = 0.0, klIntegral = 0.0
  for d in 0..<3 {
    let (m, s, mq, sq) = (μ[d], exp(logσ[d]), μPrime[d], exp(logσPrime[d]))
    entropyIntegral += simpson(from: m - 12 * s, to: m + 12 * s) { x in -density(x, m, s) * log(density(x, m, s)) }
    klIntegral += simpson(from: m - 12 * s, to: m + 12 * s) { x in density(x, m, s) * log(density(x, m, s) / density(x, mq, sq)) }
  }
  page.check(
    "3-D Gaussian entropy: closed form = Σ_d −∫p log p (Simpson, 4000 intervals)", computed: gaussian.entropy().scalar,
    expected: entropyIntegral, tolerance: 1e-9)
  page.check(
    "3-D Gaussian KL: closed form = Σ_d ∫p log(p/q)", computed: gaussian.klDivergence(to: gaussianPrime).scalar,
    expected: klIntegral, tolerance: 1e-9)
  let samples = page.options.quick ? 4_000 : 20_000
  let batch = DiagonalGaussianDistribution(
    mean: Tensor(shape: [samples, 3], scalars: Array((0..<samples).map { _ in μ }.joined())), logStd: Tensor(logσ))
  let negativeLogProbabilities = (-batch.logProbability(of: batch.sample(using: &rng))).scalars
  let standardError = sampleStd(negativeLogProbabilities) / Double(samples).squareRoot()
  page.check(
    "log π through sampling: the mean of −log π(a) over \(samples) samples a ∼ π is H (within 4 SE)",
    computed: mean(negativeLogProbabilities), expected: gaussian.entropy().scalar, tolerance: 4 * standardError)
}

// MARK: - 3.4 A2C and PPO-clip

func ppoSection(_ page: Page) {
  page.prose(
    """
    **A2C** (advantage actor-critic; Mnih et al., 2016) turns the estimator of section 1 into a loss: \
    the advantage Â weighs the score, a critic V is regressed on the returns, and an entropy bonus \
    keeps the policy from collapsing too early:
    """)
  page.equation(
    #"L^{\mathrm{A2C}} = -\frac1N \sum_n \hat A_n \log \pi_\theta(a_n \mid o_n) + c_V\, \frac{1}{2N} \sum_n \left(V(s_n) - \hat R_n\right)^2 - c_H\, \frac1N \sum_n H\!\left(\pi_\theta(\cdot \mid o_n)\right)"#
  )
  page.code("a2c-loss")
  page.prose(
    """
    A2C uses each batch once: one gradient step, then the data is stale. **PPO-clip** (Schulman, \
    Wolski, Dhariwal, Radford and Klimov, 2017) reuses it for several epochs, measuring how far the \
    policy has moved by the ratio r = π_θ(a|o)/π_old(a|o) and removing the incentive to move further \
    than ε:
    """)
  page.equation(
    #"L^{\mathrm{CLIP}}(\theta) = \frac1N \sum_n \min\left(r_n \hat A_n,\ \operatorname{clip}(r_n, 1 - \epsilon, 1 + \epsilon)\, \hat A_n\right), \qquad r_n = \exp\left(\log \pi_\theta(a_n \mid o_n) - \log \pi_{\mathrm{old}}(a_n \mid o_n)\right)"#
  )
  page.code("ppo-clip-surrogate")
  page.step(
    "Where the min picks the unclipped term, its derivative in log π is that of r Â",
    #"\frac{\partial}{\partial \log \pi_n} \left(r_n \hat A_n\right) = r_n \hat A_n"#)
  page.step(
    "Where the advantage is positive and r > 1 + ε (or negative and r < 1 − ε) the min picks the clipped constant",
    #"\frac{\partial}{\partial \log \pi_n} \left((1 \pm \epsilon)\, \hat A_n\right) = 0"#)
  let ε = 0.2
  var rows: [[String]] = []
  for ratio in [0.6, 0.8, 1.0, 1.1, 1.3, 1.5] {
    var row = [f2(ratio)]
    for advantage in [1.0, -1.0] {
      let logπ = Tensor([log(ratio)], requiresGradient: true)
      let surrogate = ppoClipSurrogate(
        logProbabilities: logπ, oldLogProbabilities: Tensor([0]), advantages: Tensor([advantage]), epsilon: ε)
      let slope = gradients(of: surrogate, withRespectTo: [logπ])[0].scalar
      row += [f2(surrogate.scalar), f2(slope == 0 ? 0 : slope)]  // print a zero slope as 0.00, never −0.00
    }
    rows.append(row)
  }
  page.table(
    ["r", "L (Â = +1)", "∂L/∂log π (Â = +1)", "L (Â = −1)", "∂L/∂log π (Â = −1)"], rows: rows,
    caption: "One row's surrogate and its gradient, ε = \(ε): flat beyond 1 + ε for a good action, below 1 − ε for a bad one.")

  var rng = RandomGenerator(seed: page.options.seed &+ 4)
  let N = 400
  let logRatio = (0..<N).map { _ in rng.uniform(-0.5, 0.5) }
  let advantages = (0..<N).map { _ in rng.normal() }
  let oldLogπ = (0..<N).map { _ in log(rng.uniform(0.05, 0.95)) }
  let logπ = Tensor(zip(oldLogπ, logRatio).map { $0 + $1 }, requiresGradient: true)
  let surrogate = ppoClipSurrogate(
    logProbabilities: logπ, oldLogProbabilities: Tensor(oldLogπ), advantages: Tensor(advantages), epsilon: ε)
  let gradient = gradients(of: surrogate, withRespectTo: [logπ])[0].scalars
  var binding: [Bool] = []
  var derived: [Double] = []
  for n in 0..<N {
    let r = exp(logRatio[n])
    let clipped = (advantages[n] > 0 && r > 1 + ε) || (advantages[n] < 0 && r < 1 - ε)
    binding.append(clipped)
    derived.append(clipped ? 0 : r * advantages[n] / Double(N))
  }
  page.check(
    "∂L^CLIP/∂log π on \(N) rows with ratios in [e^−0.5, e^0.5]: autodiff = the two cases above", computed: gradient,
    expected: derived, tolerance: 1e-15)
  let zeroWhereBinding = zip(gradient, binding).allSatisfy { g, b in b ? g == 0 : g != 0 }
  page.checkTrue(
    "the gradient is exactly zero in every row where the clip binds, and only there", holds: zeroWhereBinding,
    detail: "\(binding.filter { $0 }.count) of \(N) rows clipped")

  // At θ = θ_old every ratio is 1: no clip binds, ∇r = ∇log π, and PPO's first step is A2C's.
  let actor = MLP(sizes: [4, 16, 3], activation: .tanh, rng: &rng)
  let observations = rng.normal([32, 4])
  let taken = CategoricalDistribution(logits: actor(observations)).sample(using: &rng)
  let Â = rng.normal([32])
  let old = withoutGradients { CategoricalDistribution(logits: actor(observations)).logProbability(of: taken) }
  let zeros = Tensor.zeros([32])
  let ppoGradient = actor.valueWithGradients { net in
    let π = CategoricalDistribution(logits: net(observations))
    return ppoClipLoss(
      logProbabilities: π.logProbability(of: taken), oldLogProbabilities: old, advantages: Â, values: zeros, oldValues: zeros,
      returns: zeros, entropy: π.entropy(), config: PPOClipConfig()
    ).total
  }.gradients
  let a2cGradient = actor.valueWithGradients { net in
    let π = CategoricalDistribution(logits: net(observations))
    return a2cLoss(
      logProbabilities: π.logProbability(of: taken), advantages: Â, values: zeros, returns: zeros, entropy: π.entropy(),
      config: A2CConfig(entropyCoefficient: 0.01)
    ).total
  }.gradients
  page.check(
    "at θ = θ_old the PPO-clip gradient of a small actor equals A2C's (all \(actor.parameterCount) weights)",
    computed: ppoGradient.flatMap(\.scalars), expected: a2cGradient.flatMap(\.scalars), tolerance: 1e-14)

  // The approximate KL that PPO logs: E_old[r − 1 − log r] is exactly KL(π_old ‖ π).
  page.prose(
    """
    PPO implementations log an approximate KL, the mean of r − 1 − log r over the batch. It is never \
    negative, and its expectation under π_old is exactly the KL divergence, since Σ_a π_old (π/π_old − 1) = 0:
    """)
  page.equation(
    #"\mathbb{E}_{a \sim \pi_{\mathrm{old}}}\left[r - 1 - \log r\right] = \sum_a \pi(a) - 1 + \sum_a \pi_{\mathrm{old}}(a) \log \frac{\pi_{\mathrm{old}}(a)}{\pi(a)} = D_{\mathrm{KL}}(\pi_{\mathrm{old}} \,\|\, \pi)"#
  )
  let zOld = rng.normal([3, 4]), zNew = rng.normal([3, 4])
  let pOld = CategoricalDistribution(logits: zOld).probabilities.rows,
    pNew = CategoricalDistribution(logits: zNew).probabilities.rows
  let enumerated = (0..<3).map { r in
    (0..<4).reduce(0.0) { sum, a in
      let ratio = pNew[r][a] / pOld[r][a]
      return sum + pOld[r][a] * (ratio - 1 - log(ratio))
    }
  }
  page.check(
    "E_old[r − 1 − log r] by enumeration = KL(π_old ‖ π) from the categorical head, 3 rows",
    computed: enumerated,
    expected: CategoricalDistribution(logits: zOld).klDivergence(to: CategoricalDistribution(logits: zNew)).scalars,
    tolerance: 1e-14)

  // Value clipping.
  page.prose(
    """
    **Value clipping.** MAPPO also clips the critic: the new value may move at most ε_V from the old \
    one before the loss stops rewarding the move (the larger of the two squared errors is kept):
    """)
  page.equation(
    #"L^V = \frac{1}{2N} \sum_n \max\left((V_n - \hat R_n)^2,\ \left(V^{\mathrm{old}}_n + \operatorname{clip}(V_n - V^{\mathrm{old}}_n, -\epsilon_V, \epsilon_V) - \hat R_n\right)^2\right)"#
  )
  let V = (0..<N).map { _ in rng.normal() }, Vold = (0..<N).map { _ in rng.normal() }, R = (0..<N).map { _ in rng.normal() }
  let εV = 0.2
  let Vvariable = Tensor(V, requiresGradient: true)
  let valueGradient = gradients(
    of: clippedValueLoss(values: Vvariable, oldValues: Tensor(Vold), returns: Tensor(R), clip: εV), withRespectTo: [Vvariable])[0]
    .scalars
  let valueDerived = (0..<N).map { n -> Double in
    let moved = V[n] - Vold[n]
    let clippedValue = Vold[n] + min(max(moved, -εV), εV)
    let (u, c) = ((V[n] - R[n]) * (V[n] - R[n]), (clippedValue - R[n]) * (clippedValue - R[n]))
    if u >= c { return (V[n] - R[n]) / Double(N) }
    return abs(moved) <= εV ? (clippedValue - R[n]) / Double(N) : 0  // beyond ±ε_V the clipped value is a constant
  }
  let frozen = zip(valueGradient, valueDerived).filter { $0.1 == 0 }.count
  page.check(
    "∂L^V/∂V on \(N) rows: autodiff = the case-by-case derivative (zero in \(frozen) rows where the clipped error wins)",
    computed: valueGradient, expected: valueDerived, tolerance: 1e-15)
}
