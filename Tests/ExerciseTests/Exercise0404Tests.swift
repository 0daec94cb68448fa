import ExerciseGrading
import Exercises
import XCTest

/// Grades exercise 4.4: `swift test --filter Exercise0404`.
final class Exercise0404Tests: ExerciseTestCase {
  func testHandComputed() { grade(Grader0404.checks, "a hand-computed episode", criticTargets) }
  func testSpecialCases() { grade(Grader0404.checks, "λ = 0 is the one-step target and λ = 1 the return", criticTargets) }
  func testEpisodeBoundaries() {
    grade(Grader0404.checks, "episode boundaries: termination, truncation, the end of the data", criticTargets)
  }
}
