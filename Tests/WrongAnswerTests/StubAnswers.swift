import Autodiff
import ExerciseGrading
import Foundation
import MARL
import XCTest

/// A stub that returns a constant must fail *every* check of its grader, not only the grader as a
/// whole: each check is a test method of its own, and a stub must earn none of them. (Shipped only
/// with the master copy: the handout removes this folder.)
final class StubAnswersTests: XCTestCase {
  func assertEveryCheckRejects<I>(
    _ checks: [Check<I>], _ stub: I, _ what: String, file: StaticString = #filePath, line: UInt = #line
  ) {
    for check in checks where check.run(stub).isEmpty {
      XCTFail("the check “\(check.name)” accepted \(what)", file: file, line: line)
    }
  }

  func test0001Zeros() {
    assertEveryCheckRejects(Grader0001.checks, { _, x, _ in x.map { _ in 0 } }, "a gradient of zeros")
  }

  func test0203AlwaysTrue() {
    assertEveryCheckRejects(Grader0203.checks, { _, _, _ in true }, "an IGM check that always answers true")
  }

  func test0401Zero() {
    assertEveryCheckRejects(Grader0401.checks, { _, _, _, _ in 0 }, "a baseline of 0")
  }

  func test0402Zeros() {
    assertEveryCheckRejects(Grader0402.checks, { q, _, _ in Tensor.zeros([q.shape[0]]) }, "advantages of 0")
  }

  func test0501Zero() {
    assertEveryCheckRejects(Grader0501.checks, { _, _, _, _, _, _, _ in 0 }, "an advantage of 0")
  }

  func test0504ReturnsB() {
    assertEveryCheckRejects(Grader0504.checks, { _, b, _ in b }, "a solver that returns b")
  }

  func test0505ReturnsTheParameters() {
    assertEveryCheckRejects(Grader0505.checks, { θ, _, _, _, _, _, _, _, _, _ in θ }, "a step that returns θ")
  }

  func test0506FixedOrder() {
    assertEveryCheckRejects(Grader0506.checks, { n, _ in Array(0..<n) }, "the fixed order 0, 1, …, n − 1")
  }
}
