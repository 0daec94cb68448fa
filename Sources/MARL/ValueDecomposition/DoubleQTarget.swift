import Autodiff

/// The double-Q TD target of value decomposition, with a target network:
///
///     ū′_a = argmax_u Q_a(τ′_a, u)                 (each agent, with the live network)
///     y    = r + γ (1 − terminated) · Q̄_tot(s′, ū′)  (evaluated by the target utilities and mixer)
///
/// The live network *selects* the next joint action and the target network *evaluates* it, which
/// removes most of the overestimation of max_u Q̄ (van Hasselt et al.). Selecting ū′ agent by agent
/// is exact only because of IGM: for a monotonic mixer the per-agent argmaxes form the argmax of
/// Q_tot(s′, ·), so the max over |A|ⁿ joint actions costs n·|A|.
///
/// - Parameters:
///   - rewards: r, shape [B].
///   - terminated: whether s′ ends the episode (then no bootstrap), B flags.
///   - discount: γ.
///   - liveNextUtilities: Q_a(τ′_a, u) of the live agents for every action, shape [B, n, |A|].
///   - targetNextUtilities: Q̄_a(τ′_a, u) of the target agents, shape [B, n, |A|].
///   - nextStates: s′, shape [B, S].
///   - targetMixer: the target network's mixer (IQL, VDN, QMIX, …).
///   - availableNextActions: optional mask [B, n, |A|] (row-major) of the actions allowed in s′.
/// - Returns: y, shape [B, K] with K = targetMixer.valueCount, a constant.
///
/// Source: van Hasselt, Guez & Silver, "Deep Reinforcement Learning with Double Q-learning" (AAAI
/// 2016), eq. 4; pymarl `src/learners/q_learner.py` with `double_q: True`.
public func doubleQTarget<M: Mixer>(
  rewards: Tensor, terminated: [Bool], discount γ: Double,
  liveNextUtilities: Tensor, targetNextUtilities: Tensor, nextStates: Tensor, targetMixer: M,
  availableNextActions: [Bool]? = nil
) -> Tensor {
  let batch = rewards.count
  ensure(
    rewards.shape == [batch] && terminated.count == batch && liveNextUtilities.rank == 3
      && liveNextUtilities.shape[0] == batch && liveNextUtilities.shape[1] == targetMixer.agentCount
      && targetNextUtilities.shape == liveNextUtilities.shape && nextStates.rank == 2 && nextStates.shape[0] == batch,
    "doubleQTarget: expected r [B], B flags, utilities [B, \(targetMixer.agentCount), |A|] (live and target) and s′ [B, S]; got r \(rewards.shape), \(terminated.count) flags, \(liveNextUtilities.shape), \(targetNextUtilities.shape), \(nextStates.shape)"
  )
  ensure(
    availableNextActions.map { $0.count == liveNextUtilities.count } ?? true,
    "doubleQTarget: the action mask must have \(liveNextUtilities.count) entries [B, n, |A|], got \(availableNextActions?.count ?? 0)"
  )
  let (n, actionCount) = (liveNextUtilities.shape[1], liveNextUtilities.shape[2])
  return withoutGradients {
    // snippet: double-q-target
    // MARK: - Select ū′ with the live network, agent by agent
    let live = liveNextUtilities.scalars
    let selected = (0..<(batch * n)).map { row in
      var best = -1
      for u in 0..<actionCount where availableNextActions?[row * actionCount + u] ?? true {
        if best < 0 || live[row * actionCount + u] > live[row * actionCount + best] { best = u }
      }
      return max(best, 0)  // (a row with no available action keeps action 0; its value is masked by the caller)
    }

    // MARK: - Evaluate ū′ with the target network
    let targetChosen = targetNextUtilities.reshaped([batch * n, actionCount]).gathering(selected).reshaped([batch, n])
    let nextValue = targetMixer(targetChosen, states: nextStates)  // Q̄_tot(s′, ū′), [B, K]

    // MARK: - Bootstrap unless the episode ended
    let continuing = Tensor(shape: [batch, 1], scalars: terminated.map { $0 ? 0 : 1 })
    return rewards.reshaped([batch, 1]) + γ * continuing * nextValue
    // end snippet
  }
}
