import ExerciseGrading
import Exercises
import XCTest

/// Grades exercise 3.3: `swift test --filter Exercise0303`.
final class Exercise0303Tests: ExerciseTestCase {
  func testHandComputedLoss() { grade(Grader0303.checks, "hand-computed loss", ppoClipPolicyLoss) }
  func testGradientWhereClipped() { grade(Grader0303.checks, "gradient is zero exactly where the clip binds", ppoClipPolicyLoss) }
  func testOldLogProbabilitiesAreConstants() {
    grade(Grader0303.checks, "old log-probabilities and advantages are constants", ppoClipPolicyLoss)
  }
}
