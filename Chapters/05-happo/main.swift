// Chapter 5: heterogeneous-agent trust-region learning. The multi-agent advantage decomposition
// (Lemma 1) proved step by step and checked exactly; why simultaneous trust-region updates can lower
// the return (the r = a¹a² game); the monotonic improvement bound (Lemma 2); HATRPO's natural-gradient
// step; HAPPO's sequential PPO with the factor M; and an experiment where parameter sharing fails.

import Autodiff
import Foundation
import MARL
import Workbook

let chapter = Chapter(
  number: 5, slug: "happo", title: "Heterogeneous-agent trust regions: the advantage decomposition, HATRPO and HAPPO")

/// The 3-agent example game and its random policies, the same in every section for a given seed.
func exampleGame(seed: UInt64) -> (game: MatrixGame, policies: [[Double]]) {
  var rng = RandomGenerator(seed: seed &+ 501)
  let game = randomGame(actionCounts: [2, 3, 2], using: &rng)
  let policies = game.actionCounts.map { randomPolicy($0, using: &rng) }
  return (game, policies)
}

/// The small Markov game of the chapter: 3 states, agents with 2, 3 and 2 actions, γ = 0.9, and a
/// random joint policy.
func exampleMarkovGame(seed: UInt64) -> (game: TabularMarkovGame, policy: ProductPolicy) {
  var rng = RandomGenerator(seed: seed &+ 502)
  let game = TabularMarkovGame.random(states: 3, actionCounts: [2, 3, 2], gamma: 0.9, using: &rng)
  return (game, ProductPolicy.random(states: 3, actionCounts: [2, 3, 2], using: &rng))
}

// MARK: - 5.1 Definitions

