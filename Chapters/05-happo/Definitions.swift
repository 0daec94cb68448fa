// Section 5.1: the multi-agent Q-function and advantage (Kuba et al., Definition 1), computed
// exactly by enumeration on a 3-agent matrix game and on a small Markov game.

import Autodiff
import Foundation
import MARL
import Workbook

func definitionsSection(_ page: Page) {
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
  page.equation(
    #"Q^{i_{1:m}}_{\boldsymbol\pi}(s, \mathbf{a}^{i_{1:m}}) = \mathbb{E}_{\mathbf{a}^{-i_{1:m}} \sim \boldsymbol\pi^{-i_{1:m}}}\left[ Q_{\boldsymbol\pi}(s, \mathbf{a}^{i_{1:m}}, \mathbf{a}^{-i_{1:m}}) \right]"#
  )
  page.prose("and the **multi-agent advantage** measures what committing $i_{1:m}$ adds once $j_{1:k}$ have committed:")
  page.equation(
    #"A^{i_{1:m}}_{\boldsymbol\pi}(s, \mathbf{a}^{j_{1:k}}, \mathbf{a}^{i_{1:m}}) = Q^{j_{1:k}, i_{1:m}}_{\boldsymbol\pi}(s, \mathbf{a}^{j_{1:k}}, \mathbf{a}^{i_{1:m}}) - Q^{j_{1:k}}_{\boldsymbol\pi}(s, \mathbf{a}^{j_{1:k}})"#
  )
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
  page.equation(
    #"V_{\boldsymbol\pi} = (I - \gamma P_{\boldsymbol\pi})^{-1} r_{\boldsymbol\pi}, \qquad P_{\boldsymbol\pi}(s' \mid s) = \sum_{\mathbf{a}} \boldsymbol\pi(\mathbf{a} \mid s)\, P(s' \mid s, \mathbf{a}), \quad r_{\boldsymbol\pi}(s) = \sum_{\mathbf{a}} \boldsymbol\pi(\mathbf{a} \mid s)\, r(s, \mathbf{a})"#
  )
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
