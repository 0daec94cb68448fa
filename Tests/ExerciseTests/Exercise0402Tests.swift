import ExerciseGrading
import Exercises
import XCTest

/// Grades exercise 4.2: `swift test --filter Exercise0402`.
final class Exercise0402Tests: ExerciseTestCase {
  func testHandComputed() { grade(Grader0402.checks, "hand-computed rows", comaAdvantages) }
  func testOwnPolicyPerRow() { grade(Grader0402.checks, "each row uses its own agent's policy", comaAdvantages) }
  func testDetached() { grade(Grader0402.checks, "the advantage is a constant: no gradient flows through it", comaAdvantages) }
}
