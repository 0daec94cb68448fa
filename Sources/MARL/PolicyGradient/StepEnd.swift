import Autodiff

/// How row t of a rollout segment ended: the one fact every return, TD error and advantage needs to
/// know about the boundary between step t and step t + 1.
///
/// A segment of T rows may hold several episodes back to back (a rollout buffer rarely lines up
/// with episodes). After the action at row t the environment reached s_{t+1}, and one of three
/// things is true:
///
///     .continues    s_{t+1} is the state of row t + 1 (same episode). At the last row of the
///                   segment it is the state the next segment starts from: bootstrap from V(s_{t+1}).
///     .terminated   s_{t+1} is terminal: nothing follows, V(s_{t+1}) = 0. Row t + 1 starts a new episode.
///     .truncated    the episode was cut (a time limit the agent cannot see, the end of the data):
///                   s_{t+1} is not terminal, so its future is estimated by V(s_{t+1}); row t + 1
///                   starts a new episode, whose rewards must not leak into row t.
///
/// Treating a truncation as a termination teaches the critic that the world ends at the time limit;
/// treating it as a continuation adds the next episode's rewards to this one. Both are common bugs.
///
/// Source: Pardo, Tavakoli, Levdik & Kormushev, "Time Limits in Reinforcement Learning" (ICML 2018),
/// §3 (partial-episode bootstrapping); Gymnasium's `terminated` / `truncated` split.
public enum StepEnd: Sendable, Equatable {
  /// The episode goes on: s_{t+1} is the next row's state (or, at the last row, the next segment's).
  case continues
  /// s_{t+1} is terminal: V(s_{t+1}) = 0.
  case terminated
  /// The episode was cut after this row: bootstrap from V(s_{t+1}), then start afresh.
  case truncated

  /// 1 − 𝟙[terminated]: the factor in front of γ V(s_{t+1}).
  public var bootstrapMask: Double { self == .terminated ? 0 : 1 }
  /// Whether row t + 1 belongs to a different episode (terminated or truncated).
  public var endsEpisode: Bool { self != .continues }
}

/// Stops with a message naming `op` unless every per-row array has length T = `rewards.count`.
func ensureSegment(_ op: String, rewards: Int, ends: Int, values: Int? = nil, nextValues: Int) {
  ensure(ends == rewards, "\(op): ends has \(ends) rows, rewards has \(rewards): one StepEnd per row")
  ensure(nextValues == rewards, "\(op): nextValues has \(nextValues) rows, rewards has \(rewards): one V(s_{t+1}) per row")
  if let values {
    ensure(values == rewards, "\(op): values has \(values) rows, rewards has \(rewards): one V(s_t) per row")
  }
}

/// The next-state values V(s_{t+1}) of a segment whose rows are consecutive states: row t's next value
/// is row t + 1's value, except at the last row (`lastValue`, the state after the segment) and at a
/// truncation (`finalValues[t]`, the value of the state the episode was cut at). Terminated rows get 0.
///
///     nextValues(values: [v₀, v₁, v₂], ends: [.continues, .terminated, .continues], lastValue: v₃)
///     // [v₁, 0, v₃]
///
/// - Parameters:
///   - values: V(s_t) for t = 0…T−1, shape [T].
///   - ends: how each row ended, [T].
///   - lastValue: V(s_T), read only if the last row continues.
///   - finalValues: V(s_{t+1}) at truncated rows, keyed by row.
/// - Returns: V(s_{t+1}) for t = 0…T−1, shape [T].
public func nextValues(values: [Double], ends: [StepEnd], lastValue: Double, finalValues: [Int: Double] = [:]) -> [Double] {
  ensure(values.count == ends.count, "nextValues: values has \(values.count) rows, ends has \(ends.count)")
  return ends.indices.map { t in
    switch ends[t] {
    case .terminated: return 0
    case .truncated:
      guard let v = finalValues[t] else {
        fatalError("nextValues: row \(t) is truncated but finalValues has no V(s_{t+1}) for it")
      }
      return v
    case .continues: return t + 1 < values.count ? values[t + 1] : lastValue
    }
  }
}
