import ExerciseGrading
import Exercises
import XCTest

/// Grades exercise 0.3: `swift test --filter Exercise0003`.
final class Exercise0003Tests: ExerciseTestCase {
  func testDiamond() { grade(Grader0003.checks, "diamond with a reused input", topologicalOrder) }
  func testRandomGraph() { grade(Grader0003.checks, "random graph", topologicalOrder) }
  func testLongChain() { grade(Grader0003.checks, "a chain of 100,000 ops", topologicalOrder) }
}
