import Foundation

/// The graders of the exercises, kept apart from the XCTest classes so that the same checks can grade
/// the student's answer (Tests/ExerciseTests) and prove that they reject the catalogue of plausible
/// wrong answers (Tests/WrongAnswerTests).
///
/// A grader is a set of named checks. Each check runs an implementation and returns its failure
/// messages: none means it passed. A message says what was expected, what came back, and the usual
/// cause of that mistake.
public struct Check<Implementation> {
  /// A short name, used as the XCTest method's subject and in reports.
  public let name: String
  /// Runs the implementation and returns the failures (empty when the check passed).
  public let run: (Implementation) -> [String]

  public init(_ name: String, _ run: @escaping (Implementation) throws -> [String]) {
    self.name = name
    self.run = { implementation in
      do { return try run(implementation) } catch let error { return [describe(error)] }
    }
  }
}

/// All failures of an implementation over a list of checks.
public func failures<Implementation>(of implementation: Implementation, _ checks: [Check<Implementation>]) -> [String] {
  checks.flatMap { check in check.run(implementation).map { "\(check.name): \($0)" } }
}

/// A thrown error as a grading message (an unanswered exercise throws `notImplemented`).
func describe(_ error: Error) -> String {
  "threw \(error) — the exercise is not answered yet, or it threw where it should return a value"
}

// MARK: - Comparisons that explain themselves

/// The largest |aᵢ − bᵢ| (∞ when the lengths differ or a value is NaN).
public func maxAbsDifference(_ a: [Double], _ b: [Double]) -> Double {
  guard a.count == b.count else { return .infinity }
  return zip(a, b).reduce(0) { worst, pair in
    let d = abs(pair.0 - pair.1)
    return d.isNaN ? .infinity : max(worst, d)
  }
}

/// Formats a short list of numbers for a message: `[0.25, 0.75]`, abbreviated when long.
public func show(_ values: [Double]) -> String {
  let shown = values.prefix(6).map { String(format: "%.6g", $0) }.joined(separator: ", ")
  return "[\(shown)\(values.count > 6 ? ", … (\(values.count) values)" : "")]"
}

/// A failure message when `got` differs from `expected` by more than `tolerance`, else nil.
///
/// - Parameter hint: the usual cause of this particular mismatch, said to the student.
public func mismatch(_ what: String, got: [Double], expected: [Double], tolerance: Double, hint: String) -> String? {
  if got.count != expected.count {
    return "\(what): expected \(expected.count) values, got \(got.count). \(hint)"
  }
  let difference = maxAbsDifference(got, expected)
  guard difference > tolerance else { return nil }
  return
    "\(what): expected \(show(expected)), got \(show(got)) (max|Δ| = \(String(format: "%.3g", difference)) > \(tolerance)). \(hint)"
}
