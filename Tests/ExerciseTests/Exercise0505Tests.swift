import ExerciseGrading
import Exercises
import XCTest

/// Grades exercise 5.5: `swift test --filter Exercise0505`.
final class Exercise0505Tests: ExerciseTestCase {
  func testFullStep() { grade(Grader0505.checks, "an exact quadratic model: the full step", klConstrainedStep) }
  func testBacktracksOnKL() { grade(Grader0505.checks, "backtracks when the KL model is wrong", klConstrainedStep) }
  func testAcceptRatio() { grade(Grader0505.checks, "demands a fraction κ of the predicted gain", klConstrainedStep) }
  func testKeepsParameters() { grade(Grader0505.checks, "keeps θ when nothing qualifies", klConstrainedStep) }
}
