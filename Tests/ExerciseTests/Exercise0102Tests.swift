import ExerciseGrading
import Exercises
import XCTest

/// Grades exercise 1.2: `swift test --filter Exercise0102`.
final class Exercise0102Tests: ExerciseTestCase {
  func testDecTiger() { grade(Grader0102.checks, "Dec-Tiger, h = 1, 2, 3, by hand", log10JointPolicyCount) }
  func testOneObservation() {
    grade(Grader0102.checks, "one observation: a policy is a plan of h actions", log10JointPolicyCount)
  }
  func testThreeAgents() { grade(Grader0102.checks, "three agents of different sizes", log10JointPolicyCount) }
  func testLongHorizons() { grade(Grader0102.checks, "long horizons: the logarithm stays finite", log10JointPolicyCount) }
  func testAgainstLibrary() { grade(Grader0102.checks, "agrees with the library on random sizes", log10JointPolicyCount) }
}
