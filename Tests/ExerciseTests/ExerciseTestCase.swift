import ExerciseGrading
import XCTest

/// The base class of every exercise's tests. Each test method runs one named check of the exercise's
/// grader on the student's function and reports each failure message as an XCTest failure.
///
/// It also makes `swift test` end with a summary of the exercises, by chapter (see ``ExerciseSummary``).
class ExerciseTestCase: XCTestCase {
  override class func setUp() {
    super.setUp()
    ExerciseSummary.registerOnce()
  }

  /// Runs the check named `name` of `checks` on `implementation`, failing the test with its messages.
  func grade<Implementation>(
    _ checks: [Check<Implementation>], _ name: String, _ implementation: Implementation,
    file: StaticString = #filePath, line: UInt = #line
  ) {
    guard let check = checks.first(where: { $0.name == name }) else {
      return XCTFail("no check named “\(name)” in this grader", file: file, line: line)
    }
    for message in check.run(implementation) { XCTFail(message, file: file, line: line) }
  }
}
