/// Whether operations record the graph that gradients need.
///
/// Recording is on by default. ``withoutGradients(_:)`` turns it off for a scope (evaluation, target
/// networks, optimiser updates), and the backward pass turns it on only when the caller asks for a
/// differentiable gradient (`createGraph: true`). The flag is task-local, so it is safe under Swift 6
/// concurrency and needs no global mutable state.
public enum GradientMode {
  @TaskLocal static var recording: Bool = true

  /// True when new operations record graph nodes.
  public static var isRecording: Bool { recording }
}

/// Runs `body` with gradient recording turned off: every tensor computed inside is a constant.
///
///     let target = withoutGradients { targetNetwork(nextObservation) }
public func withoutGradients<Result>(_ body: () throws -> Result) rethrows -> Result {
  try GradientMode.$recording.withValue(false, operation: body)
}

/// Runs `body` with gradient recording set to `enabled`.
func withGradientRecording<Result>(_ enabled: Bool, _ body: () throws -> Result) rethrows -> Result {
  try GradientMode.$recording.withValue(enabled, operation: body)
}
