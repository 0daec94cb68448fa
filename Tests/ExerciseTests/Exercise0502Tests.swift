import ExerciseGrading
import Exercises
import XCTest

/// Grades exercise 5.2: `swift test --filter Exercise0502`.
final class Exercise0502Tests: ExerciseTestCase {
  func testByHand() { grade(Grader0502.checks, "by hand, order 1 → 0 → 2", correctionFactors) }
  func testNotClipped() { grade(Grader0502.checks, "large moves are not clipped", correctionFactors) }
  func testRandomOrders() { grade(Grader0502.checks, "random orders", correctionFactors) }
}
