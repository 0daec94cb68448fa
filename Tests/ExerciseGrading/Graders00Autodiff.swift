import Autodiff
import Foundation

// The graders of chapter 0's exercises. Every expected value below is either derived by hand in the
// comment beside it or computed independently by the library (whose own tests check it against
// central differences).

// MARK: - 0.1 Central difference

/// Grader of exercise 0.1, `centralDifferenceGradient(of:at:epsilon:)`.
public enum Grader0001 {
  public typealias Implementation = (([Double]) -> Double, [Double], Double) throws -> [Double]

  public static var checks: [Check<Implementation>] {
    [
      Check("hand-derived gradient") { gradient in
        // f(x) = x₀² x₁ + 3 x₁ at (1.5, −2): ∂f/∂x₀ = 2 x₀ x₁ = −6, ∂f/∂x₁ = x₀² + 3 = 5.25.
        // f is quadratic in each coordinate, so the central difference is exact up to rounding, while
        // a one-sided difference is off by ε·x₁ = −2e-4 in the first coordinate.
        let got = try gradient({ x in x[0] * x[0] * x[1] + 3 * x[1] }, [1.5, -2], 1e-4)
        return [
          mismatch(
            "∇f at (1.5, −2)", got: got, expected: [-6, 5.25], tolerance: 1e-7,
            hint: "Divide by 2ε (the two points are 2ε apart), and step both ways: f(x + εeᵢ) − f(x − εeᵢ).")
        ].compactMap { $0 }
      },
      Check("second-order accuracy") { gradient in
        // f(x) = Σ exp(xᵢ) at (0, 1) with a coarse ε = 0.01: the central error is ε²/6·eˣ ≤ 4.6e-5,
        // the one-sided error ε/2·eˣ ≈ 5e-3 to 1.4e-2.
        let got = try gradient({ x in x.map(exp).reduce(0, +) }, [0, 1], 1e-2)
        return [
          mismatch(
            "∇f for f = Σ exp(xᵢ) at (0, 1), ε = 0.01", got: got, expected: [1, exp(1)], tolerance: 1e-4,
            hint: "An error of order ε means a one-sided difference; the central one is accurate to order ε².")
        ].compactMap { $0 }
      },
      Check("leaves x unchanged and returns one value per coordinate") { gradient in
        let x = [0.3, -0.7, 1.1, 2.0]
        var seen: [[Double]] = []
        let got = try gradient(
          { point in
            seen.append(point); return point.reduce(0, +)
          }, x, 1e-6)
        var problems: [String] = []
        if got.count != x.count { problems.append("expected \(x.count) partial derivatives, got \(got.count).") }
        let moved = seen.map { point in zip(point, x).filter { abs($0 - $1) > 1e-12 }.count }
        if moved.contains(where: { $0 > 1 }) {
          problems.append(
            "f was called at a point where more than one coordinate moved: perturb one coordinate at a time and restore it.")
        }
        // f = Σ xᵢ has ∂f/∂xᵢ = 1, and a central difference of a linear function is exact up to rounding.
        if got.count == x.count,
          let wrong = mismatch(
            "∇f for f = Σ xᵢ", got: got, expected: [1, 1, 1, 1], tolerance: 1e-6,
            hint: "Each partial derivative is (f(x + εeᵢ) − f(x − εeᵢ)) / 2ε.")
        {
          problems.append(wrong)
        }
        return problems
      },
    ]
  }
}

// MARK: - 0.2 Log-sum-exp backward

/// Grader of exercise 0.2, `logSumExpBackward(x:upstream:)`.
public enum Grader0002 {
  public typealias Implementation = (Tensor, Tensor) throws -> Tensor

  public static var checks: [Check<Implementation>] {
    [
      Check("hand-derived rows") { backward in
        // Row 0: softmax(0, ln 3) = (1/4, 3/4), times ḡ₀ = 2 → (0.5, 1.5).
        // Row 1: softmax(1, 1) = (1/2, 1/2), times ḡ₁ = −1 → (−0.5, −0.5).
        let x = Tensor([[0, log(3)], [1, 1]])
        let got = try backward(x, Tensor([2, -1]))
        return [
          mismatch(
            "∂L/∂x", got: got.scalars, expected: [0.5, 1.5, -0.5, -0.5], tolerance: 1e-12,
            hint: "Each row is ḡᵢ times the softmax of that row: normalise exp(x) along the row, then multiply by ḡᵢ.")
        ].compactMap { $0 }
      },
      Check("large logits stay finite") { backward in
        // softmax is shift-invariant: (1000, 1000 + ln 3) has the same softmax as (0, ln 3).
        let got = try backward(Tensor([[1000, 1000 + log(3)]]), Tensor([1]))
        return [
          mismatch(
            "∂L/∂x for logits near 1000", got: got.scalars, expected: [0.25, 0.75], tolerance: 1e-12,
            hint: "exp(1000) overflows to ∞ and ∞/∞ is NaN: subtract the row maximum before exponentiating.")
        ].compactMap { $0 }
      },
      Check("agrees with autodiff on random logits") { backward in
        var rng = RandomGenerator(seed: 2)
        let x = rng.normal([4, 5], std: 3)
        let ḡ = rng.normal([4])
        let got = try backward(x, ḡ)
        let variable = x.requiringGradient()
        let reference = gradients(of: (variable.logSumExp(alongAxis: 1) * ḡ).sum(), withRespectTo: [variable])[0]
        if got.shape != [4, 5] { return ["expected shape [4, 5] (the shape of x), got \(got.shape)."] }
        return [
          mismatch(
            "∂L/∂x on random 4×5 logits", got: got.scalars, expected: reference.scalars, tolerance: 1e-10,
            hint: "Normalise along each row (axis 1), not down the columns.")
        ].compactMap { $0 }
      },
    ]
  }
}

