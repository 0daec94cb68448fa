import ExerciseGrading
import Exercises
import XCTest

/// Grades exercise 2.2: `swift test --filter Exercise0202`.
final class Exercise0202Tests: ExerciseTestCase {
  func testNonMonotonicGame() { grade(Grader0202.checks, "non-monotonic game", additiveFit) }
  func testRectangular() { grade(Grader0202.checks, "a 2 × 4 matrix", additiveFit) }
  func testNormalEquations() { grade(Grader0202.checks, "normal equations on a random 3 × 5 game", additiveFit) }
}
