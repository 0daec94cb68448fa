import ExerciseGrading
import Exercises
import XCTest

/// Grades exercise 4.1: `swift test --filter Exercise0401`.
final class Exercise0401Tests: ExerciseTestCase {
  func testHandComputed() { grade(Grader0401.checks, "hand-computed on R = u¹ + 10u²", comaBaseline) }
  func testIndependentOfOwnAction() { grade(Grader0401.checks, "does not depend on the agent's own action", comaBaseline) }
  func testAgainstLibrary() { grade(Grader0401.checks, "agrees with the library on random games and policies", comaBaseline) }
}
