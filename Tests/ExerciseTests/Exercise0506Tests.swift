import Autodiff
import ExerciseGrading
import Exercises
import XCTest

/// Grades exercise 5.6: `swift test --filter Exercise0506`.
final class Exercise0506Tests: ExerciseTestCase {
  let order: Grader0506.Implementation = { n, rng in try randomAgentOrder(agentCount: n, using: &rng) }

  func testPermutation() { grade(Grader0506.checks, "a permutation of the agents", order) }
  func testUniformOverOrderings() { grade(Grader0506.checks, "uniform over the 6 orderings of 3 agents", order) }
  func testFirstAndLast() { grade(Grader0506.checks, "every agent equally likely to go first and last, n = 5", order) }
  func testOwnGenerator() { grade(Grader0506.checks, "uses only the generator it is given", order) }
}
