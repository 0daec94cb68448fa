import ExerciseGrading
import Exercises
import XCTest

/// Grades exercise 0.1: `swift test --filter Exercise0001`.
final class Exercise0001Tests: ExerciseTestCase {
  func testHandDerivedGradient() { grade(Grader0001.checks, "hand-derived gradient", centralDifferenceGradient) }
  func testSecondOrderAccuracy() { grade(Grader0001.checks, "second-order accuracy", centralDifferenceGradient) }
  func testOneCoordinateAtATime() {
    grade(Grader0001.checks, "leaves x unchanged and returns one value per coordinate", centralDifferenceGradient)
  }
}
