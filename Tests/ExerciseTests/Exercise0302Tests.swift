import ExerciseGrading
import Exercises
import XCTest

/// Grades exercise 3.2: `swift test --filter Exercise0302`.
final class Exercise0302Tests: ExerciseTestCase {
  func testHandComputed() { grade(Grader0302.checks, "hand-computed segment", gaeAdvantages) }
  func testLambdaZeroAndOne() { grade(Grader0302.checks, "λ = 0 and λ = 1", gaeAdvantages) }
  func testRandomSegments() { grade(Grader0302.checks, "agrees with the library on random segments", gaeAdvantages) }
}
