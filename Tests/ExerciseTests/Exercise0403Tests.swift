import ExerciseGrading
import Exercises
import XCTest

/// Grades exercise 4.3: `swift test --filter Exercise0403`.
final class Exercise0403Tests: ExerciseTestCase {
  func testHandBuilt() { grade(Grader0403.checks, "a hand-built step with two agents", comaCriticInputs) }
  func testOwnActionMasked() {
    grade(Grader0403.checks, "every row hides its own agent's action and only that", comaCriticInputs)
  }
  func testAgainstLibrary() { grade(Grader0403.checks, "agrees with the library on a random batch", comaCriticInputs) }
}
