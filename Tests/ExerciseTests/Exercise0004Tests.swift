import ExerciseGrading
import Exercises
import XCTest

/// Grades exercise 0.4: `swift test --filter Exercise0004`.
final class Exercise0004Tests: ExerciseTestCase {
  func testOneExample() { grade(Grader0004.checks, "hand-derived, one example", softmaxCrossEntropyGradient) }
  func testBatch() { grade(Grader0004.checks, "hand-derived, a batch of two", softmaxCrossEntropyGradient) }
  func testAgainstAutodiff() { grade(Grader0004.checks, "agrees with autodiff", softmaxCrossEntropyGradient) }
}
