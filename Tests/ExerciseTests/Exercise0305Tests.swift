import ExerciseGrading
import Exercises
import XCTest

/// Grades exercise 3.5: `swift test --filter Exercise0305`.
final class Exercise0305Tests: ExerciseTestCase {
  func testHandComputedLayout() { grade(Grader0305.checks, "hand-computed layout", appendAgentIDs) }
  func testAgreesWithLibrary() { grade(Grader0305.checks, "agrees with the library", appendAgentIDs) }
  func testGradientsFlow() { grade(Grader0305.checks, "gradients flow into the observations", appendAgentIDs) }
}
