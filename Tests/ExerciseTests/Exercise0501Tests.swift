import ExerciseGrading
import Exercises
import XCTest

/// Grades exercise 5.1: `swift test --filter Exercise0501`.
final class Exercise0501Tests: ExerciseTestCase {
  func testByHand() { grade(Grader0501.checks, "two agents, by hand", multiAgentAdvantage) }
  func testAgentsOutOfOrder() { grade(Grader0501.checks, "agents listed out of order", multiAgentAdvantage) }
  func testZeroMean() { grade(Grader0501.checks, "averages to zero under the agent's own policy", multiAgentAdvantage) }
  func testAgainstLibrary() { grade(Grader0501.checks, "agrees with the library on random games", multiAgentAdvantage) }
}
