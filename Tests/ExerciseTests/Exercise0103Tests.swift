import ExerciseGrading
import Exercises
import XCTest

/// Grades exercise 1.3: `swift test --filter Exercise0103`.
final class Exercise0103Tests: ExerciseTestCase {
  func testAlwaysListen() { grade(Grader0103.checks, "always listen on Dec-Tiger: −2 per step", evaluatePolicy) }
  func testListenThenOpen() {
    grade(Grader0103.checks, "listen, then open away from what you heard (Dec-Tiger, by hand)", evaluatePolicy)
  }
  func testAgainstLibrary() { grade(Grader0103.checks, "agrees with the library on random models and policies", evaluatePolicy) }
}
