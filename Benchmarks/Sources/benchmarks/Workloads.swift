import Autodiff

/// One benchmark workload: what it computes and how to run it once.
struct Workload {
  let id: String
  let description: String
  let iterations: Int
  /// Floating-point operations per call, when a rate in GFLOP/s is meaningful.
  let flops: Double?
  let run: () -> Void
}

/// The workloads W1–W5 (described in Benchmarks/README.md), each built once and run many times.
func makeWorkloads() -> [Workload] {
  var rng = RandomGenerator(seed: 0)

  // W1: per-op overhead. y = (a ⊙ b + a).sum() on 16-element vectors, forward and backward.
  let a1 = Tensor(rng.normal([16]).scalars, requiresGradient: true)
  let b1 = Tensor(rng.normal([16]).scalars, requiresGradient: true)
  let w1 = Workload(id: "W1", description: "(a*b + a).sum() fwd+bwd, 16 elements", iterations: 20_000, flops: nil) {
    consume(gradients(of: (a1 * b1 + a1).sum(), withRespectTo: [a1, b1]))
  }

  // W2: an MLP 32→64→64→8 (tanh) with softmax cross-entropy on a batch of 64: forward, backward, SGD step.
  var θ = [[32, 64], [64], [64, 64], [64], [64, 8], [8]].map { shape in
    Tensor(shape: shape, scalars: rng.normal(shape, std: 0.1).scalars, requiresGradient: true)
  }
  let x2 = rng.normal([64, 32])
  let labels2 = (0..<64).map { _ in rng.integer(below: 8) }
  let w2 = Workload(id: "W2", description: "MLP 32-64-64-8 step, batch 64", iterations: 400, flops: nil) {
    let h1 = (matmul(x2, θ[0]) + θ[1]).tanh()
    let h2 = (matmul(h1, θ[2]) + θ[3]).tanh()
    let logits = matmul(h2, θ[4]) + θ[5]
    let loss = -logits.logSoftmax(alongAxis: 1).gathering(labels2).mean()
    let g = gradients(of: loss, withRespectTo: θ)
    θ = withoutGradients {
      zip(θ, g).map { p, gp in Tensor(shape: p.shape, scalars: (p - gp * 0.01).scalars, requiresGradient: true) }
    }
  }

  // W3: a 256×256 matrix product, forward only; 2·256³ flops.
  let a3 = rng.normal([256, 256]), b3 = rng.normal([256, 256])
  let w3 = Workload(id: "W3", description: "256² matmul", iterations: 40, flops: 2 * 256 * 256 * 256) {
    consume(matmul(a3, b3))
  }

  // W4: single-head scaled dot-product attention, sequence 8, dimension 64, batch 32, forward and backward.
  let q4 = Tensor(shape: [32, 8, 64], scalars: rng.normal([32, 8, 64]).scalars, requiresGradient: true)
  let k4 = Tensor(shape: [32, 8, 64], scalars: rng.normal([32, 8, 64]).scalars, requiresGradient: true)
  let v4 = Tensor(shape: [32, 8, 64], scalars: rng.normal([32, 8, 64]).scalars, requiresGradient: true)
  let w4 = Workload(id: "W4", description: "attention 8×64, batch 32, fwd+bwd", iterations: 200, flops: nil) {
    let scores = matmul(q4, k4.transposed()) / 8.0  // √64
    let output = matmul(scores.softmax(alongAxis: -1), v4)
    consume(gradients(of: output.sum(), withRespectTo: [q4, k4, v4]))
  }

  // W5: second order. The gradient (w.r.t. the weights) of the squared gradient norm of a 2-layer
  // tanh MLP's loss, batch 16.
  let w5a = Tensor(shape: [16, 32], scalars: rng.normal([16, 32], std: 0.3).scalars, requiresGradient: true)
  let w5b = Tensor(shape: [32, 1], scalars: rng.normal([32, 1], std: 0.3).scalars, requiresGradient: true)
  let x5 = rng.normal([16, 16]), y5 = rng.normal([16, 1])
  let w5 = Workload(id: "W5", description: "second-order step (‖∇L‖² gradient)", iterations: 200, flops: nil) {
    let prediction = matmul(matmul(x5, w5a).tanh(), w5b)
    let loss = (prediction - y5).squared().mean()
    let g = gradients(of: loss, withRespectTo: [w5a, w5b], createGraph: true)
    let penalty = g.map { ($0 * $0).sum() }.reduce(Tensor(0), +)
    consume(gradients(of: penalty, withRespectTo: [w5a, w5b]))
  }
  return [w1, w2, w3, w4, w5]
}
