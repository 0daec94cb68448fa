import ExerciseGrading
import Exercises
import XCTest

/// Grades exercise 4.5: `swift test --filter Exercise0405`.
final class Exercise0405Tests: ExerciseTestCase {
  func testConstructedGame() { grade(Grader0405.checks, "the constructed game R = u¹ + 10u²", comaGradientVariance) }
  func testAgainstLibrary() { grade(Grader0405.checks, "agrees with the library on random games", comaGradientVariance) }
}
