// Section 5.9: the library's HAPPO and HATRPO, unchanged, on chapter 3's partially observable
// GridSpread, against chapter 3's MAPPO (one actor shared with agent ids) and IPPO (separate actors);
// several seeds, evaluated learning curves, chapter 3's exact references.

import Autodiff
import Foundation
import MARL
import Workbook

/// The learners of the GridSpread comparison.
private enum GridLearner: CaseIterable {
  case happo, hatrpo, mappoSharedWithIDs, ippoSeparate
  /// HAPPO's code with the factor switched off (`--full` only): the ablation of the sequential scheme.
  case simultaneousPPO

  var name: String {
    switch self {
    case .happo: "HAPPO"
    case .hatrpo: "HATRPO"
    case .mappoSharedWithIDs: "MAPPO, shared + ids"
    case .ippoSeparate: "IPPO, separate"
    case .simultaneousPPO: "PPO, separate, simultaneous"
    }
  }
}

// MARK: - The learners' settings

/// Chapter 3's learners, as chapter 3 runs them on GridSpread: the library presets, one whole episode
/// per environment per iteration.
private func ppoConfig(_ learner: GridLearner, horizon: Int) -> MultiAgentPPOConfig {
  var config: MultiAgentPPOConfig =
    learner == .ippoSeparate ? .ippo(sharing: .separate) : .mappo(sharing: .shared(agentIDs: true))
  config.rolloutLength = horizon
  return config
}

/// HATRPO's and HAPPO's training settings: the library's defaults (HARL's, scaled down), with the data
/// per iteration and the network size of chapter 3's learners, so that every learner sees the same
/// number of episodes per iteration and has layers of the same width.
private func trainingConfig(horizon: Int, order: UpdateOrder = .randomPermutation) -> SequentialTrainingConfig {
  let chapter3 = ppoConfig(.ippoSeparate, horizon: horizon)
  var training = SequentialTrainingConfig()
  training.environments = chapter3.environments
  training.rolloutLength = chapter3.rolloutLength
  training.hidden = chapter3.hidden
  training.criticLearningRate = chapter3.criticLearningRate
  training.order = order
  return training
}

private func happoConfig(horizon: Int, order: UpdateOrder = .randomPermutation) -> HAPPOConfig {
  var config = HAPPOConfig()
  config.training = trainingConfig(horizon: horizon, order: order)
  config.actorLearningRate = ppoConfig(.ippoSeparate, horizon: horizon).actorLearningRate
  return config
}

private func hatrpoConfig(horizon: Int) -> HATRPOConfig {
  var config = HATRPOConfig()
  config.training = trainingConfig(horizon: horizon)
  return config
}

// MARK: - One run

/// What a run needs of a learner: one training iteration, and an evaluation. HAPPO, HATRPO and
/// chapter 3's MultiAgentPPO already have `evaluate(episodes:using:)`, with this signature.
private protocol GridSpreadLearner {
  mutating func train(using rng: inout RandomGenerator)
  func evaluate(episodes m: Int, using rng: inout RandomGenerator) -> (mean: Double, standardError: Double)
}
extension HAPPO: GridSpreadLearner {
  fileprivate mutating func train(using rng: inout RandomGenerator) { _ = iterate(using: &rng) }
}
extension HATRPO: GridSpreadLearner {
  fileprivate mutating func train(using rng: inout RandomGenerator) { _ = iterate(using: &rng) }
}
extension MultiAgentPPO: GridSpreadLearner {
  fileprivate mutating func train(using rng: inout RandomGenerator) { _ = iterate(using: &rng) }
}

/// One evaluation: the mean return of fresh episodes with the current stochastic policies, and its
/// standard error.
private struct Evaluation: Sendable {
  var mean: Double
  var standardError: Double
}

/// How long the runs are and how often they are evaluated.
private struct GridSchedule: Sendable {
  var iterations: Int
  var evaluateEvery: Int
  var evaluationEpisodes: Int
  /// The iterations after which the policies are evaluated: 0 (before training), every, 2·every, …
  var checkpoints: [Int] { Array(stride(from: 0, through: iterations, by: evaluateEvery)) }
}

