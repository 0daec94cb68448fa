import MARL

/// Exercise 3.1: discounted returns with episode ends and bootstrapping.
///
/// A rollout segment holds T rows. Row t has the reward r_t received after the action at step t,
/// how that step ended (`ends[t]`), and V(s_{t+1}), the critic's value of the state reached
/// (`nextValues[t]`). Compute every row's return, backwards:
///
///     G_t = r_t                          if ends[t] == .terminated  (nothing follows a terminal state)
///     G_t = r_t + γ V(s_{t+1})           if ends[t] == .truncated   (cut by a time limit: bootstrap)
///     G_t = r_t + γ V(s_{t+1})           if ends[t] == .continues and t is the last row (bootstrap)
///     G_t = r_t + γ G_{t+1}              otherwise                   (the same episode goes on)
///
/// After a terminated or truncated row the next row starts a *new* episode: its rewards must not
/// reach G_t. `nextValues[t]` is only to be read where the formula above says so.
///
/// - Parameters:
///   - rewards: r_t, [T].
///   - ends: how each row ended, [T].
///   - nextValues: V(s_{t+1}), [T].
///   - gamma: γ ∈ [0, 1].
/// - Returns: G_t, [T].
///
/// Hint: walk from the last row to the first, carrying "what follows row t" in one variable, and
/// reset that variable at every episode end.
public func bootstrappedReturns(rewards: [Double], ends: [StepEnd], nextValues: [Double], gamma: Double) throws -> [Double] {
  // BEGIN SOLUTION
  var result = rewards
  var tail = 0.0  // the return of the row after t, when it belongs to t's episode
  for t in (0..<rewards.count).reversed() {
    let isLastRow = t == rewards.count - 1
    switch ends[t] {
    case .terminated: tail = 0
    case .truncated: tail = nextValues[t]
    case .continues where isLastRow: tail = nextValues[t]
    case .continues: break
    }
    result[t] += gamma * tail
    tail = result[t]
  }
  return result
  // END SOLUTION
}
