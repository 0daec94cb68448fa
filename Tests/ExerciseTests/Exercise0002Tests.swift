import ExerciseGrading
import Exercises
import XCTest

/// Grades exercise 0.2: `swift test --filter Exercise0002`.
final class Exercise0002Tests: ExerciseTestCase {
  func testHandDerivedRows() { grade(Grader0002.checks, "hand-derived rows", logSumExpBackward) }
  func testLargeLogits() { grade(Grader0002.checks, "large logits stay finite", logSumExpBackward) }
  func testAgainstAutodiff() { grade(Grader0002.checks, "agrees with autodiff on random logits", logSumExpBackward) }
}
