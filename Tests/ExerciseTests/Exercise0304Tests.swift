import ExerciseGrading
import Exercises
import XCTest

/// Grades exercise 3.4: `swift test --filter Exercise0304`.
final class Exercise0304Tests: ExerciseTestCase {
  func testHandComputed() { grade(Grader0304.checks, "hand-computed estimate", scoreFunctionGradientEstimate) }
  func testUnbiased() { grade(Grader0304.checks, "unbiased on a random game", scoreFunctionGradientEstimate) }
  func testBaseline() { grade(Grader0304.checks, "the baseline is subtracted", scoreFunctionGradientEstimate) }
}