chapter.section("The multi-agent Q-function and advantage") { page in
  page.prose(
    #"""
    The setting is a cooperative Markov game: n agents see the state s, agent i draws its action \#
    $a^i$ from its own policy $\pi^i(\cdot \mid s)$, and the team shares one reward. The joint \#
    policy is the product $\boldsymbol\pi(\mathbf{a} \mid s) = \prod_i \pi^i(a^i \mid s)$, with the \#
    usual values $V_{\boldsymbol\pi}(s)$ and $Q_{\boldsymbol\pi}(s, \mathbf{a})$.

    A single-agent trust-region method asks how much better an action is than the policy's average. \#
    With many agents a finer question pays off: *if some agents have already settled on their \#
    actions, what is one more agent's choice worth?* Kuba et al. (ICLR 2022) answer it with two \#
    definitions. Write $i_{1:m}$ for an ordered list of m distinct agents, $-i_{1:m}$ for everyone \#
    else, and $j_{1:k}$ for a second list that shares no agent with the first. The **multi-agent \#
    Q-function** averages the joint Q over the actions of the agents that have not committed:
    """#)
  page.equation(#"Q^{i_{1:m}}_{\boldsymbol\pi}(s, \mathbf{a}^{i_{1:m}}) = \mathbb{E}_{\mathbf{a}^{-i_{1:m}} \sim \boldsymbol\pi^{-i_{1:m}}}\left[ Q_{\boldsymbol\pi}(s, \mathbf{a}^{i_{1:m}}, \mathbf{a}^{-i_{1:m}}) \right]"#)
  page.prose("and the **multi-agent advantage** measures what committing $i_{1:m}$ adds once $j_{1:k}$ have committed:")
  page.equation(#"A^{i_{1:m}}_{\boldsymbol\pi}(s, \mathbf{a}^{j_{1:k}}, \mathbf{a}^{i_{1:m}}) = Q^{j_{1:k}, i_{1:m}}_{\boldsymbol\pi}(s, \mathbf{a}^{j_{1:k}}, \mathbf{a}^{i_{1:m}}) - Q^{j_{1:k}}_{\boldsymbol\pi}(s, \mathbf{a}^{j_{1:k}})"#)
  page.prose(
    #"""
    The two ends of the scale are familiar. If nobody has committed, \#
    $Q^{\varnothing}_{\boldsymbol\pi}(s) = V_{\boldsymbol\pi}(s)$; if everybody has, \#
    $Q^{\mathcal{N}}_{\boldsymbol\pi}(s, \mathbf{a}) = Q_{\boldsymbol\pi}(s, \mathbf{a})$. In between, \#
    $Q^{i_{1:m}}$ is an ordinary conditional expectation, and on a small game it is computed exactly \#
    by visiting every joint action and weighting it by the policies of the agents that are still free:
    """#)
  page.code("multi-agent-q")

  let (game, policies) = exampleGame(seed: page.options.seed)
  let values = game.multiAgentQ(policies: policies)
  let best = values.space.actions(of: game.optimum.jointAction)
  let shown = policies.enumerated().map { "π\(superscript($0.offset + 1)) = (\($0.element.map(f3).joined(separator: ", ")))" }
  page.prose(
    #"""
    **An example.** Three agents with 2, 3 and 2 actions play a one-step game (a matrix game, so \#
    $Q_{\boldsymbol\pi}(\mathbf{a}) = R(\mathbf{a})$) whose payoffs are random integers in −10…10, \#
    with random stochastic policies \#(shown.joined(separator: ", ")). The best joint action is \#
    \#(describe([0, 1, 2], best)), worth \#(f3(game.optimum.value)). Here is what the team expects as \#
    its agents commit to it one at a time, in two different orders:
    """#)
  var rows: [[String]] = []
  for order in [[0, 1, 2], [2, 0, 1]] {
    for m in 0...3 {
      let agents = Array(order[..<m])
      let actions = agents.map { best[$0] }
      let value = values.q(agents: agents, actions: actions)
      let change = m == 0 ? "—" : f3(value - values.q(agents: Array(agents.dropLast()), actions: Array(actions.dropLast())))
      rows.append([arrow(order), agentSet(agents), f3(value), change])
    }
  }
  page.table(
    ["order", "committed $i_{1:m}$", "$Q^{i_{1:m}}$", "change: $A^{i_m}(s, \\mathbf{a}^{i_{1:m-1}}, a^{i_m})$"], rows: rows,
    caption: "Each row fixes one more agent's action; the change is that agent's advantage given the agents before it.")
  let lastWorth = values.advantage(agents: [2], actions: [best[2]], given: [0, 1], givenActions: [best[0], best[1]])
  let firstWorth = values.advantage(agents: [2], actions: [best[2]])
  page.prose(
    """
    Both orders start at V and end at R(a*); only the route differs. Agent 3's choice a³ = \(best[2]) \
    is worth \(f3(lastWorth)) when it commits last, after the others, and \(f3(firstWorth)) when it \
    commits first, while its partners are still random. Who goes first changes how the credit is \
    split, never the total: that observation is the whole of the next section.
    """)
  page.check(
    "$Q^{\\varnothing}$ equals the expected payoff $J(\\boldsymbol\\pi)$ (computed by chapter 3's code)",
    computed: values.value, expected: game.expectedPayoff(policies: policies), tolerance: 1e-12)

  // Monte Carlo: draw the free agents' actions and average.
  var rng = RandomGenerator(seed: page.options.seed &+ 511)
  let samples = page.options.quick ? 4_000 : 10_000
  var worst = 0.0
  var compared = 0
  for agents in [[0], [1], [0, 2], [2, 1]] {
    for actions in values.space.assignments(to: agents) {
      let estimate = values.monteCarloQ(agents: agents, actions: actions, samples: samples, using: &rng)
      worst = max(worst, abs(estimate.mean - values.q(agents: agents, actions: actions)) / estimate.standardError)
      compared += 1
    }
  }
  page.checkAtMost(
    "all \(compared) values of $Q^{1}, Q^{2}, Q^{1,3}, Q^{3,2}$: enumeration vs \(samples) sampled actions each (largest gap, in standard errors)",
    value: worst, bound: 4.5)

  page.prose(
    #"""
    **In a Markov game** the joint Q includes the future, $Q_{\boldsymbol\pi}(s, \mathbf{a}) = \#
    r(s, \mathbf{a}) + \gamma \sum_{s'} P(s' \mid s, \mathbf{a}) V_{\boldsymbol\pi}(s')$, and \#
    $V_{\boldsymbol\pi}$ solves the Bellman equation, a linear system with one equation per state:
    """#)
  page.equation(#"V_{\boldsymbol\pi} = (I - \gamma P_{\boldsymbol\pi})^{-1} r_{\boldsymbol\pi}, \qquad P_{\boldsymbol\pi}(s' \mid s) = \sum_{\mathbf{a}} \boldsymbol\pi(\mathbf{a} \mid s)\, P(s' \mid s, \mathbf{a}), \quad r_{\boldsymbol\pi}(s) = \sum_{\mathbf{a}} \boldsymbol\pi(\mathbf{a} \mid s)\, r(s, \mathbf{a})"#)
  let (markov, π) = exampleMarkovGame(seed: page.options.seed)
  let evaluation = markov.evaluate(π)
  page.prose(
    #"""
    The chapter's small Markov game has 3 states, the same three agents (2, 3 and 2 actions), random \#
    transitions, rewards in [−1, 1] and γ = \#(markov.gamma), and a random joint policy. Once \#
    $Q_{\boldsymbol\pi}(s, \cdot)$ is known in a state, every $Q^{i_{1:m}}$ and $A^{i_{1:m}}$ of \#
    that state follows by the same enumeration. Two independent checks of the exact evaluation:
    """#)
  let bellman = (0..<markov.stateCount).map { evaluation.multiAgentQ(state: $0).value }
  page.check(
    "$\\sum_{\\mathbf{a}} \\boldsymbol\\pi(\\mathbf{a} \\mid s) Q_{\\boldsymbol\\pi}(s, \\mathbf{a})$ equals $V_{\\boldsymbol\\pi}(s)$ in all 3 states",
    computed: bellman, expected: evaluation.values, tolerance: 1e-12)
  let probe = [1, 2, 0]
  let episodes = page.options.quick ? 2_000 : 5_000
  let rollout = markov.monteCarloQ(π, state: 0, actions: probe, episodes: episodes, horizon: 120, using: &rng)
  let exactQ = evaluation.q[0][markov.space.index(of: probe)]
  page.check(
    "$Q_{\\boldsymbol\\pi}(s_0, (1, 2, 0))$: linear solve vs \(episodes) simulated episodes (within 4 standard errors)",
    computed: rollout.mean, expected: exactQ, tolerance: 4 * rollout.standardError)
}

// MARK: - 5.2 Lemma 1

chapter.section("The multi-agent advantage decomposition (Lemma 1)") { page in
  page.prose(
    #"""
    **Lemma 1** (Kuba et al. 2022). In any cooperative Markov game, for any joint policy \#
    $\boldsymbol\pi$, any state s, any ordered list of agents $i_{1:m}$ and any of their joint actions,
    """#)
  page.equation(#"A^{i_{1:m}}_{\boldsymbol\pi}(s, \mathbf{a}^{i_{1:m}}) = \sum_{j=1}^{m} A^{i_j}_{\boldsymbol\pi}(s, \mathbf{a}^{i_{1:j-1}}, a^{i_j})"#)
  page.prose(
    #"""
    The joint advantage of a group is the sum of its members' advantages, each taken *given the \#
    actions of the members before it*. No assumption on the game is needed: no additive or monotonic \#
    value decomposition (chapter 2), no independence of rewards. The proof is a telescoping sum; \#
    here it is one step at a time, each step checked on the 3-agent game of §5.1 and on the Markov game.
    """#)

  let (game, policies) = exampleGame(seed: page.options.seed)
  let values = game.multiAgentQ(policies: policies)
  let joint = values.space.all
  let orderings = allOrderings(of: 3)
  let subsets = allOrderedSubsets(of: 3)
  let (markov, π) = exampleMarkovGame(seed: page.options.seed)
  let evaluation = markov.evaluate(π)
  let stateValues = (0..<markov.stateCount).map { evaluation.multiAgentQ(state: $0) }

  // Step 1: the tower property.
  page.step(
    "Committing one more agent and then averaging over its action undoes the commitment, because the agents draw their actions independently:",
    #"Q^{i_{1:j-1}}_{\boldsymbol\pi}(s, \mathbf{a}^{i_{1:j-1}}) = \sum_{a^{i_j}} \pi^{i_j}(a^{i_j} \mid s)\, Q^{i_{1:j}}_{\boldsymbol\pi}(s, \mathbf{a}^{i_{1:j-1}}, a^{i_j})"#)
  var towerGap = 0.0
  var towerCount = 0
  for q in [values] + stateValues {
    for prefix in subsets {
      let last = prefix.last!, before = Array(prefix.dropLast())
      for actions in q.space.assignments(to: before) {
        var averaged = 0.0
        for a in 0..<q.space.actionCounts[last] {
          averaged += q.policies[last][a] * q.q(agents: prefix, actions: actions + [a])
        }
        towerGap = max(towerGap, abs(averaged - q.q(agents: before, actions: actions)))
        towerCount += 1
      }
    }
  }
  page.check(
    "every ordered prefix and action of the matrix game and the 3 states: average of $Q^{i_{1:j}}$ = $Q^{i_{1:j-1}}$ (\(towerCount) cases)",
    computed: towerGap, expected: 0, tolerance: 1e-12)

  // Step 2: increments are advantages with mean zero.
  page.step(
    "So each increment of the chain $Q^{\\varnothing} = V, Q^{i_1}, Q^{i_{1:2}}, \\ldots$ is one agent's advantage given its predecessors, and it averages to zero under that agent's own policy:",
    #"A^{i_j}_{\boldsymbol\pi}(s, \mathbf{a}^{i_{1:j-1}}, a^{i_j}) = Q^{i_{1:j}}_{\boldsymbol\pi} - Q^{i_{1:j-1}}_{\boldsymbol\pi}, \qquad \mathbb{E}_{a^{i_j} \sim \pi^{i_j}}\left[ A^{i_j}_{\boldsymbol\pi}(s, \mathbf{a}^{i_{1:j-1}}, a^{i_j}) \right] = 0"#)
  var meanGap = 0.0
  for q in [values] + stateValues {
    for prefix in subsets {
      let last = prefix.last!, before = Array(prefix.dropLast())
      for actions in q.space.assignments(to: before) {
        var mean = 0.0
        for a in 0..<q.space.actionCounts[last] {
          mean += q.policies[last][a] * q.advantage(agents: [last], actions: [a], given: before, givenActions: actions)
        }
        meanGap = max(meanGap, abs(mean))
      }
    }
  }
  page.check(
    "$\\mathbb{E}_{a^{i_j} \\sim \\pi^{i_j}}[A^{i_j}(s, \\mathbf{a}^{i_{1:j-1}}, a^{i_j})] = 0$ for the same \(towerCount) cases",
    computed: meanGap, expected: 0, tolerance: 1e-12)

  // Step 3: telescoping.
  page.step(
    "Add the increments along the order. Every intermediate $Q^{i_{1:j}}$ appears once with a plus and once with a minus, and only the two ends survive:",
    #"\sum_{j=1}^{m} A^{i_j}_{\boldsymbol\pi}(s, \mathbf{a}^{i_{1:j-1}}, a^{i_j}) = \sum_{j=1}^{m} \left[ Q^{i_{1:j}}_{\boldsymbol\pi} - Q^{i_{1:j-1}}_{\boldsymbol\pi} \right] = Q^{i_{1:m}}_{\boldsymbol\pi}(s, \mathbf{a}^{i_{1:m}}) - Q^{\varnothing}_{\boldsymbol\pi}(s)"#)
  let example = [2, 0, 1]
  let bestActions = values.space.actions(of: game.optimum.jointAction)
  let terms = values.sequentialAdvantages(order: example, actions: example.map { bestActions[$0] })
  let bestPayoff = game.payoff(bestActions)
  let expectedPayoff = game.expectedPayoff(policies: policies)
  page.prose(
    #"""
    With the order 3 → 1 → 2 and the best joint action of §5.1 the terms are \#
    \#(terms.map(f4).joined(separator: " + ")) = \#(f4(terms.reduce(0, +))), and the two ends are \#
    R(a*) = \#(f4(bestPayoff)) (read from the payoff table) and J(π) = \#(f4(expectedPayoff)).
    """#)
  page.check(
    "this example: sum of the three terms vs R(a*) − J(π), both ends computed without $Q^{i_{1:m}}$",
    computed: terms.reduce(0, +), expected: bestPayoff - expectedPayoff, tolerance: 1e-12)

  // Step 4: Lemma 1.
  page.step(
    "The left end is the definition of the group's advantage with no predecessors, since $Q^{\\varnothing} = V$. That is Lemma 1:",
    #"A^{i_{1:m}}_{\boldsymbol\pi}(s, \mathbf{a}^{i_{1:m}}) = Q^{i_{1:m}}_{\boldsymbol\pi}(s, \mathbf{a}^{i_{1:m}}) - V_{\boldsymbol\pi}(s) = \sum_{j=1}^{m} A^{i_j}_{\boldsymbol\pi}(s, \mathbf{a}^{i_{1:j-1}}, a^{i_j}) \qquad \square"#)
  // Whole team: the left side straight from the payoff table and the expected payoff (chapter 3's code).
  var lemmaGap = 0.0
  for order in orderings {
    for a in joint {
      let left = game.payoff(a) - expectedPayoff
      lemmaGap = max(lemmaGap, abs(values.sequentialAdvantages(order: order, actions: order.map { a[$0] }).reduce(0, +) - left))
    }
  }
  page.check(
    "matrix game, whole team: all 6 orders × \(joint.count) joint actions, $\\sum_j A^{i_j}$ vs $R(\\mathbf{a}) - J(\\boldsymbol\\pi)$",
    computed: lemmaGap, expected: 0, tolerance: 1e-12)
  // Every ordered subset; the left side by the definition with V from the independent evaluator.
  var subsetGap = 0.0, subsetCases = 0
  for order in subsets {
    for actions in values.space.assignments(to: order) {
      let left = values.q(agents: order, actions: actions) - expectedPayoff
      subsetGap = max(subsetGap, abs(values.sequentialAdvantages(order: order, actions: actions).reduce(0, +) - left))
      subsetCases += 1
    }
  }
  page.check(
    "matrix game, every ordered sub-team $i_{1:m}$ (\(subsets.count) of them) and its actions: \(subsetCases) cases",
    computed: subsetGap, expected: 0, tolerance: 1e-12)
  // The Markov game: Q from exact policy evaluation, V from the linear solve.
  var markovGap = 0.0
  for s in 0..<markov.stateCount {
    for order in orderings {
      for (index, a) in markov.space.all.enumerated() {
        let left = evaluation.q[s][index] - evaluation.values[s]
        markovGap = max(markovGap, abs(stateValues[s].sequentialAdvantages(order: order, actions: order.map { a[$0] }).reduce(0, +) - left))
      }
    }
  }
  page.check(
    "Markov game: 3 states × 6 orders × \(markov.space.count) joint actions, $\\sum_j A^{i_j}$ vs $Q_{\\boldsymbol\\pi}(s, \\mathbf{a}) - V_{\\boldsymbol\\pi}(s)$",
    computed: markovGap, expected: 0, tolerance: 1e-12)

  // What it buys: greedy sequential choice.
  page.prose(
    #"""
    **What the lemma buys.** Since each term has mean zero (step 2), its largest value is never \#
    negative. So if the agents choose *in turn*, each picking an action with a non-negative advantage \#
    given the choices already made, every term of the sum is non-negative and so is the joint \#
    advantage: the team cannot do worse than its current policy. On the 3-agent game, letting each \#
    agent in turn take its best action given its predecessors:
    """#)
  var worstSequential = Double.infinity
  var sequentialRows: [[String]] = []
  for order in orderings {
    var chosen: [Int] = []
    for (j, agent) in order.enumerated() {
      let before = Array(order[..<j])
      let options = (0..<values.space.actionCounts[agent]).map {
        values.advantage(agents: [agent], actions: [$0], given: before, givenActions: chosen)
      }
      chosen.append(options.indices.max { options[$0] < options[$1] }!)
    }
    var a = [0, 0, 0]
    for (agent, action) in zip(order, chosen) { a[agent] = action }
    let jointAdvantage = game.payoff(a) - expectedPayoff
    worstSequential = min(worstSequential, jointAdvantage)
    sequentialRows.append([arrow(order), describe([0, 1, 2], a), f3(jointAdvantage)])
  }
  page.table(["order", "joint action chosen in turn", "$A_{\\boldsymbol\\pi}(\\mathbf{a}) = R(\\mathbf{a}) - J(\\boldsymbol\\pi)$"], rows: sequentialRows)
  page.checkAtLeast("every order: the sequential greedy joint action has a non-negative advantage", value: worstSequential, bound: 0)

  // The contrast: simultaneous greedy choice on a 2×2 game of our own.
  let trap = MatrixGame(name: "best-response trap", matrix: [[0, 2], [2, -1]])
  let p = 0.7
  let trapPolicies = [[p, 1 - p], [p, 1 - p]]
  let trapValues = trap.multiAgentQ(policies: trapPolicies)
  let own = (0..<2).map { agent in (0..<2).map { trapValues.advantage(agents: [agent], actions: [$0]) } }
  let simultaneous = own.map { row in row.indices.max { row[$0] < row[$1] }! }
  let jOld = trap.expectedPayoff(policies: trapPolicies)
  page.prose(
    #"""
    Choosing *simultaneously* has no such guarantee. Take the 2×2 game R(0,0) = 0, R(0,1) = R(1,0) = 2, \#
    R(1,1) = −1 (our own construction), with both agents playing action 0 with probability p = \#(p). \#
    Against a partner who still plays π, action 1 is each agent's better choice: \#
    $A^{1}(1) = $ \#(f3(own[0][1])) against $A^{1}(0) = $ \#(f3(own[0][0])), and the same for agent 2. \#
    By hand, J(π) = 2·2p(1 − p) − (1 − p)² = 0.75 and R(1, 1) = −1.
    """#)
  page.check("J(π) of the 2×2 game at p = 0.7: enumeration vs the hand value 0.75", computed: jOld, expected: 0.75, tolerance: 1e-12)
  page.check(
    "both agents switching to their individually best action: R(a) vs the hand value −1", computed: trap.payoff(simultaneous), expected: -1,
    tolerance: 0)
  let secondChoice = (0..<2).map { trapValues.advantage(agents: [1], actions: [$0], given: [0], givenActions: [simultaneous[0]]) }
  let secondBest = secondChoice.indices.max { secondChoice[$0] < secondChoice[$1] }!
  page.prose(
    #"""
    Each agent's improvement assumed the other would stay put; both moved, and the team fell from \#
    \#(f3(jOld)) to \#(f3(trap.payoff(simultaneous))). In turn instead, agent 2 sees agent 1's new \#
    action \#(simultaneous[0]) and picks a² = \#(secondBest) (advantage \#(f3(secondChoice[secondBest])) \#
    given a¹), reaching R = \#(f3(trap.payoff([simultaneous[0], secondBest]))). The next section shows \#
    the same failure for trust-region *policy* updates, the kind MAPPO and IPPO make.
    """#)
}

// MARK: - 5.3 The r = a¹a² game

chapter.section("Why simultaneous trust-region updates can lower the return") { page in
  let toy = GaussianProductGame(std: 1, maxKL: 0.5)
  let start = [-0.25, 0.25]
  let radius = toy.std * (2 * toy.maxKL).squareRoot()
  page.prose(
    #"""
    IPPO and MAPPO update every agent at once, each with a trust-region (or clipped) step that \#
    improves the agent's own surrogate *against the partners' old policies*. Kuba et al. show with a \#
    two-agent toy (their Figure 1) that this can lower the team's return even though every agent \#
    "improved". The game has one state, real actions and the shared reward $r(a^1, a^2) = a^1 a^2$. \#
    Each agent plays a Gaussian $\pi^i = \mathcal{N}(\mu^i, \sigma^2)$ with σ = \#(f3(toy.std)); the \#
    learnable means start at μ¹ = \#(f3(start[0])), μ² = \#(f3(start[1])), and every update must stay \#
    inside the KL ball of radius δ = \#(f3(toy.maxKL)) around the agent's current policy. Every number \#
    below is computed by the library: expectations by Gauss–Hermite quadrature (exact for these \#
    polynomial integrands), KL divergences by the closed form of `DiagonalGaussianDistribution`, and \#
    each agent's update by a numerical search of its trust region, with no formula for the answer.
    """#)
  page.equation(#"J(\mu^1, \mu^2) = \mathbb{E}_{a^1 \sim \mathcal{N}(\mu^1, \sigma^2),\, a^2 \sim \mathcal{N}(\mu^2, \sigma^2)}\left[ a^1 a^2 \right] = \mu^1 \mu^2"#)
  let j0 = toy.expectedReward(means: start)
  page.check("J at the start vs the published −0.0625 (Kuba et al. 2022, §2.3)", computed: j0, expected: -0.0625, tolerance: 1e-12)

  page.step(
    "Between two Gaussians of equal variance the KL divergence is a scaled squared distance, so each trust region is an interval of half-width $\\sigma\\sqrt{2\\delta}$:",
    #"\mathrm{KL}\left(\mathcal{N}(\mu, \sigma^2) \,\|\, \mathcal{N}(\hat\mu, \sigma^2)\right) = \frac{(\hat\mu - \mu)^2}{2\sigma^2} \le \delta \iff |\hat\mu - \mu| \le \sigma\sqrt{2\delta}"#)
  page.check(
    "KL at both edges μ ± σ√(2δ) = μ ± \(f3(radius)) (library closed form) vs δ",
    computed: [toy.klDivergence(from: start[0], to: start[0] + radius), toy.klDivergence(from: start[0], to: start[0] - radius)],
    expected: [toy.maxKL, toy.maxKL], tolerance: 1e-12)

  page.step(
    "Alone, agent 1's surrogate is its expected advantage against the partner's old policy, and it is linear in its own mean:",
    #"L^{1}(\hat\mu^1) = \mathbb{E}_{a^1 \sim \mathcal{N}(\hat\mu^1, \sigma^2)}\left[ A^{1}_{\boldsymbol\pi}(a^1) \right] = \mathbb{E}\left[ a^1 \mu^2 - \mu^1\mu^2 \right] = (\hat\mu^1 - \mu^1)\, \mu^2"#)
  page.prose(
    #"""
    So the best move inside the interval is to its edge, in the direction of the partner's mean: \#
    $\hat\mu^1 = \mu^1 + \sigma\sqrt{2\delta}\,\operatorname{sign}(\mu^2)$, and symmetrically for agent 2.
    """#)
  let alone = (0..<2).map { toy.trustRegionUpdate(agent: $0, means: start, updatedPartner: nil) }
  let byHand = [start[0] + radius * (start[1] > 0 ? 1 : -1), start[1] + radius * (start[0] > 0 ? 1 : -1)]
  page.check(
    "each agent's trust-region maximiser (numerical search) vs the edge formula", computed: alone.map(\.mean), expected: byHand, tolerance: 1e-9)

  page.step(
    "Simultaneous update (IPPO/MAPPO): both agents take their own best step at once.",
    #"(\mu^1, \mu^2) = (\#(f3(start[0])), \#(f3(start[1]))) \to (\#(f3(alone[0].mean)), \#(f3(alone[1].mean))), \qquad J = \#(f3(alone[0].mean)) \times (\#(f3(alone[1].mean)))"#)
  let simultaneous = toy.simultaneousUpdate(means: start)
  let jSimultaneous = toy.expectedReward(means: simultaneous)
  page.check("J after the simultaneous update vs the published −0.5625", computed: jSimultaneous, expected: -0.5625, tolerance: 1e-9)
  let predicted = alone[0].surrogate + alone[1].surrogate
  page.prose(
    #"""
    Each agent's surrogate promised a gain of \#(f4(alone[0].surrogate)) and \#(f4(alone[1].surrogate)): \#
    \#(f4(predicted)) together. The team lost \#(f4(j0 - jSimultaneous)) instead. Each promise was made \#
    against a partner who was about to move the other way.
    """#)

  page.step(
    "Sequential update (HATRPO): agent 1 moves as before; agent 2 then maximises its surrogate given agent 1's new policy $\\bar\\pi^1$ (Definition 2):",
    #"L^{1:2}(\bar\pi^1, \hat\mu^2) = \mathbb{E}_{a^1 \sim \bar\pi^1,\, a^2 \sim \mathcal{N}(\hat\mu^2, \sigma^2)}\left[ A^{2}_{\boldsymbol\pi}(a^1, a^2) \right] = \mathbb{E}\left[ a^1 a^2 - a^1 \mu^2 \right] = \bar\mu^1 (\hat\mu^2 - \mu^2)"#)
  let order12 = toy.sequentialUpdate(means: start, order: [0, 1])
  let order21 = toy.sequentialUpdate(means: start, order: [1, 0])
  let afterFirst = toy.expectedReward(means: [order12[0], start[1]])
  page.prose(
    #"""
    Agent 2 now sees a partner at μ̄¹ = \#(f3(order12[0])) and moves *up*, to \#(f3(order12[1])). \#
    In the other order agent 2 moves first and agent 1 follows it down: (\#(f3(order21[0])), \#(f3(order21[1]))).
    """#)
  page.check("J after agent 1's step alone vs the published 0.1875", computed: afterFirst, expected: 0.1875, tolerance: 1e-9)
  page.check(
    "J after the sequential update, orders 1 → 2 and 2 → 1, vs the published 0.9375",
    computed: [toy.expectedReward(means: order12), toy.expectedReward(means: order21)], expected: [0.9375, 0.9375], tolerance: 1e-9)

  page.step(
    "Lemma 1 explains the difference. In a one-step game $J(\\bar{\\boldsymbol\\pi}) - J(\\boldsymbol\\pi) = \\mathbb{E}_{\\mathbf{a} \\sim \\bar{\\boldsymbol\\pi}}[A_{\\boldsymbol\\pi}(\\mathbf{a})]$, and the lemma splits that into the sequential surrogates, with the new predecessors:",
    #"J(\bar{\boldsymbol\pi}) - J(\boldsymbol\pi) = L^{i_1}(\bar\pi^{i_1}) + L^{i_{1:2}}(\bar\pi^{i_1}, \bar\pi^{i_2})"#)
  let second12 = toy.surrogate(agent: 1, candidate: order12[1], means: start, updatedPartner: order12[0])
  let second21 = toy.surrogate(agent: 0, candidate: order21[0], means: start, updatedPartner: order21[1])
  let sums = [alone[0].surrogate + second12, alone[1].surrogate + second21]
  let gains = [toy.expectedReward(means: order12) - j0, toy.expectedReward(means: order21) - j0]
  page.check("both orders: sum of the two sequential surrogates vs the true change of J", computed: sums, expected: gains, tolerance: 1e-9)
  page.table(
    ["update", "new (μ¹, μ²)", "predicted gain (Σ surrogates)", "true change of J"],
    rows: [
      ["simultaneous", "(\(f3(simultaneous[0])), \(f3(simultaneous[1])))", f4(predicted), f4(jSimultaneous - j0)],
      ["sequential 1 → 2", "(\(f3(order12[0])), \(f3(order12[1])))", f4(sums[0]), f4(gains[0])],
      ["sequential 2 → 1", "(\(f3(order21[0])), \(f3(order21[1])))", f4(sums[1]), f4(gains[1])],
    ], caption: "One update from (μ¹, μ²) = (−0.25, 0.25) with δ = 0.5.")

  // Trajectories over several iterations.
  let iterations = 5
  var rng = RandomGenerator(seed: page.options.seed &+ 531)
  var runs: [(name: String, values: [Double])] = []
  for rule in ["simultaneous", "sequential 1 → 2", "sequential 2 → 1", "sequential, random order"] {
    var μ = start
    var curve = [toy.expectedReward(means: μ)]
    for _ in 0..<iterations {
      switch rule {
      case "simultaneous": μ = toy.simultaneousUpdate(means: μ)
      case "sequential 1 → 2": μ = toy.sequentialUpdate(means: μ, order: [0, 1])
      case "sequential 2 → 1": μ = toy.sequentialUpdate(means: μ, order: [1, 0])
      default: μ = toy.sequentialUpdate(means: μ, order: randomOrdering(of: 2, using: &rng))
      }
      curve.append(toy.expectedReward(means: μ))
    }
    runs.append((rule, curve))
  }
  page.table(
    ["update"] + (0...iterations).map { "J after \($0)" },
    rows: runs.map { [$0.name] + $0.values.map(f4) }, caption: "The return over \(iterations) iterations from the same start.")
  page.plot(
    Plot(title: "r = a¹a²: the return J under repeated trust-region updates (δ = 0.5)", xLabel: "iteration", yLabel: "J",
      series: [Series("simultaneous", values: runs[0].values), Series("sequential (every order gives the same curve)", values: runs[3].values)]),
    file: "ch05-product-game")
  let sequentialIncrements = runs.dropFirst().flatMap { run in zip(run.values.dropFirst(), run.values).map { $0 - $1 } }
  page.checkAtLeast(
    "all three sequential runs: J rises at every iteration (smallest rise)", value: sequentialIncrements.min()!, bound: 0.1)
  let simultaneousBest = runs[0].values.max()!
  page.prose(
    simultaneousBest <= j0 + 1e-9
      ? "The simultaneous updates never get above the starting return: the agents keep swapping signs, and J cycles between \(f4(runs[0].values.min()!)) and \(f4(simultaneousBest)). The sequential updates improve the return at every iteration, whatever the order."
      : "The simultaneous updates reach at best \(f4(simultaneousBest)); the sequential updates improve the return at every iteration, whatever the order.")
}

// MARK: - 5.4 Lemma 2

/// π̄ⁱ(·|s) ∝ πⁱ(·|s) exp(η Aⁱ_π(s, ·)) for every agent: a small step of each agent towards its own
/// advantage (the natural-gradient direction of a softmax policy).
func improvementStep(_ π: ProductPolicy, _ evaluation: MarkovGameEvaluation, size η: Double) -> ProductPolicy {
  var probabilities = π.probabilities
  for s in probabilities[0].indices {
    let q = evaluation.multiAgentQ(state: s)
    for i in probabilities.indices {
      let logits = probabilities[i][s].indices.map { log(π.probabilities[i][s][$0]) + η * q.advantage(agents: [i], actions: [$0]) }
      probabilities[i][s] = softmaxProbabilities(logits)
    }
  }
  return ProductPolicy(probabilities)
}

chapter.section("The monotonic improvement bound (Lemma 2)") { page in
  page.prose(
    #"""
    Lemma 1 is about one state and exact actions. To turn it into an algorithm we need to know how \#
    the *return* changes when every agent changes its policy. For one agent, TRPO's theorem \#
    (Schulman et al., ICML 2015) bounds the new return by a surrogate that only needs the *old* \#
    policy's state visits, minus a penalty for moving far. Kuba et al. carry it over to many agents. \#
    Their ingredients, for an old joint policy $\boldsymbol\pi$, a new one $\bar{\boldsymbol\pi}$ and \#
    an ordering $i_{1:n}$:
    """#)
  page.equation(#"\rho_{\boldsymbol\pi}(s) = \sum_{t \ge 0} \gamma^t \Pr(s_t = s \mid \boldsymbol\pi), \qquad L^{i_{1:m}}_{\boldsymbol\pi}(\bar{\boldsymbol\pi}^{i_{1:m-1}}, \bar\pi^{i_m}) = \mathbb{E}_{s \sim \rho_{\boldsymbol\pi},\, \mathbf{a}^{i_{1:m-1}} \sim \bar{\boldsymbol\pi}^{i_{1:m-1}},\, a^{i_m} \sim \bar\pi^{i_m}}\left[ A^{i_m}_{\boldsymbol\pi}(s, \mathbf{a}^{i_{1:m-1}}, a^{i_m}) \right]"#)
  page.equation(#"D^{\max}_{\mathrm{KL}}(\pi^i, \bar\pi^i) = \max_s \mathrm{KL}\left(\pi^i(\cdot \mid s) \,\|\, \bar\pi^i(\cdot \mid s)\right), \qquad C = \frac{4\gamma\, \max_{s, \mathbf{a}} |A_{\boldsymbol\pi}(s, \mathbf{a})|}{(1 - \gamma)^2}"#)
  page.prose("**Lemma 2** (Kuba et al. 2022). For any joint policies $\\boldsymbol\\pi$, $\\bar{\\boldsymbol\\pi}$ and any ordering of the agents,")
  page.equation(#"J(\bar{\boldsymbol\pi}) \ge J(\boldsymbol\pi) + \sum_{m=1}^{n} \left[ L^{i_{1:m}}_{\boldsymbol\pi}(\bar{\boldsymbol\pi}^{i_{1:m-1}}, \bar\pi^{i_m}) - C\, D^{\max}_{\mathrm{KL}}(\pi^{i_m}, \bar\pi^{i_m}) \right]"#)

  let (markov, _) = exampleMarkovGame(seed: page.options.seed)
  var rng = RandomGenerator(seed: page.options.seed &+ 541)
  let policyCount = page.options.quick ? 4 : 8
  let sizes = [0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0]
  let orderings = allOrderings(of: 3)
  var pairs: [(old: ProductPolicy, new: ProductPolicy, size: Double, improving: Bool)] = []
  for _ in 0..<policyCount {
    let π = ProductPolicy.random(states: markov.stateCount, actionCounts: markov.actionCounts, using: &rng)
    let evaluation = markov.evaluate(π)
    for η in sizes {
      pairs.append((π, improvementStep(π, evaluation, size: η), η, true))
      pairs.append((π, π.perturbed(step: η, using: &rng), η, false))
    }
  }
  page.prose(
    #"""
    Each step of the proof is checked below on the Markov game of §5.1 (γ = \#(markov.gamma)) with \#
    \#(pairs.count) pairs of policies: \#(policyCount) random old policies, each moved by steps of \#
    \#(sizes.count) sizes η from \#(sizes.first!) to \#(sizes.last!), once towards every agent's own advantage \#
    ($\bar\pi^i \propto \pi^i e^{\eta A^i_{\boldsymbol\pi}}$) and once in a random direction. Every \#
    quantity is exact: values by linear solves, surrogates by enumeration.
    """#)

  var differenceGap = 0.0, trpoSlack = Double.infinity, lemma1Gap = 0.0, chainGap = 0.0, productSlack = Double.infinity
  var lemma2Slack = Double.infinity, orderGap = 0.0
  var summary: [Double: (gain: [Double], surrogate: [Double], penalty: [Double], certified: Int)] = [:]
  for pair in pairs {
    let old = markov.evaluate(pair.old), new = markov.evaluate(pair.new)
    // Step 1: the performance difference, exact.
    differenceGap = max(differenceGap, abs(new.objective - old.objective - markov.expectedAdvantage(of: pair.new, relativeTo: old, statesFrom: new)))
    // Step 2: TRPO's bound with the joint policies.
    let expected = markov.expectedAdvantage(of: pair.new, relativeTo: old, statesFrom: old)
    let C = 4 * markov.gamma * old.maxAbsoluteAdvantage / ((1 - markov.gamma) * (1 - markov.gamma))
    let jointKL = markov.jointMaxKLDivergence(from: pair.old, to: pair.new)
    trpoSlack = min(trpoSlack, new.objective - (old.objective + expected - C * jointKL))
    // Step 4: the KL of a product policy.
    for s in 0..<markov.stateCount {
      let jointActions = markov.space.all
      let klJoint = discreteKL(
        jointActions.map { pair.old.jointProbability(state: s, actions: $0) }, jointActions.map { pair.new.jointProbability(state: s, actions: $0) })
      let klSum = (0..<markov.agentCount).reduce(0.0) { $0 + discreteKL(pair.old.probabilities[$1][s], pair.new.probabilities[$1][s]) }
      chainGap = max(chainGap, abs(klJoint - klSum))
    }
    let perAgent = (0..<markov.agentCount).map { markov.maxKLDivergence(agent: $0, from: pair.old, to: pair.new) }
    productSlack = min(productSlack, perAgent.reduce(0, +) - jointKL)
    // Steps 3 and 5, for every ordering.
    var firstBound: Double? = nil
    for order in orderings {
      let bound = markov.improvementBound(from: pair.old, to: pair.new, order: order)
      lemma1Gap = max(lemma1Gap, abs(bound.surrogates.reduce(0, +) - expected))
      lemma2Slack = min(lemma2Slack, bound.slack)
      if let firstBound { orderGap = max(orderGap, abs(bound.bound - firstBound)) } else { firstBound = bound.bound }
    }
    if pair.improving {
      let bound = markov.improvementBound(from: pair.old, to: pair.new, order: [0, 1, 2])
      var entry = summary[pair.size] ?? ([], [], [], 0)
      entry.gain.append(new.objective - old.objective)
      entry.surrogate.append(bound.surrogates.reduce(0, +))
      entry.penalty.append(bound.penalty * bound.maxKL.reduce(0, +))
      if bound.bound > bound.oldObjective { entry.certified += 1 }
      summary[pair.size] = entry
    }
  }

  page.step(
    "Start from an identity (Kakade & Langford 2002): the new return is the old one plus the old advantage, averaged over the states and actions of the new policy.",
    #"J(\bar{\boldsymbol\pi}) = J(\boldsymbol\pi) + \mathbb{E}_{s \sim \rho_{\bar{\boldsymbol\pi}},\, \mathbf{a} \sim \bar{\boldsymbol\pi}}\left[ A_{\boldsymbol\pi}(s, \mathbf{a}) \right]"#)
  page.check("all \(pairs.count) pairs: J(π̄) − J(π) vs the expected advantage under $\\rho_{\\bar{\\boldsymbol\\pi}}$", computed: differenceGap, expected: 0, tolerance: 1e-12)

  page.step(
    "TRPO's Theorem 1 replaces the unknown new visits $\\rho_{\\bar{\\boldsymbol\\pi}}$ by the old ones $\\rho_{\\boldsymbol\\pi}$, at a price proportional to the largest KL between the joint policies:",
    #"J(\bar{\boldsymbol\pi}) \ge J(\boldsymbol\pi) + \mathbb{E}_{s \sim \rho_{\boldsymbol\pi},\, \mathbf{a} \sim \bar{\boldsymbol\pi}}\left[ A_{\boldsymbol\pi}(s, \mathbf{a}) \right] - C\, D^{\max}_{\mathrm{KL}}(\boldsymbol\pi, \bar{\boldsymbol\pi})"#)
  page.checkAtLeast("all pairs: the smallest slack of TRPO's bound for the joint policy", value: trpoSlack, bound: 0)

  page.step(
    "Lemma 1, applied in every state and averaged over $\\bar{\\boldsymbol\\pi}$, splits the expected joint advantage into the agents' sequential surrogates:",
    #"\mathbb{E}_{s \sim \rho_{\boldsymbol\pi},\, \mathbf{a} \sim \bar{\boldsymbol\pi}}\left[ A_{\boldsymbol\pi}(s, \mathbf{a}) \right] = \sum_{m=1}^{n} \mathbb{E}_{s \sim \rho_{\boldsymbol\pi},\, \mathbf{a}^{i_{1:m}} \sim \bar{\boldsymbol\pi}^{i_{1:m}}}\left[ A^{i_m}_{\boldsymbol\pi}(s, \mathbf{a}^{i_{1:m-1}}, a^{i_m}) \right] = \sum_{m=1}^{n} L^{i_{1:m}}_{\boldsymbol\pi}(\bar{\boldsymbol\pi}^{i_{1:m-1}}, \bar\pi^{i_m})"#)
  page.prose(
    #"""
    (The m-th term only involves the first m agents: the later ones are averaged out by step 1 of \#
    §5.2.)
    """#)
  page.check(
    "all pairs × 6 orderings: joint enumeration vs the sum of the agents' surrogates", computed: lemma1Gap, expected: 0, tolerance: 1e-12)

  page.step(
    "The KL of a product of independent policies is the sum of the agents' KLs in every state, so its maximum over states is at most the sum of the agents' maxima (Kuba et al.'s Lemma 8):",
    #"\mathrm{KL}\left(\boldsymbol\pi(\cdot \mid s) \,\|\, \bar{\boldsymbol\pi}(\cdot \mid s)\right) = \sum_{i=1}^{n} \mathrm{KL}\left(\pi^i(\cdot \mid s) \,\|\, \bar\pi^i(\cdot \mid s)\right) \quad\Rightarrow\quad D^{\max}_{\mathrm{KL}}(\boldsymbol\pi, \bar{\boldsymbol\pi}) \le \sum_{i=1}^{n} D^{\max}_{\mathrm{KL}}(\pi^i, \bar\pi^i)"#)
  page.check("all pairs and states: KL of the joint policy (enumerated) vs the sum of the agents' KLs", computed: chainGap, expected: 0, tolerance: 1e-12)
  page.checkAtLeast("all pairs: Σᵢ D^max(πⁱ, π̄ⁱ) − D^max(π, π̄), smallest value", value: productSlack, bound: 0, tolerance: 1e-12)

  page.step(
    "Put steps 2–4 together: the right-hand side can only shrink, and it becomes Lemma 2, a sum of one term per agent.",
    #"J(\bar{\boldsymbol\pi}) \ge J(\boldsymbol\pi) + \sum_{m=1}^{n} \left[ L^{i_{1:m}}_{\boldsymbol\pi}(\bar{\boldsymbol\pi}^{i_{1:m-1}}, \bar\pi^{i_m}) - C\, D^{\max}_{\mathrm{KL}}(\pi^{i_m}, \bar\pi^{i_m}) \right] \qquad \square"#)
  page.checkAtLeast("all pairs × 6 orderings: the smallest slack J(π̄) − (right-hand side)", value: lemma2Slack, bound: 0)
  page.check(
    "the right-hand side is the same for every ordering (largest difference)", computed: orderGap, expected: 0, tolerance: 1e-10)

  var rows: [[String]] = []
  var certifiedSizes: [Double] = []
  for η in sizes {
    let entry = summary[η]!
    let mean = { (x: [Double]) in x.reduce(0, +) / Double(x.count) }
    rows.append([
      String(η), f6(mean(entry.gain)), f6(mean(entry.surrogate)), f6(mean(entry.penalty)), "\(entry.certified)/\(entry.gain.count)",
    ])
    if entry.certified == entry.gain.count { certifiedSizes.append(η) }
  }
  page.table(
    ["step η", "true gain $J(\\bar{\\boldsymbol\\pi}) - J(\\boldsymbol\\pi)$", "$\\sum_m L^{i_{1:m}}$", "$C \\sum_m D^{\\max}_{\\mathrm{KL}}$", "bound proves a gain"], rows: rows,
    caption: "Steps towards each agent's advantage, \(policyCount) old policies per size (means).")
  let largestCertified = certifiedSizes.max()
  page.prose(
    #"""
    The surrogates grow in proportion to η and the penalty in proportion to η², so the bound proves \#
    an improvement only for small steps\#(largestCertified.map { ": here for every old policy up to η = \($0)" } ?? ", and here for none of the sizes tried"). \#
    With γ = \#(markov.gamma) the constant C is large (it grows like 1/(1 − γ)²), which is why the \#
    practical algorithms keep the shape of the bound but not its constant: they replace the penalty \#
    by a *trust region* on the average KL. The bound also gives the algorithm's structure. Its \#
    right-hand side is a sum of one term per agent, and term m depends only on agents $i_{1:m}$. \#
    So if agent $i_1$ maximises its term, then $i_2$ maximises its own term *given* $\bar\pi^{i_1}$, \#
    and so on, each term is at least zero (the agent could keep its old policy, which scores zero), \#
    and the return cannot decrease. That is Algorithm 1 of the paper, with a fresh random ordering at \#
    every iteration, and its monotonic improvement (Theorem 2).
    """#)
}

// MARK: - 5.5 HATRPO

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

chapter.section("HATRPO: one natural-gradient step per agent") { page in
  page.prose(
    #"""
    Algorithm 1 needs exact advantages, the maximum KL over all states and the huge constant C. \#
    HATRPO keeps its structure (one agent after another, in a random order, each improving its own \#
    term given the agents before it) and makes each step practical in the way TRPO does for one \#
    agent: the penalty becomes a constraint on the *average* KL, and the expectation is estimated \#
    from samples of the old joint policy. Agent $i_m$ solves (eq. 7)
    """#)
  page.equation(#"\max_{\theta^{i_m}} \; \mathbb{E}_{s \sim \rho_{\boldsymbol\pi_k},\, \mathbf{a}^{i_{1:m-1}} \sim \bar{\boldsymbol\pi}^{i_{1:m-1}},\, a^{i_m} \sim \pi_{\theta^{i_m}}}\left[ A^{i_m}_{\boldsymbol\pi_k}(s, \mathbf{a}^{i_{1:m-1}}, a^{i_m}) \right] \quad \text{subject to} \quad \mathbb{E}_{s \sim \rho_{\boldsymbol\pi_k}}\left[ \mathrm{KL}\left(\pi^{i_m}_{k}(\cdot \mid s) \,\|\, \pi_{\theta^{i_m}}(\cdot \mid s)\right) \right] \le \delta"#)

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
        weighted += evaluation.visitation[s] * q.importanceWeightedSurrogate(order: agents, updated: updated, candidate: candidate)
      }
      propositionGap = max(propositionGap, abs(decomposition - weighted))
      propositionCases += 1
    }
  }
  page.step(
    "The objective involves the new policies of the predecessors, but samples come from the old joint policy. Importance weights fix that, and Lemma 1 lets the joint advantage stand in for the multi-agent one (Proposition 3, eq. 9):",
    #"\mathbb{E}_{\mathbf{a}^{i_{1:m-1}} \sim \bar{\boldsymbol\pi}^{i_{1:m-1}},\, a^{i_m} \sim \hat\pi^{i_m}}\left[ A^{i_m}_{\boldsymbol\pi}(s, \mathbf{a}^{i_{1:m-1}}, a^{i_m}) \right] = \mathbb{E}_{\mathbf{a} \sim \boldsymbol\pi}\left[ \left( \frac{\hat\pi^{i_m}(a^{i_m} \mid s)}{\pi^{i_m}(a^{i_m} \mid s)} - 1 \right) M^{i_{1:m}}(s, \mathbf{a}) \right], \qquad M^{i_{1:m}}(s, \mathbf{a}) = \frac{\bar{\boldsymbol\pi}^{i_{1:m-1}}(\mathbf{a}^{i_{1:m-1}} \mid s)}{\boldsymbol\pi^{i_{1:m-1}}(\mathbf{a}^{i_{1:m-1}} \mid s)} A_{\boldsymbol\pi}(s, \mathbf{a})"#)
  page.check(
    "Markov game, ρ-weighted, all 6 orders × positions m = 1, 2, 3 with random π̄, π̂: Definition 2 vs eq. 9 (\(propositionCases) cases)",
    computed: propositionGap, expected: 0, tolerance: 1e-12)
  page.prose(
    #"""
    The factor $M^{i_{1:m}}$ (eq. 10) is the joint advantage reweighted by how much more (or less) \#
    likely the predecessors' *new* policies make each sampled joint action. In practice \#
    $A_{\boldsymbol\pi}$ is a GAE estimate $\hat A(s, \mathbf{a})$ from one centralised critic. The \#
    "−1" does not depend on the agent's parameters, so it drops out of the gradient.
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
    "Linearise the objective and take the KL to second order: $\\mathbf{g}$ is the surrogate's gradient and $\\mathbf{H}$ the Hessian of the average KL, both at $\\theta_k$ (where the KL and its gradient vanish). The small problem has a closed-form solution (Lagrange multipliers):",
    #"\max_{\Delta}\; \mathbf{g}^\top \Delta \quad \text{s.t.} \quad \tfrac12 \Delta^\top \mathbf{H} \Delta \le \delta \qquad\Rightarrow\qquad \Delta^* = \sqrt{\frac{2\delta}{\mathbf{g}^\top \mathbf{H}^{-1} \mathbf{g}}}\; \mathbf{H}^{-1} \mathbf{g}"#)
  let δ = 0.01
  let optimum = (2 * δ / innerProduct(g, direct)).squareRoot()
  let bestStep = direct.map { optimum * $0 }
  var bestRandom = -Double.infinity
  let directions = page.options.quick ? 200 : 1_000
  for _ in 0..<directions {
    let d = (0..<P).map { _ in rng.normal() }
    let Hd = H.map { innerProduct($0, d) }
    let scale = (2 * δ / innerProduct(d, Hd)).squareRoot()
    bestRandom = max(bestRandom, scale * innerProduct(g, d))
  }
  page.checkAtMost(
    "\(directions) random steps on the KL boundary: best gain gᵀΔ vs that of Δ* = \(sci(innerProduct(g, bestStep)))",
    value: bestRandom, bound: innerProduct(g, bestStep))

  page.step(
    "$\\mathbf{H}$ is a P × P matrix, too big to form for a real network, but conjugate gradient only needs products $\\mathbf{H}\\mathbf{v}$. Differentiate the KL once, keep the graph, and differentiate its inner product with $\\mathbf{v}$ again:",
    #"\mathbf{H}\mathbf{v} = \nabla_\theta \left( \nabla_\theta \overline{\mathrm{KL}}(\theta) \cdot \mathbf{v} \right) \Big|_{\theta_k}"#)
  page.code("fisher-vector-product")
  let product = FisherVectorProduct(at: example.θOld, meanKL: example.meanKL, damping: 0)
  let fromProducts = product.matrix()
  var fisherGap = 0.0
  for r in 0..<P { for c in 0..<P { fisherGap = max(fisherGap, abs(fromProducts[r][c] - fisher[r][c])) } }
  page.prose(
    #"""
    At $\theta_k$ this Hessian is the Fisher information matrix \#
    $\mathbf{F} = \frac1N \sum_n \sum_a \pi(a \mid o_n) \nabla \log\pi(a \mid o_n) \nabla \log\pi(a \mid o_n)^\top$, \#
    which needs only first derivatives: an independent check of the double differentiation.
    """#)
  page.check(
    "all \(P)×\(P) entries: Hessian of the KL by Fisher-vector products vs the Fisher matrix by enumeration",
    computed: fisherGap, expected: 0, tolerance: 1e-10)

  page.step(
    "Conjugate gradient solves $(\\mathbf{H} + \\lambda I)\\mathbf{x} = \\mathbf{g}$ with products alone; each iteration moves along a direction $\\mathbf{H}$-conjugate to the previous ones. HARL adds the damping λ = 0.1 and stops after 10 iterations.",
    #"\alpha_k = \frac{\mathbf{r}_k^\top \mathbf{r}_k}{\mathbf{p}_k^\top \mathbf{H} \mathbf{p}_k}, \quad \mathbf{x}_{k+1} = \mathbf{x}_k + \alpha_k \mathbf{p}_k, \quad \mathbf{r}_{k+1} = \mathbf{r}_k - \alpha_k \mathbf{H} \mathbf{p}_k, \quad \mathbf{p}_{k+1} = \mathbf{r}_{k+1} + \frac{\mathbf{r}_{k+1}^\top \mathbf{r}_{k+1}}{\mathbf{r}_k^\top \mathbf{r}_k} \mathbf{p}_k"#)
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
    After HARL's 10 iterations the direction is already within \#(sci(tenGap)) of the exact one \#
    (largest entry), at the cost of 10 extra backward passes instead of forming and factorising a \#
    \#(P) × \#(P) matrix (or, for a real network, a matrix with millions of rows).
    """#)

  page.step(
    "The step $\\beta \\mathbf{x}$ with $\\beta = \\sqrt{2\\delta / \\mathbf{x}^\\top \\mathbf{H} \\mathbf{x}}$ fills the quadratic model of the trust region exactly. The model is only a model, so the true KL of the step must be checked:",
    #"\tfrac12 (\beta\mathbf{x})^\top \mathbf{H} (\beta\mathbf{x}) = \delta, \qquad \overline{\mathrm{KL}}(\theta_k + \beta\mathbf{x}) \approx \delta \;\text{ when } \delta \text{ is small}"#)
  let small = trustRegionStep(
    at: example.θOld, surrogate: example.surrogate, meanKL: example.meanKL, config: TrustRegionConfig(maxKL: 1e-5, damping: damping))
  let smallStep = small.direction.map { small.stepSize * $0 }
  let quadraticKL = 0.5 * innerProduct(smallStep, product(smallStep))
  let trueKL = withoutGradients { example.meanKL(Tensor(zip(example.θOld.scalars, smallStep).map { $0 + $1 })).scalar }
  page.prose(
    #"""
    With δ = 10⁻⁵ and the damping λ = \#(damping), the undamped model ½ΔᵀFΔ of the full step is \#
    \#(f3(quadraticKL / 1e-5)) δ: the damping term λ‖Δ‖² takes up the rest of the budget, so every \#
    step is a little more cautious than the trust region allows. Is the quadratic model itself right?
    """#)
  page.check(
    "δ = 10⁻⁵: the true mean KL of the full step vs its quadratic model ½ΔᵀFΔ (within 5%)",
    computed: trueKL, expected: quadraticKL, tolerance: 0.05 * quadraticKL)

  page.step(
    "A backtracking line search protects against a bad model: try $\\theta_k + \\alpha^j \\beta\\mathbf{x}$ for j = 0, 1, …, and accept the first step that keeps the KL within δ, really improves the surrogate, and earns at least a fraction κ of the improvement the linear model predicted; if none does, keep $\\theta_k$.",
    #"\overline{\mathrm{KL}}(\theta_j) \le \delta, \qquad L(\theta_j) - L(\theta_k) > 0, \qquad L(\theta_j) - L(\theta_k) > \kappa\, \alpha^j\, \mathbf{g}^\top \beta\mathbf{x}"#)
  page.code("hatrpo-line-search")
  let large = TrustRegionConfig(maxKL: 3.0, damping: damping, lineSearchSteps: 10, backtrackCoefficient: 0.5, acceptRatio: 0.5)
  let step = trustRegionStep(at: example.θOld, surrogate: example.surrogate, meanKL: example.meanKL, config: large)
  var tries: [[String]] = []
  var firstGood: Int? = nil
  let baseline = withoutGradients { example.surrogate(example.θOld).scalar }
  var fraction = 1.0
  for j in 0..<large.lineSearchSteps where firstGood == nil {
    let θ = Tensor(zip(example.θOld.scalars, step.direction).map { $0 + fraction * step.stepSize * $1 })
    let kl = withoutGradients { example.meanKL(θ).scalar }
    let gain = withoutGradients { example.surrogate(θ).scalar } - baseline
    let good = kl <= large.maxKL && gain > 0 && gain > large.acceptRatio * fraction * step.expectedImprovement
    tries.append(["\(j)", f4(fraction), f4(kl), f4(gain), f4(large.acceptRatio * fraction * step.expectedImprovement), good ? "accept" : "reject"])
    if good { firstGood = j }
    fraction *= large.backtrackCoefficient
  }
  page.table(
    ["j", "α^j", "mean KL", "gain L(θ_j) − L(θ_k)", "κ α^j gᵀβx", "decision"], rows: tries,
    caption: "The line search with a deliberately large trust region δ = \(f3(large.maxKL)) (α = 0.5, κ = 0.5).")
  if let first = tries.first, first.last == "reject" {
    let fullKL = Double(first[2].replacingOccurrences(of: "−", with: "-")) ?? 0
    let reason = fullKL > large.maxKL ? "left the trust region" : "gained less than κ times what the linear model promised"
    page.prose("The full step \(reason); a shorter step along the same direction passed all three tests.")
  }
  page.check(
    "the library's line search stopped at the first step the table accepts (j)",
    computed: Double(step.lineSearch.backtracks), expected: Double(firstGood ?? large.lineSearchSteps), tolerance: 0)

  page.step(
    "Back to the r = a¹a² game: HATRPO's step (gradient of the eq. 9 surrogate by autodiff, H from Fisher-vector products, conjugate gradient, step size, line search) for each agent in turn:",
    #"\mu^{i_m}_{k+1} = \mu^{i_m}_k + \alpha^j \sqrt{\frac{2\delta}{g^2 / H}}\, \frac{g}{H} = \mu^{i_m}_k + \alpha^j \sigma\sqrt{2\delta}\, \operatorname{sign}(g) \qquad \left(H = 1/\sigma^2 \text{ for a Gaussian mean}\right)"#)
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

// MARK: - 5.6 HAPPO

chapter.section("HAPPO: sequential PPO with the factor M") { page in
  page.prose(
    #"""
    HAPPO makes the same sequential update cheaper, as PPO does for TRPO: instead of a constrained \#
    natural-gradient step, agent $i_m$ takes a few epochs of gradient ascent on a clipped objective \#
    (eq. 11), with its *own* probability ratio $r^{i_m} = \pi_{\theta^{i_m}} / \pi_{\theta^{i_m}_k}$:
    """#)
  page.equation(#"\max_{\theta^{i_m}}\; \mathbb{E}_{s \sim \rho_{\boldsymbol\pi_k},\, \mathbf{a} \sim \boldsymbol\pi_k}\left[ \min\left( r^{i_m} M^{i_{1:m}}(s, \mathbf{a}),\; \operatorname{clip}(r^{i_m}, 1 - \epsilon, 1 + \epsilon)\, M^{i_{1:m}}(s, \mathbf{a}) \right) \right]"#)
  page.prose(
    #"""
    Three details make it HAPPO rather than MAPPO, and each is a classic bug when missed:

    - **M carries the predecessors' ratios.** It starts as the joint advantage estimate, \#
    $M^{i_1} = \hat A$, and after each agent's update it is multiplied by that agent's new-to-old \#
    probability ratio of the sampled action: $M^{i_{1:m+1}} = (\pi_{\theta^{i_m}_{k+1}} / \pi_{\theta^{i_m}_k}) M^{i_{1:m}}$.
    - **M is data.** No gradient flows through it (the earlier agents are finished), and it is *not* \#
    clipped: only the current agent's own ratio is. Clipping M would bias eq. 9, not regularise it.
    - **The order is a fresh random permutation at every iteration** (Algorithm 3, line 8), so no \#
    agent is always first or always last.
    """#)
  page.code("happo-surrogate")
  page.code("happo-factor-update")

  let (game, policies) = exampleGame(seed: page.options.seed)
  let values = game.multiAgentQ(policies: policies)
  var rng = RandomGenerator(seed: page.options.seed &+ 561)
  let ε = 0.2
  // Exact HAPPO objective vs Definition 2, on the 3-agent game and on the Markov game.
  var gameGap = 0.0, gradientGap = 0.0, clippedGap = 0.0
  for order in allOrderings(of: 3) {
    for m in 1...3 {
      let agent = order[m - 1]
      let updated = order[..<(m - 1)].map { nudged(policies[$0], step: 0.4, using: &rng) }
      let candidate = nudgedWithin(policies[agent], size: 0.05, using: &rng)  // every ratio within e^{±0.1}
      let logits = Tensor([candidate.map { log($0) }])
      let stay = Tensor([policies[agent].map { log($0) }])
      let states = [(values: values, weight: 1.0)]
      let objective = withoutGradients {
        exactHAPPOObjective(states: states, order: order, updated: [updated], candidateLogits: logits, epsilon: ε).scalar
      }
      let atOld = withoutGradients {
        exactHAPPOObjective(states: states, order: order, updated: [updated], candidateLogits: stay, epsilon: ε).scalar
      }
      let definition = values.sequentialSurrogate(order: Array(order[..<m]), updated: updated, candidate: candidate)
      gameGap = max(gameGap, abs((objective - atOld) - definition))
      // The gradient with respect to the agent's logits, against central differences of Definition 2.
      let autodiff = valueWithGradients(at: [logits]) { z in
        exactHAPPOObjective(states: states, order: order, updated: [updated], candidateLogits: z[0], epsilon: ε)
      }.gradients[0].scalars
      for k in candidate.indices {
        var up = candidate.map { log($0) }, down = up
        up[k] += 1e-5
        down[k] -= 1e-5
        let difference = (values.sequentialSurrogate(order: Array(order[..<m]), updated: updated, candidate: softmaxProbabilities(up))
          - values.sequentialSurrogate(order: Array(order[..<m]), updated: updated, candidate: softmaxProbabilities(down))) / 2e-5
        gradientGap = max(gradientGap, abs(autodiff[k] - difference))
      }
      if m == 3 {
        // The wrong variant, with predecessors that moved further (logit noise of size 1): the gradient
        // at the old policy, which is what a learner follows, against Definition 2's.
        let far = order[..<2].map { nudged(policies[$0], step: 1, using: &rng) }
        let wrong = valueWithGradients(at: [stay]) { z in
          exactHAPPOObjective(states: states, order: order, updated: [far], candidateLogits: z[0], epsilon: ε, clipFactor: true)
        }.gradients[0].scalars
        for k in candidate.indices {
          var up = policies[agent].map { log($0) }, down = up
          up[k] += 1e-5
          down[k] -= 1e-5
          let right = (values.sequentialSurrogate(order: order, updated: far, candidate: softmaxProbabilities(up))
            - values.sequentialSurrogate(order: order, updated: far, candidate: softmaxProbabilities(down))) / 2e-5
          clippedGap = max(clippedGap, abs(wrong[k] - right))
        }
      }
    }
  }
  page.prose(
    #"""
    **Checking HAPPO against the theory.** On the 3-agent game, take any ordering, let the first m − 1 \#
    agents move to new policies (logits nudged by noise of size 0.4), and give agent $i_m$ a candidate \#
    within $e^{\pm 0.1}$ of its old policy, so that its ratio stays inside the clip range and HAPPO's objective is \#
    $\mathbb{E}_{\mathbf{a} \sim \boldsymbol\pi}[r^{i_m} M^{i_{1:m}}]$. Evaluate that objective \#
    *exactly*, with the library's own `updatedCorrectionFactor` and `happoSurrogate` on a batch of all \#
    \#(values.space.count) joint actions weighted by their probabilities. Subtracting its value at \#
    $\hat\pi^{i_m} = \pi^{i_m}$ (the "−1" of eq. 9) must give Definition 2's surrogate:
    """#)
  page.check(
    "all 6 orders × m = 1, 2, 3: HAPPO's objective minus its value at π̂ = π vs $L^{i_{1:m}}(\\bar{\\boldsymbol\\pi}^{i_{1:m-1}}, \\hat\\pi^{i_m})$",
    computed: gameGap, expected: 0, tolerance: 1e-12)
  page.check(
    "its gradient in agent $i_m$'s logits (autodiff through `happoSurrogate`) vs central differences of Definition 2",
    computed: gradientGap, expected: 0, tolerance: 1e-8)

  // The Markov game, ρ-weighted.
  let (markov, π) = exampleMarkovGame(seed: page.options.seed)
  let evaluation = markov.evaluate(π)
  let states = (0..<markov.stateCount).map { (values: evaluation.multiAgentQ(state: $0), weight: evaluation.visitation[$0]) }
  var markovGap = 0.0
  for order in allOrderings(of: 3) {
    let m = 3
    let updated = (0..<markov.stateCount).map { s in order[..<(m - 1)].map { nudged(π.probabilities[$0][s], step: 0.4, using: &rng) } }
    let candidates = (0..<markov.stateCount).map { nudgedWithin(π.probabilities[order[m - 1]][$0], size: 0.05, using: &rng) }
    let logits = Tensor(candidates.map { $0.map { log($0) } })
    let stay = Tensor((0..<markov.stateCount).map { s in π.probabilities[order[m - 1]][s].map { log($0) } })
    let objective = withoutGradients {
      exactHAPPOObjective(states: states, order: order, updated: updated, candidateLogits: logits, epsilon: ε).scalar
        - exactHAPPOObjective(states: states, order: order, updated: updated, candidateLogits: stay, epsilon: ε).scalar
    }
    var definition = 0.0
    for s in 0..<markov.stateCount {
      definition += evaluation.visitation[s] * states[s].values.sequentialSurrogate(order: order, updated: updated[s], candidate: candidates[s])
    }
    markovGap = max(markovGap, abs(objective - definition))
  }
  page.check(
    "Markov game, states weighted by $\\rho_{\\boldsymbol\\pi}$, last agent of all 6 orders: HAPPO's objective vs Definition 2",
    computed: markovGap, expected: 0, tolerance: 1e-12)

  page.prose(
    #"""
    Two tempting variants fail this test. Clipping the factor, $\operatorname{clip}(\bar\pi^{i_{1:m-1}}/\pi^{i_{1:m-1}}, 1 \pm \epsilon)$, \#
    changes the objective wherever the predecessors moved more than ε; and letting gradients flow \#
    into M would update the predecessors a second time, against a surrogate that was derived with \#
    their policies held fixed.
    """#)
  page.checkAtLeast(
    "the wrong variant with M's ratio clipped (predecessors moved by logit noise of size 1): largest gradient error over the 6 orders",
    value: clippedGap, bound: 1e-2)
  let factor = Tensor([1.3, 0.6, 2.0], requiresGradient: true)
  let probe = Tensor([-0.2, -1.1, -0.7], requiresGradient: true)
  let objective = happoSurrogate(
    logProbabilities: probe, oldLogProbabilities: Tensor([-0.3, -1.0, -0.9]), factor: factor, advantages: Tensor([0.5, -1.0, 2.0]), epsilon: ε)
  let (ownGradient, factorGradient) = {
    let all = gradients(of: objective, withRespectTo: [probe, factor])
    return (all[0].scalars, all[1].scalars)
  }()
  page.checkTrue(
    "`happoSurrogate` sends gradient to the agent's log-probabilities and none to M",
    holds: factorGradient.allSatisfy { $0 == 0 } && ownGradient.contains { $0 != 0 },
    detail: "∂/∂M = (\(factorGradient.map(f3).joined(separator: ", "))), ∂/∂log π = (\(ownGradient.map(f3).joined(separator: ", ")))")
  page.prose(
    #"""
    (A zero in the second list is PPO's own clip at work: in that row the ratio has already left \#
    [1 − ε, 1 + ε] in the direction M rewards, so the row stops pulling.)
    """#)

  // The random permutation.
  let draws = page.options.quick ? 6_000 : 30_000
  var counts = [[Int]: Int]()
  for _ in 0..<draws { counts[randomOrdering(of: 3, using: &rng), default: 0] += 1 }
  let expectedCount = Double(draws) / 6
  let chiSquare = allOrderings(of: 3).reduce(0.0) { total, order in
    let observed = Double(counts[order] ?? 0)
    return total + (observed - expectedCount) * (observed - expectedCount) / expectedCount
  }
  page.prose(
    #"""
    Finally, the order. `randomOrdering` is a Fisher–Yates shuffle driven by the book's generator; \#
    over \#(draws) draws each of the 6 orderings of 3 agents should appear about \#(Int(expectedCount)) times.
    """#)
  page.checkAtMost(
    "χ² statistic of the 6 ordering counts (5 degrees of freedom; 25.7 is the 10⁻⁴ critical value)", value: chiSquare, bound: 25.7)
  page.prose("The whole update, as the library runs it for each agent in the drawn order:")
  page.code("happo-sequential-update")
}

// MARK: - 5.7 Experiment

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

chapter.section("Experiment: heterogeneous agents, where sharing fails") { page in
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

chapter.run()