// MARK: - 0.3 Topological order

/// Grader of exercise 0.3, `topologicalOrder(inputs:root:)`.
public enum Grader0003 {
  public typealias Implementation = ([[Int]], Int) throws -> [Int]

  /// Problems with `order` as a topological order of the nodes `root` depends on.
  static func problems(_ order: [Int], inputs: [[Int]], root: Int) -> [String] {
    // The nodes root depends on, found independently by a breadth-first search.
    var reachable: Set<Int> = [root]
    var frontier = [root]
    while let node = frontier.popLast() {
      for input in inputs[node] where reachable.insert(input).inserted { frontier.append(input) }
    }
    var problems: [String] = []
    if order.count != Set(order).count {
      problems.append(
        "a node appears more than once (\(order.count) entries, \(Set(order).count) distinct): mark nodes as visited, since a reused node is reached along several paths."
      )
    }
    if Set(order) != reachable {
      let extra = Set(order).subtracting(reachable).sorted().prefix(5)
      let missing = reachable.subtracting(order).sorted().prefix(5)
      problems.append(
        "expected exactly the \(reachable.count) nodes the root depends on; extra \(Array(extra)), missing \(Array(missing)). Start from the root, not from every node."
      )
    }
    if order.last != root {
      problems.append(
        "the root \(root) must come last (it depends on everything else), got \(order.last.map(String.init) ?? "nothing") last.")
    }
    var position: [Int: Int] = [:]
    for (k, node) in order.enumerated() where position[node] == nil { position[node] = k }
    if let bad = order.first(where: { node in inputs[node].contains { input in (position[input] ?? Int.max) > position[node]! } })
    {
      problems.append(
        "node \(bad) comes before one of its inputs \(inputs[bad]): append a node only after all its inputs (post-order), and don't reverse the list."
      )
    }
    return problems
  }

  public static var checks: [Check<Implementation>] {
    [
      Check("diamond with a reused input") { order in
        // x = 0; a = x·x (reads 0 twice) = 1; b = exp(x) = 2; y = a + b = 3; node 4 reads x but y does not need it.
        let inputs = [[], [0, 0], [0], [1, 2], [0]]
        // r = 2 reads [0, 1] and 1 reads 0: a search that marks a node visited when it is pushed sets 0
        // aside from 2's inputs and returns [1, 0, 2], node 1 before its input 0.
        let shared = [[], [0], [0, 1]]
        return problems(try order(inputs, 3), inputs: inputs, root: 3)
          + problems(try order(shared, 2), inputs: shared, root: 2)
      },
      Check("random graph") { order in
        var rng = RandomGenerator(seed: 3)
        let n = 300
        let inputs = (0..<n).map { v in v == 0 ? [] : (0..<(1 + rng.integer(below: 3))).map { _ in rng.integer(below: v) } }
        return problems(try order(inputs, n - 1), inputs: inputs, root: n - 1)
      },
      Check("a chain of 100,000 ops") { order in
        let n = 100_000
        let inputs = (0..<n).map { $0 == 0 ? [] : [$0 - 1] }
        let got = try order(inputs, n - 1)
        return got == Array(0..<n)
          ? []
          : [
            "expected 0, 1, …, 99999 for a chain, got \(got.count) nodes starting \(Array(got.prefix(3))). A recursive search this deep overflows the stack: keep your own stack."
          ]
      },
    ]
  }
}

// MARK: - 0.4 Softmax cross-entropy

/// Grader of exercise 0.4, `softmaxCrossEntropyGradient(logits:labels:)`.
public enum Grader0004 {
  public typealias Implementation = (Tensor, [Int]) throws -> Tensor

