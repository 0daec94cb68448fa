import ExerciseGrading
import Exercises
import XCTest

/// Grades exercise 1.1: `swift test --filter Exercise0101`.
final class Exercise0101Tests: ExerciseTestCase {
  func testDecTigerListening() { grade(Grader0101.checks, "Dec-Tiger: listening", beliefUpdate) }
  func testDecTigerReset() { grade(Grader0101.checks, "Dec-Tiger: opening a door resets the tiger", beliefUpdate) }
  func testObservedAfterTheMove() { grade(Grader0101.checks, "a state that moves before it is seen", beliefUpdate) }
  func testAgainstLibrary() { grade(Grader0101.checks, "agrees with the library on random models", beliefUpdate) }
}