/// Trains `learner` for the schedule's iterations and evaluates it at each checkpoint. The
/// evaluations draw from their own generator, so they change nothing the learner sees.
private func evaluatedCurve(
  _ learner: inout some GridSpreadLearner, schedule: GridSchedule, rng: inout RandomGenerator,
  evaluationRNG: inout RandomGenerator, tick: () -> Void
) -> [Evaluation] {
  ensure(
    schedule.iterations % schedule.evaluateEvery == 0,
    "GridSchedule: \(schedule.iterations) iterations is not a multiple of evaluateEvery \(schedule.evaluateEvery)")
  func evaluation() -> Evaluation {
    let (mean, standardError) = learner.evaluate(episodes: schedule.evaluationEpisodes, using: &evaluationRNG)
    return Evaluation(mean: mean, standardError: standardError)
  }
  var curve = [evaluation()]
  for k in 1...schedule.iterations {
    learner.train(using: &rng)
    if k % schedule.evaluateEvery == 0 { curve.append(evaluation()) }
    tick()
  }
  return curve
}

/// One run of one learner from one seed: its evaluations at the schedule's checkpoints.
private func gridSpreadRun(
  _ learner: GridLearner, environment: GridSpread, schedule: GridSchedule, seed: UInt64, tick: () -> Void
) -> [Evaluation] {
  var rng = RandomGenerator(seed: seed)
  var evaluationRNG = rng.split()
  let horizon = environment.config.horizon
  switch learner {
  case .happo, .simultaneousPPO:
    let order: UpdateOrder = learner == .happo ? .randomPermutation : .simultaneous
    var happo = HAPPO(config: happoConfig(horizon: horizon, order: order), environment: environment, rng: &rng)
    return evaluatedCurve(&happo, schedule: schedule, rng: &rng, evaluationRNG: &evaluationRNG, tick: tick)
  case .hatrpo:
    var hatrpo = HATRPO(config: hatrpoConfig(horizon: horizon), environment: environment, rng: &rng)
    return evaluatedCurve(&hatrpo, schedule: schedule, rng: &rng, evaluationRNG: &evaluationRNG, tick: tick)
  case .mappoSharedWithIDs, .ippoSeparate:
    var ppo = MultiAgentPPO(config: ppoConfig(learner, horizon: horizon), environment: environment, rng: &rng)
    return evaluatedCurve(&ppo, schedule: schedule, rng: &rng, evaluationRNG: &evaluationRNG, tick: tick)
  }
}

// MARK: - Small statistics

private func average(_ xs: [Double]) -> Double { xs.reduce(0, +) / Double(xs.count) }

/// The sample standard deviation (n − 1 in the denominator); 0 for fewer than two values.
private func standardDeviation(_ xs: [Double]) -> Double {
  guard xs.count > 1 else { return 0 }
  let m = average(xs)
  return (xs.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(xs.count - 1)).squareRoot()
}

private func percentText(_ x: Double) -> String { fixed(100 * x, 0) + "%" }

// MARK: - The section

