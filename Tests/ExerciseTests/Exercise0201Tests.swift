import ExerciseGrading
import Exercises
import XCTest

/// Grades exercise 2.1: `swift test --filter Exercise0201`.
final class Exercise0201Tests: ExerciseTestCase {
  func testHandComputed() { grade(Grader0201.checks, "hand-computed sample", qmixMixing) }
  func testBiasesKeepTheirSign() { grade(Grader0201.checks, "biases keep their sign", qmixMixing) }
  func testRandomBatch() { grade(Grader0201.checks, "random batch", qmixMixing) }
  func testMonotonicAndDifferentiable() { grade(Grader0201.checks, "monotonic and differentiable", qmixMixing) }
}
