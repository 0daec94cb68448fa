import ExerciseGrading
import Exercises
import XCTest

/// Grades exercise 1.4: `swift test --filter Exercise0104`.
final class Exercise0104Tests: ExerciseTestCase {
  func testAgainstListener() { grade(Grader0104.checks, "Dec-Tiger h = 3, against a partner who always listens", bestResponse) }
  func testSecondAgent() { grade(Grader0104.checks, "Dec-Tiger h = 2, the second agent against listen-then-open", bestResponse) }
  func testLookBeforeYouLeap() { grade(Grader0104.checks, "look before you leap: information is worth paying for", bestResponse) }
  func testAgainstLibrary() { grade(Grader0104.checks, "agrees with the library on random models", bestResponse) }
}
