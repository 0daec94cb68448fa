// Section 5.7: HAPPO, HATRPO, MAPPO with a shared actor and simultaneous separate PPO on
// Kuba et al.'s split-teams game (Proposition 1), with exact returns per iteration.

import Autodiff
import Foundation
import MARL
import Workbook

/// One learning run of the experiment: the exact return J(π_k) of the joint policy after each iteration.
func learningCurve(method: String, game: MatrixGame, iterations: Int, seed: UInt64) -> [Double] {
  var rng = RandomGenerator(seed: seed)
  let environment = MatrixGameEnvironment(game: game)
  let n = game.actionCounts.count
  var curve: [Double] = []
  switch method {
  case "HATRPO":
    var config = HATRPOConfig()
    config.training.hidden = []
    config.training.environments = 64
    config.training.rolloutLength = 1
    var learner = HATRPO(config: config, environment: environment, rng: &rng)
    curve.append(game.expectedPayoff(policies: learner.networks.policies(at: MatrixGameEnvironment.observation)))
    for _ in 0..<iterations {
      _ = learner.iterate(using: &rng)
      curve.append(game.expectedPayoff(policies: learner.networks.policies(at: MatrixGameEnvironment.observation)))
    }
  case "MAPPO, shared":
    var config = MultiAgentPPOConfig.mappo(sharing: .shared(agentIDs: false))
    config.hidden = []
    config.environments = 64
    config.rolloutLength = 1
    config.actorLearningRate = 1e-2
    var learner = MultiAgentPPO(config: config, environment: environment, rng: &rng)
    let inputs = Tensor(shape: [n, 1], scalars: [Double](repeating: 1, count: n))
    func policies() -> [[Double]] { withoutGradients { learner.networks.policy(inputs).probabilities.rows } }
    curve.append(game.expectedPayoff(policies: policies()))
    for _ in 0..<iterations {
      _ = learner.iterate(using: &rng)
      curve.append(game.expectedPayoff(policies: policies()))
    }
  default:  // HAPPO, or the same code updating all agents at once (M = Â for everyone)
    var config = HAPPOConfig()
    config.training.hidden = []
    config.training.environments = 64
    config.training.rolloutLength = 1
    config.actorLearningRate = 1e-2
    config.training.order = method == "HAPPO" ? .randomPermutation : .simultaneous
    var learner = HAPPO(config: config, environment: environment, rng: &rng)
    curve.append(game.expectedPayoff(policies: learner.networks.policies(at: MatrixGameEnvironment.observation)))
    for _ in 0..<iterations {
      _ = learner.iterate(using: &rng)
      curve.append(game.expectedPayoff(policies: learner.networks.policies(at: MatrixGameEnvironment.observation)))
    }
  }
  return curve
}