  public static var checks: [Check<Implementation>] {
    [
      Check("hand-derived, one example") { gradient in
        // softmax(0, ln 3) = (1/4, 3/4); label 1 → (1/4 − 0, 3/4 − 1) = (0.25, −0.25); N = 1.
        let got = try gradient(Tensor([[0, log(3)]]), [1])
        return [
          mismatch(
            "∂L/∂z", got: got.scalars, expected: [0.25, -0.25], tolerance: 1e-12,
            hint: "The gradient is softmax(z) minus the one-hot label: positive on the wrong classes, negative on the right one.")
        ].compactMap { $0 }
      },
      Check("hand-derived, a batch of two") { gradient in
        // Row 0: softmax(0, 0) − e₀ = (−0.5, 0.5); row 1: softmax(ln 3, 0) − e₀ = (−0.25, 0.25); both / N = 2.
        let got = try gradient(Tensor([[0, 0], [log(3), 0]]), [0, 0])
        return [
          mismatch(
            "∂L/∂z", got: got.scalars, expected: [-0.25, 0.25, -0.125, 0.125], tolerance: 1e-12,
            hint: "The loss is a mean over the N examples, so every row of the gradient is divided by N.")
        ].compactMap { $0 }
      },
      Check("agrees with autodiff") { gradient in
        var rng = RandomGenerator(seed: 4)
        let logits = rng.normal([6, 4], std: 2)
        let labels = (0..<6).map { _ in rng.integer(below: 4) }
        let z = logits.requiringGradient()
        let loss = -z.logSoftmax(alongAxis: 1).gathering(labels).mean()
        let reference = gradients(of: loss, withRespectTo: [z])[0]
        let got = try gradient(logits, labels)
        return [
          mismatch(
            "∂L/∂z on a random batch", got: got.scalars, expected: reference.scalars, tolerance: 1e-10,
            hint: "Check the sign (the loss is the *negative* log-likelihood) and the 1/N.")
        ].compactMap { $0 }
      },
    ]
  }
}

// MARK: - 0.5 Hessian-vector product

/// Grader of exercise 0.5, `hessianVectorProduct(of:at:along:)`.
public enum Grader0005 {
  public typealias Implementation = ((Tensor) -> Tensor, Tensor, Tensor) throws -> Tensor

  public static var checks: [Check<Implementation>] {
    [
      Check("cubic, by hand") { hvp in
        // f = Σ xᵢ³ has H = diag(6xᵢ), so Hv = 6 x ⊙ v = (6·1·1, 6·(−2)·1, 6·0.5·2) = (6, −12, 6).
        let got = try hvp({ x in (x * x * x).sum() }, Tensor([1, -2, 0.5]), Tensor([1, 1, 2]))
        return [
          mismatch(
            "Hv for f = Σ x³", got: got.scalars, expected: [6, -12, 6], tolerance: 1e-10,
            hint:
              "All zeros means the first gradient was a constant: compute it with createGraph: true so it can be differentiated again. The gradient itself (3x²) means the second differentiation is missing."
          )
        ].compactMap { $0 }
      },
      Check("quadratic form") { hvp in
        // f = xᵀAx has H = A + Aᵀ for any A.
        var rng = RandomGenerator(seed: 5)
        let a = rng.normal([3, 3])
        let x = rng.normal([3]), v = rng.normal([3])
        let got = try hvp({ x in (matmul(x.reshaped([1, 3]), a) * x.reshaped([1, 3])).sum() }, x, v)
        let expected = matmul(a + a.transposed(), v.reshaped([3, 1])).scalars
        return [
          mismatch(
            "Hv for f = xᵀAx", got: got.scalars, expected: expected, tolerance: 1e-10,
            hint: "For a quadratic form the Hessian is A + Aᵀ: your product should not depend on x.")
        ].compactMap { $0 }
      },
      Check("agrees with differences of gradients") { hvp in
        // Hv ≈ (∇f(x + εv) − ∇f(x − εv)) / 2ε, the central difference of the gradient along v.
        var rng = RandomGenerator(seed: 6)
        let w = rng.normal([4, 4])
        let f: (Tensor) -> Tensor = { x in matmul(w, x.reshaped([4, 1])).tanh().squared().sum() }
        let x = rng.normal([4]), v = rng.normal([4])
        let ε = 1e-5
        func gradientAt(_ point: Tensor) -> Tensor {
          let variable = point.requiringGradient()
          return gradients(of: f(variable), withRespectTo: [variable])[0]
        }
        let expected = (gradientAt(x + v * ε) - gradientAt(x - v * ε)) / (2 * ε)
        let got = try hvp(f, x, v)
        return [
          mismatch(
            "Hv for f = Σ tanh(Wx)²", got: got.scalars, expected: expected.scalars, tolerance: 1e-6,
            hint: "Differentiate g·v (a scalar) with respect to x, where g is the differentiable gradient.")
        ].compactMap { $0 }
      },
    ]
  }
}

extension Tensor {
  /// The same values as a fresh variable that gradients can be taken with respect to.
  func requiringGradient() -> Tensor { Tensor(shape: shape, scalars: scalars, requiresGradient: true) }
}
