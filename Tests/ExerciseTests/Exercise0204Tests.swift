import ExerciseGrading
import Exercises
import XCTest

/// Grades exercise 2.4: `swift test --filter Exercise0204`.
final class Exercise0204Tests: ExerciseTestCase {
  func testHandExample() { grade(Grader0204.checks, "hand example", doubleQTargets) }
  func testTerminal() { grade(Grader0204.checks, "terminal transitions", doubleQTargets) }
  func testAgainstLibrary() { grade(Grader0204.checks, "agrees with the library, QMIX target mixer", doubleQTargets) }
}