func experimentSection(_ page: Page) {
  let n = 4
  let game = MatrixGame.splitTeams(agents: n)
  let shared = game.bestSharedPolicy()
  page.prose(
    #"""
    Kuba et al.'s Proposition 1 is a game built to defeat parameter sharing. n agents (n even) each \#
    choose 0 or 1; the team scores 1 only if one half plays 0 and the other half plays 1 (agents \#
    1…n/2 against n/2+1…n, either way round), and 0 otherwise. The optimum, 1, needs the two halves \#
    to behave *differently*. Agents that share one policy and see the same observation play the same \#
    mixed strategy, and the best such strategy scores only $2/2^n$. With n = \#(n):
    """#)
  page.check(
    "best shared policy (numerical maximisation over p) vs Proposition 1's 2/2ⁿ = \(f4(2 / pow(2, Double(n))))",
    computed: shared.value, expected: 2 / pow(2, Double(n)), tolerance: 1e-9)

  let methods = ["HAPPO", "HATRPO", "MAPPO, shared", "PPO, separate, simultaneous"]
  let seeds = page.options.quick ? 2 : page.options.full ? 10 : 4
  let iterations = page.options.quick ? 12 : page.options.full ? 80 : 30
  page.prose(
    #"""
    Four learners, \#(seeds) seeds each, \#(iterations) iterations of 64 one-step episodes:

    - **HAPPO**: separate actors, a fresh random order each iteration, PPO-clip on M (ε = 0.2, 5 epochs, Adam 0.01);
    - **HATRPO**: separate actors, random order, one trust-region step per agent (δ = 0.01, HARL's defaults);
    - **MAPPO, shared**: chapter 3's MAPPO with one actor shared by all agents and no agent id (Adam 0.01);
    - **PPO, separate, simultaneous**: HAPPO's code with the factor switched off, every agent updating \#
    against the old joint policy, as IPPO and MAPPO with separate parameters do.

    The observation is constant, so each actor is a softmax over its two actions, and the return of \#
    the joint policy is computed *exactly* after every iteration, $J(\boldsymbol\pi_k) = \#
    \sum_{\mathbf{a}} \prod_i \pi^i_k(a^i) R(\mathbf{a})$: a decrease in the table is a real \#
    decrease, not sampling noise.
    """#)
  var curves: [String: [[Double]]] = [:]
  page.experiment("\(methods.count) learners × \(seeds) seeds × \(iterations) iterations on the \(n)-agent split-teams game", total: methods.count * seeds) { progress in
    for method in methods {
      for seed in 0..<seeds {
        curves[method, default: []].append(
          learningCurve(method: method, game: game, iterations: iterations, seed: page.options.seed &* 1_000 &+ UInt64(seed) &+ 571))
        progress.advance()
      }
    }
  }

  var rows: [[String]] = []
  var series: [Series] = []
  var finals: [String: [Double]] = [:], decreases: [String: Int] = [:], drops: [String: Double] = [:]
  for method in methods {
    let runs = curves[method]!
    let final = runs.map { $0.last! }
    finals[method] = final
    var count = 0, seedsWithDrop = 0, largest = 0.0
    for run in runs {
      let steps = zip(run.dropFirst(), run).map { $0 - $1 }
      let falls = steps.filter { $0 < -1e-9 }
      count += falls.count
      if !falls.isEmpty { seedsWithDrop += 1 }
      largest = max(largest, -(steps.min() ?? 0))
    }
    decreases[method] = count
    drops[method] = largest
    let solved = final.filter { $0 >= 0.9 }.count
    rows.append([
      method, f3(final.reduce(0, +) / Double(seeds)), "\(f3(final.min()!))–\(f3(final.max()!))", "\(solved)/\(seeds)",
      "\(count)/\(seeds * iterations)", "\(seedsWithDrop)/\(seeds)", f4(largest),
    ])
    let mean = (0...iterations).map { k in runs.reduce(0.0) { $0 + $1[k] } / Double(seeds) }
    let band = (0...iterations).map { k in (x: Double(k), low: runs.map { $0[k] }.min()!, high: runs.map { $0[k] }.max()!) }
    series.append(Series(method, points: mean.enumerated().map { (x: Double($0.offset), y: $0.element) }, band: band))
  }
  page.table(
    ["method", "final J (mean)", "final J (min–max)", "seeds with J ≥ 0.9", "iterations where J fell", "seeds with a fall", "largest fall"],
    rows: rows, caption: "Exact return of the joint policy; optimum 1, best shared policy \(f4(shared.value)).")
  page.plot(
    Plot(title: "Split-teams game, n = \(n): exact return per iteration (mean over \(seeds) seeds, band min–max)", xLabel: "iteration",
      yLabel: "J", series: series),
    file: "ch05-split-teams")
  let sharedBest = curves["MAPPO, shared"]!.flatMap { $0 }.max()!
  page.checkAtMost(
    "MAPPO with a shared actor never beats the best shared policy (all iterations and seeds)", value: sharedBest, bound: shared.value, tolerance: 1e-9)

  // Honest reading of the table, whatever it says.
  let mean = { (method: String) in finals[method]!.reduce(0, +) / Double(seeds) }
  let happoSolved = finals["HAPPO"]!.allSatisfy { $0 >= 0.9 }, hatrpoSolved = finals["HATRPO"]!.allSatisfy { $0 >= 0.9 }
  var reading: [String] = []
  if mean("MAPPO, shared") < shared.value + 1e-6 && mean("HAPPO") > shared.value && mean("HATRPO") > shared.value {
    reading.append(
      "Sharing caps MAPPO at the symmetric optimum \(f4(shared.value)) (it ends at \(f4(mean("MAPPO, shared"))) on average), while both heterogeneous methods climb far above it"
        + (happoSolved && hatrpoSolved ? " and reach J ≥ 0.9 on every seed." : ": HAPPO to \(f3(mean("HAPPO"))) and HATRPO to \(f3(mean("HATRPO"))) on average."))
  } else {
    reading.append(
      "Final returns: HAPPO \(f3(mean("HAPPO"))), HATRPO \(f3(mean("HATRPO"))), MAPPO with sharing \(f3(mean("MAPPO, shared"))), simultaneous separate PPO \(f3(mean("PPO, separate, simultaneous"))).")
  }
  let simultaneousMean = mean("PPO, separate, simultaneous")
  reading.append(
    simultaneousMean >= 0.9 * mean("HAPPO")
      ? "Separate actors updated simultaneously also get there (\(f3(simultaneousMean)) on average): on this game most of the damage is done by sharing, not by updating at once."
      : "Separate actors updated simultaneously end lower (\(f3(simultaneousMean)) on average) than HAPPO, which differs from them only by the factor and the order.")
  let monotone = methods.filter { decreases[$0] == 0 }
  let falling = methods.filter { decreases[$0]! > 0 }.map { "\($0) (\(timesText(decreases[$0]!)), by at most \(f4(drops[$0]!)))" }
  let sequentialFell = decreases["HAPPO"]! > 0 || decreases["HATRPO"]! > 0
  reading.append(
    (monotone.isEmpty ? "No method is monotonic here." : "The return never fell for \(listed(monotone)).")
      + (falling.isEmpty ? "" : " It fell for \(falling.joined(separator: "; ")).")
      + " Theorem 2's guarantee is for exact advantages and exact maximisation; the practical algorithms estimate Â from 64 samples and take approximate steps"
      + (sequentialFell
        ? ", which is how HATRPO or HAPPO can still lose a little, as they did here."
        : ", so a fall was possible for HATRPO and HAPPO too; in these runs none happened."))
  page.prose(reading.joined(separator: " "))

  page.prose(
    #"""
    **Simplifications compared to the paper.** The experiments of Kuba et al. run on multi-agent \#
    MuJoCo and SMAC with recurrent or MLP actors, many parallel environments, value normalisation and \#
    GAE over long episodes; here every episode is one step, each actor is a softmax over two actions, \#
    and the critic is a constant. The algorithms are the same code paths (random permutation, factor \#
    M, PPO-clip or conjugate gradient and line search, centralised critic) that would run on any \#
    `CooperativeEnvironment`.

    **Exercises** (`exercises/05-happo/`): the multi-agent advantage by enumeration, the update of \#
    the factor M, the HAPPO loss, conjugate gradient, and the KL-constrained step with its line \#
    search. `swift test --filter Exercise05` grades them.
    """#)
}
