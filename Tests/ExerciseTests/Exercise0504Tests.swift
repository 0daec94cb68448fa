import ExerciseGrading
import Exercises
import XCTest

/// Grades exercise 5.4: `swift test --filter Exercise0504`.
final class Exercise0504Tests: ExerciseTestCase {
  func testByHand() { grade(Grader0504.checks, "diagonal system, by hand", conjugateGradientSolve) }
  func testIterates() { grade(Grader0504.checks, "the same iterates as the method, one product each", conjugateGradientSolve) }
  func testStops() { grade(Grader0504.checks, "stops once the system is solved", conjugateGradientSolve) }
  func testFisherVectorProduct() {
    grade(Grader0504.checks, "a Fisher-vector product of a small network", conjugateGradientSolve)
  }
}
