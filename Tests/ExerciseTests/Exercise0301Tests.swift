import ExerciseGrading
import Exercises
import XCTest

/// Grades exercise 3.1: `swift test --filter Exercise0301`.
final class Exercise0301Tests: ExerciseTestCase {
  func testOneTerminatedEpisode() { grade(Grader0301.checks, "one terminated episode", bootstrappedReturns) }
  func testTruncation() { grade(Grader0301.checks, "truncation bootstraps and stops the sum", bootstrappedReturns) }
  func testRandomSegments() { grade(Grader0301.checks, "agrees with the library on random segments", bootstrappedReturns) }
}
