import ExerciseGrading
import Exercises
import XCTest

/// Grades exercise 0.5: `swift test --filter Exercise0005`.
final class Exercise0005Tests: ExerciseTestCase {
  func testCubic() { grade(Grader0005.checks, "cubic, by hand", hessianVectorProduct) }
  func testQuadraticForm() { grade(Grader0005.checks, "quadratic form", hessianVectorProduct) }
  func testAgainstDifferences() { grade(Grader0005.checks, "agrees with differences of gradients", hessianVectorProduct) }
}
