import ExerciseGrading
import Exercises
import XCTest

/// Grades exercise 2.5: `swift test --filter Exercise0205`.
final class Exercise0205Tests: ExerciseTestCase {
  func testHandComputed() { grade(Grader0205.checks, "hand-computed loss", qtranLoss) }
  func testOnlyViolations() { grade(Grader0205.checks, "only violations are penalised", qtranLoss) }
  func testGradients() { grade(Grader0205.checks, "gradients: Q_jt learns only from L_td", qtranLoss) }
  func testAgainstLibrary() { grade(Grader0205.checks, "agrees with the library on a random batch", qtranLoss) }
}
