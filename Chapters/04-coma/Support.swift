// Helpers of chapter 4: number formatting, random policies, the two-step example behind COMA's
// erratum, and the runs of the experiment.

import Autodiff
import Foundation
import MARL
import Workbook

/// A number with `digits` decimals and a true minus sign (Workbook's `fixed`).
func fmt(_ x: Double, _ digits: Int = 3) -> String { fixed(x, digits) }

/// A short vector, e.g. "(−0.250, 0.250)".
func fmt(_ v: [Double], _ digits: Int = 3) -> String { "(" + v.map { fmt($0, digits) }.joined(separator: ", ") + ")" }

/// A random distribution over `count` actions with every probability at least 0.05 / count.
func randomPolicy(_ count: Int, using rng: inout RandomGenerator) -> [Double] {
  let weights = (0..<count).map { _ in 0.05 + rng.uniform() }
  let total = weights.reduce(0, +)
  return weights.map { $0 / total }
}

/// The largest |x| of a vector.
func maxAbs(_ v: [Double]) -> Double { v.reduce(0) { max($0, abs($1)) } }

// MARK: - The two-step example of the erratum

/// One agent, two steps, and a memory. At t = 0 the agent sees a fair coin o ∈ {0, 1} (pure noise: the
/// state s₀ does not record it) and plays u₀ ∼ π₀(·|o) = softmax(θ_o). The state then records u₀,
/// and at t = 1 the agent, which remembers o, plays u₁ ∼ π₁(·|o); the reward is r₁ = 𝟙[u₁ = u₀].
/// So J(θ) = ½ Σ_o Σ_u π₀(u|o) π₁(u|o).
///
/// The critic of the history, Q(s₀, τ = o, u) = π₁(u|o), gives the policy gradient exactly. The critic
/// of the state alone can only average over the coin: Q(s₀, u) = Σ_o Pr(o|u) π₁(u|o).
struct MemoryExample {
  /// π₁(·|o): the later policy, fixed, for o = 0 and o = 1.
  let laterPolicy: [[Double]] = [[0.9, 0.1], [0.2, 0.8]]

  /// J(θ) = ½ Σ_o Σ_u softmax(θ_o)_u π₁(u|o).
  func value(_ θ: [[Double]]) -> Double {
    var total = 0.0
    for o in 0..<2 {
      let π0 = softmaxProbabilities(θ[o])
      for u in 0..<2 { total += 0.5 * π0[u] * laterPolicy[o][u] }
    }
    return total
  }

  /// Q(s₀, τ, u) = π₁(u|o): what the agent's own later behaviour makes of u.
  func historyCritic(_ θ: [[Double]]) -> (Int, Int) -> Double { { o, u in laterPolicy[o][u] } }

  /// Q(s₀, u) = Σ_o Pr(o|u) π₁(u|o), Pr(o|u) ∝ ½ π₀(u|o): the state does not know the coin.
  func stateCritic(_ θ: [[Double]]) -> (Int, Int) -> Double {
    let π0 = θ.map(softmaxProbabilities)
    return { _, u in
      let evidence = π0[0][u] + π0[1][u]
      return (π0[0][u] * laterPolicy[0][u] + π0[1][u] * laterPolicy[1][u]) / evidence
    }
  }

  /// E[Q ∇_θ log π₀(u|o)] for a critic Q(o, u), flattened over (o, logit k): 4 entries.
  func criticGradient(_ θ: [[Double]], critic: (Int, Int) -> Double) -> [Double] {
    var g: [Double] = []
    for o in 0..<2 {
      let π0 = softmaxProbabilities(θ[o])
      for k in 0..<2 {
        var entry = 0.0
        for u in 0..<2 { entry += 0.5 * π0[u] * ((u == k ? 1 : 0) - π0[k]) * critic(o, u) }
        g.append(entry)
      }
    }
    return g
  }

  /// ∂J/∂θ by central differences (step h), flattened like ``criticGradient(_:critic:)``.
  func finiteDifferenceGradient(_ θ: [[Double]], h: Double = 1e-5) -> [Double] {
    var g: [Double] = []
    for o in 0..<2 {
      for k in 0..<2 {
        var plus = θ, minus = θ
        plus[o][k] += h
        minus[o][k] -= h
        g.append((value(plus) - value(minus)) / (2 * h))
      }
    }
    return g
  }
}

// MARK: - The experiment's runs

/// One learning curve: the mean training return of every iteration, the final evaluation, and (for
/// COMA) how its critic's advantages compare with the exact ones.
struct Run: Sendable {
  var curve: [Double] = []
  var finalReturn = 0.0
  var critic: CriticDiagnostic? = nil
}

/// A trained COMA critic's advantages against the exact ones on fresh first steps, with joint actions
/// drawn from the trained policies (where the critic was trained).
struct CriticDiagnostic: Sendable {
  /// Root mean square of (learned − exact), and of exact.
  let rmse: Double, scale: Double
  /// The share of agent-steps where learned and exact advantages have the same sign.
  let agreement: Double
  /// How many agent-steps were compared.
  let count: Int
}

/// The three methods of the experiment.
enum Method: CaseIterable {
  case coma, independent, centralV

  var name: String {
    switch self {
    case .coma: "COMA"
    case .independent: "IA2C (independent V(oᵃ))"
    case .centralV: "central-V A2C (V(s))"
    }
  }

