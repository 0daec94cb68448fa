import ExerciseGrading
import Exercises
import XCTest

/// Grades exercise 2.3: `swift test --filter Exercise0203`.
final class Exercise0203Tests: ExerciseTestCase {
  func testAdditiveAndNonMonotonic() { grade(Grader0203.checks, "additive and non-monotonic values", satisfiesIGM) }
  func testThreeAgents() { grade(Grader0203.checks, "three agents, a violation off the diagonal", satisfiesIGM) }
  func testTies() { grade(Grader0203.checks, "ties are not violations", satisfiesIGM) }
  func testAgainstLibrary() {
    grade(Grader0203.checks, "agrees with the library on random monotonic and unconstrained mixers", satisfiesIGM)
  }
}