func gridSpreadSection(_ page: Page) {
  let environment = GridSpread()
  let task = environment.config
  let options = page.options
  page.prose(
    """
    The previous section's game has one step and one observation. Nothing in the library's `HAPPO` and \
    `HATRPO` depends on that: they are generic over `CooperativeEnvironment`, and here they run, \
    unchanged, on chapter 3's GridSpread: \(task.agentCount) agents, \(task.agentCount) landmarks on a \
    \(task.size) × \(task.size) grid, \(task.horizon)-step episodes, the reward minus the mean distance \
    from each landmark to its nearest agent, and a partner seen only within distance \(task.viewRadius). \
    Now the critic reads a real state (every position, \(environment.stateSize) numbers) while each \
    actor reads only its own observation (\(environment.observationSize) numbers), and Â comes from GAE \
    over multi-step episodes. Chapter 3's exact references, by enumerating every start:
    """)
  // The four enumerations are independent: they run side by side.
  let references = runIndependentJobs(4, ticksPerJob: 0, onTick: {}) { k, _ in
    switch k {
    case 0: environment.exactCentralisedOptimum()
    case 1: environment.exactReturn(of: .fixedRoles)
    case 2: environment.exactReturn(of: .nearestLandmark)
    default: environment.exactUniformRandomReturn()
    }
  }
  let (optimum, roles, nearest, random) = (references[0], references[1], references[2], references[3])
  page.table(
    ["policy", "expected return (exact)"],
    rows: [
      ["centralised optimum", f3(optimum)], ["fixed roles: agent i walks to landmark i", f3(roles)],
      ["nearest landmark (no roles)", f3(nearest)], ["uniformly random", f3(random)],
    ])

  // MARK: The runs
  var learners: [GridLearner] = [.happo, .hatrpo, .mappoSharedWithIDs, .ippoSeparate]
  if options.full { learners.append(.simultaneousPPO) }
  let (fullSeeds, fullIterations) = (5, 300)
  let seeds = options.quick ? 2 : options.full ? fullSeeds : 3
  let iterations = options.quick ? 8 : options.full ? fullIterations : 24
  let schedule = GridSchedule(
    iterations: iterations, evaluateEvery: options.quick ? 4 : options.full ? 20 : 4,
    evaluationEpisodes: options.full ? 200 : 100)
  let happo = happoConfig(horizon: task.horizon), hatrpo = hatrpoConfig(horizon: task.horizon)
  let mappo = ppoConfig(.mappoSharedWithIDs, horizon: task.horizon), ippo = ppoConfig(.ippoSeparate, horizon: task.horizon)
  var ippoEntropy = 0.0
  if case .ppoClip(let clip) = ippo.objective { ippoEntropy = clip.entropyCoefficient }
  let episodesPerIteration = happo.training.environments  // one whole episode per environment
  page.prose(
    """
    **The learners.** Each collects \(happo.training.environments) environments × one \
    \(task.horizon)-step episode per iteration. HAPPO and HATRPO take chapter 3's sizes and step sizes \
    (one hidden layer of \(happo.training.hidden[0]); Adam \(happo.actorLearningRate) for HAPPO's actors, \
    \(happo.training.criticLearningRate) for both critics); everything else is each algorithm's library \
    default.

    - **HAPPO**: one actor per agent, a fresh random order each iteration, PPO-clip on M \
    (ε = \(happo.clipEpsilon), \(happo.epochs) full-batch epochs per agent, Adam \(happo.actorLearningRate), \
    entropy bonus \(happo.entropyCoefficient)), a centralised critic V(s) with GAE \
    (γ = \(happo.training.gamma), λ = \(happo.training.lambda)), tanh layers;
    - **HATRPO**: the same actors, critic and order, but one trust-region step per agent \
    (δ = \(hatrpo.trustRegion.maxKL), \(hatrpo.trustRegion.conjugateGradientIterations) conjugate-gradient \
    iterations, a backtracking line search, no entropy bonus);
    - **MAPPO, shared + ids**: chapter 3's preset, one actor for both agents with a one-hot id, \
    critic V(s), \(mappo.epochs) epochs of \(mappo.minibatches) minibatches, Adam \(mappo.actorLearningRate), \
    ReLU layers;
    - **IPPO, separate**: chapter 3's preset, one actor per agent updated simultaneously, each with \
    its own critic of its *observation*.
    \(options.full
      ? "- **PPO, separate, simultaneous**: HAPPO's code with the factor switched off (every agent against the old joint policy, M = Â): it differs from HAPPO *only* in the order and the factor."
      : "")

    Each learner runs \(iterations) iterations (\(iterations * episodesPerIteration) episodes) from \
    \(seeds) seeds, every learner from the same seeds, and is evaluated before training and every \
    \(schedule.evaluateEvery) iterations on \(schedule.evaluationEpisodes) fresh episodes with its \
    stochastic policies. \(options.full
      ? ""
      : "`--full`: \(fullIterations) iterations, \(fullSeeds) seeds and the ablation of HAPPO without the factor.")
    """)
  // Every (learner, seed) run owns its generators and networks, so the runs can go side by side on
  // all cores and still give the same numbers as one after the other.
  let jobs = learners.flatMap { learner in (0..<seeds).map { (learner, $0) } }
  let baseSeed = options.seed
  let results = page.experiment(
    "\(learners.count) learners × \(seeds) seeds × \(iterations) iterations on GridSpread", total: jobs.count * iterations
  ) { progress in
    runIndependentJobs(jobs.count, ticksPerJob: iterations, onTick: { progress.advance() }) { k, tick in
      let (learner, s) = jobs[k]
      let seed = baseSeed &* 1_000 &+ UInt64(s) &+ 919  // the same seeds for every learner
      return gridSpreadRun(learner, environment: environment, schedule: schedule, seed: seed, tick: tick)
    }
  }
  var runs: [GridLearner: [[Evaluation]]] = [:]
  for (k, (learner, _)) in jobs.enumerated() { runs[learner, default: []].append(results[k]) }

  // MARK: A check against the exact references
  // Before training every actor is near uniform (its output layer starts at gain 0.01), so HAPPO's
  // first evaluations, pooled over seeds, estimate the uniformly random policy's exact value.
  let starts = runs[.happo]!.map { $0[0] }
  let pooledSE = starts.reduce(0) { $0 + $1.standardError * $1.standardError }.squareRoot() / Double(starts.count)
  page.check(
    "HAPPO's evaluation before training (\(seeds) × \(schedule.evaluationEpisodes) episodes) = the random policy's exact value (4 SE)",
    computed: average(starts.map(\.mean)), expected: random, tolerance: 4 * pooledSE)

  // MARK: Learning curves
  let checkpoints = schedule.checkpoints
  let episodes = checkpoints.map { Double($0 * episodesPerIteration) }
  var series = learners.map { learner in
    let curve = checkpoints.indices.map { c in average(runs[learner]!.map { $0[c].mean }) }
    return Series(learner.name, points: Array(zip(episodes, curve)).map { (x: $0.0, y: $0.1) })
  }
  // The fixed-roles line is drawn once a learner's mean is half way to it; before that it would only
  // squash the curves (the table gives it).
  let highest = series.flatMap { $0.points.map(\.y) }.max()!
  if highest >= (random + roles) / 2 {
    series.append(Series("fixed roles (exact)", points: [(episodes.first!, roles), (episodes.last!, roles)]))
  }
  series.append(Series("random (exact)", points: [(episodes.first!, random), (episodes.last!, random)]))
  page.plot(
    Plot(
      title: "GridSpread: evaluated return (mean of \(seeds) seeds, \(schedule.evaluationEpisodes) episodes per evaluation)",
      xLabel: "training episodes", yLabel: "return", series: series),
    file: "ch05-gridspread")

  // MARK: Results
  // A change between two evaluations counts as more than noise only beyond twice its standard error.
  func noise(_ a: Evaluation, _ b: Evaluation) -> Double {
    2 * (a.standardError * a.standardError + b.standardError * b.standardError).squareRoot()
  }
  var finals: [GridLearner: [Double]] = [:]
  var falls: [GridLearner: Int] = [:], bigFalls: [GridLearner: Int] = [:], improved: [GridLearner: Int] = [:]
  var rows: [[String]] = []
  for learner in learners {
    let curves = runs[learner]!
    let final = curves.map { $0.last!.mean }
    finals[learner] = final
    let steps = curves.flatMap { curve in zip(curve, curve.dropFirst()) }
    falls[learner] = steps.filter { $0.1.mean < $0.0.mean }.count
    bigFalls[learner] = steps.filter { $0.0.mean - $0.1.mean > noise($0.0, $0.1) }.count
    improved[learner] = curves.filter { $0.last!.mean - $0[0].mean > noise($0[0], $0.last!) }.count
    rows.append([
      learner.name, "\(f3(average(final))) ± \(f3(standardDeviation(final)))", "\(f3(final.min()!)) … \(f3(final.max()!))",
      percentText((average(final) - random) / (roles - random)), "\(improved[learner]!)/\(seeds)",
      "\(falls[learner]!)/\(steps.count)", "\(bigFalls[learner]!)",
    ])
  }
  page.table(
    [
      "learner", "final return (mean ± sd over seeds)", "min … max", "of the way from random to fixed roles",
      "runs above their start (> 2 SE)", "falls between evaluations", "falls > 2 SE",
    ],
    rows: rows,
    caption:
      "Final return: the last evaluation. Exact references: optimum \(f3(optimum)), fixed roles \(f3(roles)), nearest landmark \(f3(nearest)), random \(f3(random))."
  )

  // A difference of means counts only beyond twice its standard error over seeds.
  func comparison(_ a: GridLearner, _ b: GridLearner) -> (row: [String], verdict: Int) {
    let (x, y) = (finals[a]!, finals[b]!)
    let difference = average(x) - average(y)
    let variance = [x, y].reduce(0.0) { $0 + standardDeviation($1) * standardDeviation($1) / Double($1.count) }
    let threshold = 2 * variance.squareRoot()
    let verdict = abs(difference) <= threshold ? 0 : (difference > 0 ? 1 : -1)
    let words = verdict == 0 ? "within the noise" : verdict > 0 ? "higher" : "lower"
    return (["\(a.name) − \(b.name)", (difference >= 0 ? "+" : "") + f3(difference), f3(threshold), words], verdict)
  }
  var pairs: [(GridLearner, GridLearner)] = []
  for (k, a) in learners.enumerated() { for b in learners[(k + 1)...] { pairs.append((a, b)) } }
  let comparisons = pairs.map { comparison($0.0, $0.1) }
  page.table(["difference of mean final returns", "Δ", "2 × SE of Δ", "verdict"], rows: comparisons.map(\.row))

  // MARK: What the numbers say (computed, not assumed)
  let mean = { (learner: GridLearner) in average(finals[learner]!) }
  let progress = { (learner: GridLearner) in (mean(learner) - random) / (roles - random) }
  let ranked = learners.sorted { mean($0) > mean($1) }
  let best = ranked[0]
  var reading: [String] = []
  reading.append(
    "**What this run shows.** After \(iterations) iterations (\(iterations * episodesPerIteration) episodes), ranked by mean final return: "
      + ranked.map { "*\($0.name)* (\(f3(mean($0))))" }.joined(separator: " > ") + ".")
  let allImproved = learners.allSatisfy { improved[$0] == seeds }
  reading.append(
    allImproved
      ? "Every run of every learner ended above its own start by more than twice the evaluation noise: all of them learn from this data, HAPPO and HATRPO included."
      : "Runs that ended above their own start by more than twice the evaluation noise: "
        + learners.map { "*\($0.name)* \(improved[$0]!)/\(seeds)" }.joined(separator: ", ") + ".")
  if progress(best) < 0.5 {
    reading.append(
      "Even the best, *\(best.name)*, has covered only \(percentText(progress(best))) of the way from the random policy (\(f3(random))) to the hand-written fixed roles (\(f3(roles))): these runs are early in learning\(options.full ? "" : " (`--full` runs \(fullIterations) iterations)")."
    )
  } else {
    let pastNearest = learners.filter { mean($0) > nearest }.map { "*\($0.name)*" }
    reading.append(
      "The best, *\(best.name)*, has covered \(percentText(progress(best))) of the way from the random policy (\(f3(random))) to the hand-written fixed roles (\(f3(roles)))"
        + (pastNearest.isEmpty
          ? "; no learner's mean beats the hand-written policy without roles, nearest landmark (\(f3(nearest)))."
          : "; \(listed(pastNearest)) \(pastNearest.count == 1 ? "beats" : "beat") the hand-written policy without roles, nearest landmark (\(f3(nearest))), on average.")
    )
  }
  let clear = comparisons.filter { $0.verdict != 0 }
  reading.append(
    clear.isEmpty
      ? "None of the \(comparisons.count) differences exceeds twice its standard error: with \(seeds) seeds the learners cannot be told apart here."
      : "\(clear.count) of the \(comparisons.count) differences \(clear.count == 1 ? "exceeds" : "exceed") twice \(clear.count == 1 ? "its" : "their") standard error ("
        + clear.map { "*\($0.row[0])* = \($0.row[1])" }.joined(separator: "; ")
        + ")"
        + (clear.count == comparisons.count
          ? "."
          : clear.count == comparisons.count - 1 ? "; the other is within the noise." : "; the others are within the noise.")
        + " With \(seeds) seeds the standard error is itself a rough estimate.")
  page.prose(reading.joined(separator: " "))

  var caveats: [String] = []
  caveats.append(
    "HAPPO and IPPO differ in more than the order and the factor: the critic reads the state or the observation; tanh or ReLU layers; per iteration, \(happo.epochs) full-batch Adam steps per actor against \(ippo.epochs) epochs of \(ippo.minibatches) minibatches, \(ippo.epochs * ippo.minibatches) smaller steps; an entropy bonus of \(happo.entropyCoefficient) against \(ippoEntropy). A gap between them is not the factor's doing alone, and a comparison after a fixed number of iterations is also one of these update budgets."
  )
  if options.full {
    let ablation = comparison(.happo, .simultaneousPPO)
    caveats.append(
      ablation.verdict == 0
        ? "The ablation that removes only the order and the factor ends within the noise of HAPPO (Δ = \(ablation.row[1])): on this task, with \(seeds) seeds, no effect of the sequential scheme is measurable."
        : "The ablation that removes only the order and the factor ends \(ablation.verdict > 0 ? "below" : "above") HAPPO by more than twice the standard error (HAPPO − ablation = \(ablation.row[1]))."
    )
  }
  let sequential: [GridLearner] = [.happo, .hatrpo]
  let sequentialBigFalls = sequential.reduce(0) { $0 + bigFalls[$1]! }
  caveats.append(
    "The evaluated return fell between consecutive evaluations "
      + listed(
        learners.map {
          falls[$0]! == 0
            ? "never for *\($0.name)*" : "\(timesText(falls[$0]!)) for *\($0.name)* (\(bigFalls[$0]!) beyond twice the noise)"
        })
      + ". "
      + (sequentialBigFalls == 0
        ? "No fall of HAPPO or HATRPO exceeds the evaluation noise. Theorem 2 does not promise even that here: its monotonic improvement is for exact advantages and the penalised objective, and these learners estimate Â by GAE from \(happo.training.environments * task.horizon) joint steps per iteration."
        : "HAPPO's and HATRPO's returns fell beyond the noise \(timesText(sequentialBigFalls)) in all: Theorem 2's monotonic improvement is for exact advantages and the penalised objective, and these learners estimate Â by GAE from \(happo.training.environments * task.horizon) joint steps per iteration, so nothing forbids it.")
      + " With \(checkpoints.count - 1) intervals per run these counts describe the runs; they do not test a difference between the learners."
  )
  caveats.append(
    "What the run does show without qualification: the code of the previous section (rollouts, the random permutation, the factor M, PPO-clip or conjugate gradient with a line search, the centralised critic) ran as it is on a partially observable task with \(task.horizon)-step episodes."
  )
  page.prose(caveats.joined(separator: " "))

  page.prose(
    """
    **Exercises** (`exercises/05-happo/`): the multi-agent advantage by enumeration, the update of \
    the factor M, the HAPPO loss, conjugate gradient, the KL-constrained step with its line \
    search, and a uniformly random order of the agents. `swift test --filter Exercise05` grades them.
    """)
}