  var critic: String {
    switch self {
    case .coma: "Q(s, u⁻ᵃ, ·), TD(\(ExperimentSettings.coma().lambda))"
    case .independent: "V(oᵃ), GAE(\(ExperimentSettings.actorCritic(self, horizon: 1).lambda))"
    case .centralV: "V(s), GAE(\(ExperimentSettings.actorCritic(self, horizon: 1).lambda))"
    }
  }
}

/// The shared settings: one hidden layer of 32 units for every network, Adam 3·10⁻³, 8 episodes of
/// 4 steps per iteration, actors shared by the agents with one-hot ids.
enum ExperimentSettings {
  static let hidden = [32]
  static let learningRate = 3e-3
  static let episodes = 8
  /// The A2C loss coefficients every method uses (chapter 3's defaults: c_V 0.5, entropy 0.01).
  static let loss = A2CConfig()

  static func coma() -> COMAConfig {
    var config = COMAConfig()
    config.actorHidden = hidden
    config.criticHidden = hidden
    config.actorLearningRate = learningRate
    config.criticLearningRate = learningRate
    config.episodesPerIteration = episodes
    config.loss = loss
    return config
  }

  static func actorCritic(_ method: Method, horizon: Int) -> MultiAgentPPOConfig {
    var config: MultiAgentPPOConfig =
      method == .independent ? .ia2c(sharing: .shared(agentIDs: true)) : .maa2c(sharing: .shared(agentIDs: true))
    config.hidden = hidden
    config.actorLearningRate = learningRate
    config.criticLearningRate = learningRate
    config.environments = episodes
    config.rolloutLength = horizon  // every environment starts together: one whole episode each
    config.minibatches = 1
    config.gamma = 0.99
    config.lambda = 0.95
    config.standardiseAdvantages = true
    config.objective = .a2c(loss)
    return config
  }
}

/// Trains one method for `iterations` on `task` from `seed`, then evaluates it on `evaluationEpisodes`;
/// `tick` is called after every iteration. Owns all its state, so runs can go side by side.
func train(_ method: Method, on task: EchoTeam, iterations: Int, seed: UInt64, evaluationEpisodes: Int, tick: () -> Void) -> Run {
  var rng = RandomGenerator(seed: seed)
  var run = Run()
  func mean(_ x: [Double]) -> Double { x.reduce(0, +) / Double(max(x.count, 1)) }
  switch method {
  case .coma:
    var learner = COMA(config: ExperimentSettings.coma(), environment: task, rng: &rng)
    for _ in 0..<iterations {
      run.curve.append(mean(learner.iterate(using: &rng).episodeReturns))
      tick()
    }
    run.finalReturn = learner.evaluate(episodes: evaluationEpisodes, using: &rng).mean
    run.critic = diagnose(learner, on: task, steps: 200, using: &rng)
  case .independent, .centralV:
    var learner = MultiAgentPPO(
      config: ExperimentSettings.actorCritic(method, horizon: task.config.horizon), environment: task, rng: &rng)
    for _ in 0..<iterations {
      run.curve.append(mean(learner.iterate(using: &rng).episodeReturns))
      tick()
    }
    run.finalReturn = learner.evaluate(episodes: evaluationEpisodes, using: &rng).mean
  }
  return run
}

/// Compares a trained COMA critic's counterfactual advantages with EchoTeam's exact ones,
/// (1/n)(𝟙[uᵃ = cᵃ] − πᵃ(cᵃ)), on `steps` fresh first steps.
func diagnose(_ coma: COMA<EchoTeam>, on task: EchoTeam, steps: Int, using rng: inout RandomGenerator) -> CriticDiagnostic {
  let n = task.agentCount
  var env = task
  var states: [Double] = [], observations: [Double] = [], signals: [Int] = []
  for _ in 0..<steps {
    env.reset(using: &rng)
    states += env.state
    observations += env.jointObservation
    signals += env.signals
  }
  let π = withoutGradients { coma.policy(Tensor(shape: [steps * n, task.observationSize], scalars: observations)) }
  let actions = π.sample(using: &rng)
  let rows = coma.critic.input.rows(
    states: states, observations: observations, jointActions: actions, lastJointActions: [Int](repeating: -1, count: steps * n))
  let learned = withoutGradients {
    counterfactualAdvantages(qValues: coma.critic(rows), policies: π.probabilities, actions: actions)
  }.scalars
  let policyRows = π.probabilities.rows
  let exact = (0..<(steps * n)).map { i in
    task.exactCounterfactualAdvantage(signal: signals[i], action: actions[i], policy: policyRows[i])
  }
  var squaredError = 0.0, squaredSize = 0.0, agree = 0
  for (l, e) in zip(learned, exact) {
    squaredError += (l - e) * (l - e)
    squaredSize += e * e
    if (l > 0) == (e > 0) { agree += 1 }
  }
  let count = Double(exact.count)
  return CriticDiagnostic(
    rmse: (squaredError / count).squareRoot(), scale: (squaredSize / count).squareRoot(), agreement: Double(agree) / count,
    count: exact.count)
}

/// The trailing moving average of a curve over `window` points.
func smoothed(_ curve: [Double], window: Int) -> [Double] {
  curve.indices.map { i in
    let slice = curve[max(0, i - window + 1)...i]
    return slice.reduce(0, +) / Double(slice.count)
  }
}
