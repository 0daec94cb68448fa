import Autodiff
import ExerciseGrading
import Foundation
import XCTest

/// The catalogue of plausible wrong answers to chapter 0's exercises. Each one must be rejected by
/// its exercise's grader: a grader that passes a wrong answer would give a student false confidence.
/// (Shipped only with the master copy: the handout removes this folder.)
final class WrongAnswers00Tests: XCTestCase {
  func assertRejected<I>(_ checks: [Check<I>], _ wrong: I, _ mistake: String, file: StaticString = #filePath, line: UInt = #line)
  {
    XCTAssertFalse(failures(of: wrong, checks).isEmpty, "the grader accepted a wrong answer: \(mistake)", file: file, line: line)
  }

  // MARK: - 0.1

  func test0001OneSidedDifference() {
    assertRejected(
      Grader0001.checks,
      { f, x, ε in
        x.indices.map { i in
          var up = x; up[i] += ε; return (f(up) - f(x)) / ε
        }
      }, "one-sided (forward) difference")
  }

  func test0001DividesByEpsilon() {
    assertRejected(
      Grader0001.checks,
      { f, x, ε in
        x.indices.map { i in
          var up = x; var down = x; up[i] += ε; down[i] -= ε; return (f(up) - f(down)) / ε
        }
      }, "central difference divided by ε instead of 2ε")
  }

  func test0001ForgetsToRestore() {
    assertRejected(
      Grader0001.checks,
      { f, x, ε in
        var point = x
        return x.indices.map { i in
          point[i] += ε
          let up = f(point)
          point[i] -= 2 * ε
          let down = f(point)
          return (up - down) / (2 * ε)  // point[i] is left at x − ε
        }
      }, "perturbs coordinates without restoring them")
  }

  // MARK: - 0.2

  func test0002IgnoresUpstream() {
    assertRejected(Grader0002.checks, { x, _ in x.softmax(alongAxis: 1) }, "forgets to multiply by ḡ")
  }

  func test0002Unnormalised() {
    assertRejected(Grader0002.checks, { x, ḡ in x.exp() * ḡ.reshaped([-1, 1]) }, "exp(x) without dividing by the row sum")
  }

  func test0002WrongAxis() {
    assertRejected(Grader0002.checks, { x, ḡ in x.softmax(alongAxis: 0) * ḡ.reshaped([-1, 1]) }, "softmax down the columns")
  }

  func test0002Unstable() {
    assertRejected(
      Grader0002.checks,
      { x, ḡ in
        let e = Tensor(shape: x.shape, scalars: x.scalars.map { Foundation.exp($0) })
        return e / e.sum(alongAxes: [1], keepingDimensions: true) * ḡ.reshaped([-1, 1])
      }, "exponentiates without subtracting the maximum")
  }

  // MARK: - 0.3

  func test0003Reversed() {
    assertRejected(
      Grader0003.checks,
      { inputs, root in
        var order: [Int] = [], seen: Set<Int> = [root], queue = [root]
        while !queue.isEmpty {
          let node = queue.removeFirst()
          order.append(node)
          for input in inputs[node] where seen.insert(input).inserted { queue.append(input) }
        }
        return order  // root first: the order of the backward pass, not a topological order
      }, "returns the reverse order (root first)")
  }

  func test0003NoVisitedSet() {
    assertRejected(
      Grader0003.checks,
      { inputs, root in
        var order: [Int] = []
        var stack: [(Int, Int)] = [(root, 0)]
        while let (node, next) = stack.last {
          if next < inputs[node].count {
            stack[stack.count - 1].1 += 1
            stack.append((inputs[node][next], 0))
          } else {
            order.append(node)
            stack.removeLast()
          }
        }
        return order  // a reused node appears once per path
      }, "no visited set: reused nodes repeat")
  }

  func test0003VisitedWhenPushed() {
    assertRejected(
      Grader0003.checks,
      { inputs, root in
        var visited: Set<Int> = [root], order: [Int] = [], stack: [(Int, Bool)] = [(root, false)]
        while let (node, expanded) = stack.popLast() {
          if expanded {
            order.append(node)
            continue
          }
          stack.append((node, true))
          for input in inputs[node] where visited.insert(input).inserted { stack.append((input, false)) }
        }
        return order  // a node pushed early is expanded late, after a node that reads it
      }, "an iterative search that marks nodes visited when pushed")
  }

  func test0003AllNodes() {
    assertRejected(
      Grader0003.checks, { inputs, _ in Array(inputs.indices) }, "lists every node, including ones the root does not need")
  }

  // MARK: - 0.4

  func test0004MissingMean() {
    assertRejected(
      Grader0004.checks, { z, y in z.softmax(alongAxis: 1) - Tensor.oneHot(y, depth: z.shape[1]) }, "forgets the 1/N of the mean")
  }

  func test0004WrongSign() {
    assertRejected(
      Grader0004.checks, { z, y in (Tensor.oneHot(y, depth: z.shape[1]) - z.softmax(alongAxis: 1)) / Double(z.shape[0]) },
      "sign flipped")
  }

  func test0004ForgetsLabel() {
    assertRejected(Grader0004.checks, { z, _ in z.softmax(alongAxis: 1) / Double(z.shape[0]) }, "forgets the one-hot label")
  }

  // MARK: - 0.5

  func test0005NoCreateGraph() {
    assertRejected(
      Grader0005.checks,
      { f, x, v in
        let variable = Tensor(shape: x.shape, scalars: x.scalars, requiresGradient: true)
        let g = gradients(of: f(variable), withRespectTo: [variable])[0]  // a constant: no graph recorded
        return gradients(of: (g * v).sum(), withRespectTo: [variable])[0]
      }, "first gradient computed without createGraph")
  }

  func test0005ReturnsGradient() {
    assertRejected(
      Grader0005.checks,
      { f, x, _ in
        let variable = Tensor(shape: x.shape, scalars: x.scalars, requiresGradient: true)
        return gradients(of: f(variable), withRespectTo: [variable])[0]
      }, "returns ∇f instead of Hv")
  }
}
