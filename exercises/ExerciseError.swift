/// The error an unanswered exercise throws. The student handout replaces every solution with
/// `throw ExerciseError.notImplemented("N.K")`, so an unanswered exercise fails its own tests without
/// stopping the others.
public enum ExerciseError: Error, Equatable, CustomStringConvertible {
  /// Exercise `id` (such as `"5.2"`) has not been answered yet.
  case notImplemented(String)

  public var description: String {
    switch self {
    case .notImplemented(let id): "exercise \(id) is not implemented yet"
    }
  }
}
