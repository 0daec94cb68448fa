// Section 5.2: Lemma 1, the multi-agent advantage decomposition, proved as a telescoping sum
// with every step checked, and what it buys: agents choosing in turn cannot make the team worse.

import Autodiff
import Foundation
import MARL
import Workbook

func decompositionSection(_ page: Page) {
  page.prose(
    #"""
    **Lemma 1** (Kuba et al. 2022). In any cooperative Markov game, for any joint policy \#
    $\boldsymbol\pi$, any state s, any ordered list of agents $i_{1:m}$ and any of their joint actions,
    """#)
  page.equation(
    #"A^{i_{1:m}}_{\boldsymbol\pi}(s, \mathbf{a}^{i_{1:m}}) = \sum_{j=1}^{m} A^{i_j}_{\boldsymbol\pi}(s, \mathbf{a}^{i_{1:j-1}}, a^{i_j})"#
  )
  page.prose(
    #"""
    The joint advantage of a group is the sum of its members' advantages, each taken *given the \#
    actions of the members before it*. No assumption on the game is needed: no additive or monotonic \#
    value decomposition (chapter 2), no independence of rewards. The proof is a telescoping sum of \#
    the definitions (steps 3 and 4 below). Steps 1 and 2 come first because they give the property \#
    that makes the lemma *useful*: every term of the sum has mean zero. Each step is checked on the \#
    3-agent game of §5.1 and on the Markov game.
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
    #"Q^{i_{1:j-1}}_{\boldsymbol\pi}(s, \mathbf{a}^{i_{1:j-1}}) = \sum_{a^{i_j}} \pi^{i_j}(a^{i_j} \mid s)\, Q^{i_{1:j}}_{\boldsymbol\pi}(s, \mathbf{a}^{i_{1:j-1}}, a^{i_j})"#
  )
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
    #"A^{i_j}_{\boldsymbol\pi}(s, \mathbf{a}^{i_{1:j-1}}, a^{i_j}) = Q^{i_{1:j}}_{\boldsymbol\pi} - Q^{i_{1:j-1}}_{\boldsymbol\pi}, \qquad \mathbb{E}_{a^{i_j} \sim \pi^{i_j}}\left[ A^{i_j}_{\boldsymbol\pi}(s, \mathbf{a}^{i_{1:j-1}}, a^{i_j}) \right] = 0"#
  )
  page.prose(
    """
    The mean-zero property is step 1 rearranged: average the difference $Q^{i_{1:j}} - Q^{i_{1:j-1}}$ \
    over $a^{i_j}$, and the first term becomes the second. So the check of step 1 covers it.
    """)

  // Step 3: telescoping.
  page.step(
    "Add the increments along the order. Every intermediate $Q^{i_{1:j}}$ appears once with a plus and once with a minus, and only the two ends survive:",
    #"\sum_{j=1}^{m} A^{i_j}_{\boldsymbol\pi}(s, \mathbf{a}^{i_{1:j-1}}, a^{i_j}) = \sum_{j=1}^{m} \left[ Q^{i_{1:j}}_{\boldsymbol\pi} - Q^{i_{1:j-1}}_{\boldsymbol\pi} \right] = Q^{i_{1:m}}_{\boldsymbol\pi}(s, \mathbf{a}^{i_{1:m}}) - Q^{\varnothing}_{\boldsymbol\pi}(s)"#
  )
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
    #"A^{i_{1:m}}_{\boldsymbol\pi}(s, \mathbf{a}^{i_{1:m}}) = Q^{i_{1:m}}_{\boldsymbol\pi}(s, \mathbf{a}^{i_{1:m}}) - V_{\boldsymbol\pi}(s) = \sum_{j=1}^{m} A^{i_j}_{\boldsymbol\pi}(s, \mathbf{a}^{i_{1:j-1}}, a^{i_j}) \qquad \square"#
  )
  // Whole team: the left side straight from the payoff table and the expected payoff (chapter 3's code).
  page.prose(
    #"""
    Lemma 1 is an identity of the definitions, so what the checks below can catch is an error in the \#
    code that computes the definitions: the enumeration of every $Q^{i_{1:j}}$ must telescope to two \#
    ends computed by *other* code, the payoff table and chapter 3's expected payoff for the matrix \#
    game, the linear solve of the Bellman equation for the Markov game.
    """#)
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
  // The Markov game: Q from exact policy evaluation, V from the linear solve.
  var markovGap = 0.0
  for s in 0..<markov.stateCount {
    for order in orderings {
      for (index, a) in markov.space.all.enumerated() {
        let left = evaluation.q[s][index] - evaluation.values[s]
        markovGap = max(
          markovGap, abs(stateValues[s].sequentialAdvantages(order: order, actions: order.map { a[$0] }).reduce(0, +) - left))
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
  page.table(
    ["order", "joint action chosen in turn", "$A_{\\boldsymbol\\pi}(\\mathbf{a}) = R(\\mathbf{a}) - J(\\boldsymbol\\pi)$"],
    rows: sequentialRows)
  page.checkAtLeast(
    "every order: the sequential greedy joint action has a non-negative advantage", value: worstSequential, bound: 0)

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
    $A^{1}(1) = \#(f3(own[0][1]))$ against $A^{1}(0) = \#(f3(own[0][0]))$, and the same for agent 2. \#
    By hand, J(π) = 2·2p(1 − p) − (1 − p)² = 0.75 and R(1, 1) = −1.
    """#)
  page.check(
    "J(π) of the 2×2 game at p = 0.7: enumeration vs the hand value 0.75", computed: jOld, expected: 0.75, tolerance: 1e-12)
  page.check(
    "both agents switching to their individually best action: R(a) vs the hand value −1", computed: trap.payoff(simultaneous),
    expected: -1,
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
