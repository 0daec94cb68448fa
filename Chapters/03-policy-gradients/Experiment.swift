// Section 3.8: IPPO against MAPPO, with separate and shared networks, on the partially observable
// GridSpread task; several seeds, learning curves, final returns with their spread.

import Autodiff
import Foundation
import MARL
import Workbook

/// One learning run's record.
private struct Run: Sendable {
  var parameterCount: Int
  var curve: [Double] = []  // mean episode return per iteration
  var valueLosses: [Double] = []
  var final = 0.0, finalError = 0.0
}

func experimentSection(_ page: Page) {
  let environment = GridSpread()
  let config = environment.config
  page.prose(
    """
    **The task** (ours, after the particle environment's "spread"): \(config.agentCount) agents and \
    \(config.agentCount) landmarks on a \(config.size) × \(config.size) grid. Each step every agent \
    moves one cell (stay, up, down, left, right) and the team receives minus the mean, over landmarks, \
    of the distance to the nearest agent (in units of the side): the agents must spread out over the \
    landmarks, and nothing says who takes which. Episodes last \(config.horizon) steps.

    Agent i observes its own cell, each landmark's offset, the time, and its partner only within \
    distance \(config.viewRadius) (a flag and an offset; zeros otherwise): \(environment.observationSize) \
    numbers. The global state (\(environment.stateSize) numbers: every position and the time) is what \
    MAPPO's critic reads. Starts are uniform, so four exact references can be computed by enumerating \
    all of them:
    """)
  let optimum = environment.exactCentralisedOptimum()
  let roles = environment.exactReturn(of: .fixedRoles)
  let nearest = environment.exactReturn(of: .nearestLandmark)
  let random = environment.exactUniformRandomReturn()
  page.table(
    ["policy", "expected return (exact)"],
    rows: [
      ["centralised optimum (backward induction over the joint state)", f3(optimum)],
      ["fixed roles: agent i walks to landmark i (decentralised, hand-written)", f3(roles)],
      ["nearest landmark (decentralised, no roles)", f3(nearest)],
      ["uniformly random", f3(random)],
    ])
  page.checkTrue(
    "the hand-written policies do not beat the centralised optimum, and beat random",
    holds: roles <= optimum + 1e-12 && nearest <= optimum + 1e-12 && random < min(roles, nearest),
    detail: "\(f3(random)) < \(f3(nearest)), \(f3(roles)) ≤ \(f3(optimum))")
  var rng = RandomGenerator(seed: page.options.seed &+ 7)
  let episodes = page.options.quick ? 3_000 : 10_000
  var returns: [Double] = []
  for _ in 0..<episodes {
    var env = environment
    env.reset(using: &rng)
    var total = 0.0, end = StepEnd.continues
    while !end.endsEpisode {
      let step = env.step((0..<env.agentCount).map { _ in rng.integer(below: env.actionCount) }, using: &rng)
      total += step.reward
      end = step.end
    }
    returns.append(total)
  }
  page.check(
    "the random policy's exact value = Monte Carlo over \(episodes) sampled episodes (4 SE)", computed: mean(returns),
    expected: random,
    tolerance: 4 * sampleStd(returns) / Double(episodes).squareRoot())

  // MARK: The runs
  // The four variants this section compares; `--full` adds a fifth, a shared network without ids.
  var presets: [MultiAgentPPOConfig] = [
    .ippo(sharing: .separate), .mappo(sharing: .separate), .ippo(sharing: .shared(agentIDs: true)),
    .mappo(sharing: .shared(agentIDs: true)),
  ]
  if page.options.full { presets.append(.mappo(sharing: .shared(agentIDs: false))) }
  let variants = presets.map { preset in
    var c = preset
    c.rolloutLength = config.horizon  // one whole episode per environment per iteration
    return c
  }
  let (fullSeeds, fullIterations) = (5, 300)
  let seeds = page.options.quick ? 2 : (page.options.full ? fullSeeds : 3)
  let iterations = page.options.quick ? 15 : (page.options.full ? fullIterations : 50)
  var clipEpsilon = 0.0
  if case .ppoClip(let ppo) = variants[0].objective { clipEpsilon = ppo.clipEpsilon }
  let template = variants[0]
  page.prose(
    """
    **The learners**: the presets of `MultiAgentPPOConfig`, ReLU networks with one hidden layer of \
    \(template.hidden[0]), \(template.environments) environments × one \(config.horizon)-step episode \
    per iteration, GAE (γ = \(template.gamma), λ = \(template.lambda)), PPO-clip with ε = \(clipEpsilon), \
    \(template.epochs) epochs of \(template.minibatches) minibatches, Adam with step \(template.actorLearningRate). \
    Each variant runs \(iterations) iterations (\(iterations * template.environments) episodes) from \
    \(seeds) seeds; every variant sees the same seeds. \(page.options.full
      ? "The fifth row is section 6's warning made concrete: a shared network without ids."
      : "Run with `--full` for longer runs (\(fullIterations) iterations, \(fullSeeds) seeds) and a fifth variant, a shared network without ids.")
    """)
  // Every (variant, seed) run owns its generator and networks, so the runs can go side by side on
  // all cores and still give the same numbers as one after the other.
  let jobs = variants.indices.flatMap { v in (0..<seeds).map { s in (v, s) } }
  let baseSeed = page.options.seed
  let results = page.experiment(
    "\(variants.count) variants × \(seeds) seeds × \(iterations) iterations", total: jobs.count * iterations
  ) { progress in
    runIndependentJobs(jobs.count, ticksPerJob: iterations, onTick: { progress.advance() }) { k, tick in
      let (v, s) = jobs[k]
      var rng = RandomGenerator(seed: baseSeed &+ 1000 &+ UInt64(s))  // the same seeds for every variant
      var learner = MultiAgentPPO(config: variants[v], environment: environment, rng: &rng)
      var run = Run(parameterCount: learner.networks.parameterCount)
      for _ in 0..<iterations {
        let report = learner.iterate(using: &rng)
        run.curve.append(report.episodeReturns.reduce(0, +) / Double(report.episodeReturns.count))
        run.valueLosses.append(report.valueLoss)
        tick()
      }
      let evaluation = learner.evaluate(episodes: 500, using: &rng)
      (run.final, run.finalError) = (evaluation.mean, evaluation.standardError)
      return run
    }
  }
  let runs = variants.indices.map { v in (0..<seeds).map { s in results[v * seeds + s] } }
  let parameterCounts = runs.map { $0[0].parameterCount }

  // MARK: Results
  let window = max(1, iterations / 20)
  func smoothed(_ xs: [Double]) -> [Double] {
    xs.indices.map { k in mean(Array(xs[max(0, k - window + 1)...k])) }
  }
  var series: [Series] = []
  for (v, variant) in variants.enumerated() {
    let meanCurve = smoothed((0..<iterations).map { k in mean(runs[v].map { $0.curve[k] }) })
    series.append(
      Series(variant.name, points: meanCurve.enumerated().map { (Double(($0.offset + 1) * template.environments), $0.element) }))
  }
  let lastEpisode = Double(iterations * template.environments)
  series.append(Series("fixed roles (exact)", points: [(Double(template.environments), roles), (lastEpisode, roles)]))
  series.append(Series("random (exact)", points: [(Double(template.environments), random), (lastEpisode, random)]))
  page.plot(
    Plot(
      title: "GridSpread: mean return of the training episodes (mean over seeds, moving average of \(window))",
      xLabel: "episodes", yLabel: "return", series: series),
    file: "ch03-gridspread")

  var rows: [[String]] = []
  var finals: [[Double]] = []
  for (v, variant) in variants.enumerated() {
    let f = runs[v].map(\.final)
    finals.append(f)
    let closed = (mean(f) - random) / (roles - random)
    let valueLoss = mean(runs[v].map { mean(Array($0.valueLosses.suffix(5))) })
    rows.append([
      variant.name, "\(parameterCounts[v])", "\(f3(mean(f))) ± \(f3(sampleStd(f)))", "\(f3(f.min()!)) … \(f3(f.max()!))",
      percent(closed), f4(valueLoss),
    ])
  }
  page.table(
    [
      "variant", "parameters", "final return (mean ± sd over seeds)", "min … max", "of the way from random to fixed roles",
      "critic loss (last 5 iterations)",
    ],
    rows: rows, caption: "Final return: 500 evaluation episodes per seed with the stochastic policies.")

  let beatsRandom = runs.flatMap { $0 }.allSatisfy { $0.final > random + 4 * $0.finalError }
  page.checkTrue(
    "every run of every variant ends above the random policy (by more than 4 standard errors)", holds: beatsRandom,
    detail: "lowest final \(f3(finals.flatMap { $0 }.min()!)) vs random \(f3(random))")

  // MARK: What the numbers say (computed, not assumed)
  // A difference of means counts only beyond twice its standard error over seeds.
  func comparison(_ a: Int, _ b: Int, _ what: String) -> (row: [String], verdict: Int) {
    let (x, y) = (finals[a], finals[b])
    let difference = mean(x) - mean(y)
    let noise = 2 * (sampleStd(x) * sampleStd(x) / Double(x.count) + sampleStd(y) * sampleStd(y) / Double(y.count)).squareRoot()
    let verdict = abs(difference) <= noise ? 0 : (difference > 0 ? 1 : -1)
    let words = ["within the noise", "higher", "lower"][verdict == -1 ? 2 : verdict]
    return (
      [what, "\(variants[a].name) − \(variants[b].name)", (difference >= 0 ? "+" : "") + f3(difference), f3(noise), words],
      verdict
    )
  }
  var comparisons = [
    comparison(1, 0, "centralised critic, separate networks"), comparison(3, 2, "centralised critic, shared networks"),
    comparison(0, 2, "separate networks, local critic"), comparison(1, 3, "separate networks, centralised critic"),
  ]
  if variants.count > 4 { comparisons.append(comparison(3, 4, "agent ids in a shared network")) }
  page.table(["question", "difference of mean final returns", "Δ", "2 × SE of Δ", "verdict"], rows: comparisons.map(\.row))
  let order = variants.indices.sorted { mean(finals[$0]) > mean(finals[$1]) }
  let clear = comparisons.filter { $0.verdict != 0 }
  let criticLosses = variants.indices.map { v in mean(runs[v].map { mean(Array($0.valueLosses.suffix(5))) }) }
  let centralisedFitsBetter = criticLosses[1] < criticLosses[0] && criticLosses[3] < criticLosses[2]
  page.prose(
    """
    **What this run shows.** Ranked by mean final return: \(order.map { "*\(variants[$0].name)*" }.joined(separator: " > ")). \
    \(clear.isEmpty
      ? "None of the \(comparisons.count) comparisons is larger than twice its standard error: with \(seeds) seeds and \(iterations) iterations the variants cannot be told apart."
      : "\(clear.count) of the \(comparisons.count) comparisons \(clear.count == 1 ? "exceeds" : "exceed") twice \(clear.count == 1 ? "its" : "their") standard error: " + clear.map { "\($0.row[0]) (\($0.row[2]))" }.joined(separator: "; ") + "; the others are within the seed-to-seed noise.") \
    \(comparisons[2].verdict == 1 && comparisons[3].verdict == 1
      ? "Separate networks beat the shared ones here. A plausible reason: to split the landmarks, a shared network must learn an interaction (which landmark to walk to depends on the id), while separate networks can simply differ; a shared network that ignores its id behaves like section 6's symmetric policies."
      : "")

    \(centralisedFitsBetter
      ? "The centralised critics fit their targets better than the local ones"
      : "The centralised critics did not consistently fit their targets better than the local ones, although they see more") \
    (critic losses \(f4(criticLosses[1])) and \(f4(criticLosses[3])) for MAPPO against \(f4(criticLosses[0])) and \
    \(f4(criticLosses[2])) for IPPO, over the last 5 iterations): the state tells the critic where the \
    partner is, the local observation only when it is within sight. \(centralisedFitsBetter ? "" : "But each critic chases targets that move with its own policy, so its loss is a noisy yardstick. ")\
    A better critic is a better baseline, not automatically a better policy: de Witt et al. (2020) found \
    independent PPO competitive on SMAC, and Yu et al. (2022), who introduced MAPPO, share one network among \
    homogeneous agents by default. Which way a comparison goes depends on the task, the \
    network and the budget. With \(seeds) seeds and \(iterations) iterations these runs are \
    \(page.options.full ? "closer to converged" : "early in learning"); differences within the noise are not findings.
    """)
}
