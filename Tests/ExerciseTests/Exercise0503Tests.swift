import ExerciseGrading
import Exercises
import XCTest

/// Grades exercise 5.3: `swift test --filter Exercise0503`.
final class Exercise0503Tests: ExerciseTestCase {
  func testByHand() { grade(Grader0503.checks, "by hand", happoLoss) }
  func testNoGradientIntoData() {
    grade(Grader0503.checks, "no gradient into the factor, the advantages or the old policy", happoLoss)
  }
  func testAgainstLibrary() { grade(Grader0503.checks, "agrees with the library, value and gradient", happoLoss) }
}
