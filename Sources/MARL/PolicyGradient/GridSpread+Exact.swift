import Autodiff

// Exact reference values for the two-agent GridSpread, computed by enumerating every start. The
// dynamics are deterministic and the start distribution is uniform, so an expectation over starts is
// a finite average: these are the numbers a learning curve is compared with.

extension GridSpread {
  /// Every start of a two-agent task, as (landmark cells, agent cells) indices c = x + size·y: the
  /// size²(size² − 1) ordered landmark pairs times the size⁴ agent placements, all equally likely.
  private var landmarkPairs: [(Int, Int)] {
    let cells = config.size * config.size
    return (0..<cells).flatMap { a in (0..<cells).compactMap { b in a == b ? nil : (a, b) } }
  }

  private func checkTwoAgents(_ op: String) {
    ensure(config.agentCount == 2, "GridSpread.\(op): exact evaluation is implemented for 2 agents, got \(config.agentCount)")
  }

  /// next[c·5 + a]: the cell reached from cell c by move a.
  private var moveTable: [Int] {
    let S = config.size
    return (0..<(S * S)).flatMap { c in
      (0..<Self.moves.count).map { a in
        let p = moved((c % S, c / S), a)
        return p.x + S * p.y
      }
    }
  }

  /// The expected return of the best *centralised* controller, one that sees the whole state and picks
  /// the joint action: E_{s₀}[max over action sequences of Σ_t r_t], by backward induction over the
  /// size⁴ joint positions for each landmark pair. No decentralised policy can do better.
  ///
  /// - Complexity: O(size⁴ · size⁴ · 25 · horizon) simple operations (about 75 million for 5 × 5, 8 steps).
  public func exactCentralisedOptimum() -> Double { backwardInduction(maximise: true) }

  /// The expected return of the uniformly random joint policy, by the same backward induction with
  /// an average over the 25 joint moves in place of the maximum.
  public func exactUniformRandomReturn() -> Double { backwardInduction(maximise: false) }

  private func backwardInduction(maximise: Bool) -> Double {
    checkTwoAgents("backwardInduction")
    let S = config.size, cells = S * S, A = Self.moves.count
    let next = moveTable
    let scale = 1 / Double(2 * (S - 1))
    var total = 0.0
    let pairs = landmarkPairs
    for (l1, l2) in pairs {
      // r(P) for every joint position P = c1·cells + c2, after a move.
      var reward = [Double](repeating: 0, count: cells * cells)
      func distance(_ c: Int, _ l: Int) -> Int { abs(c % S - l % S) + abs(c / S - l / S) }
      for c1 in 0..<cells {
        for c2 in 0..<cells {
          let d = min(distance(c1, l1), distance(c2, l1)) + min(distance(c1, l2), distance(c2, l2))
          reward[c1 * cells + c2] = -Double(d) * scale
        }
      }
      var value = [Double](repeating: 0, count: cells * cells)  // V_horizon = 0
      for _ in 0..<config.horizon {
        var previous = [Double](repeating: 0, count: cells * cells)
        for c1 in 0..<cells {
          for c2 in 0..<cells {
            var best = -Double.infinity, sum = 0.0
            for a1 in 0..<A {
              let n1 = next[c1 * A + a1] * cells
              for a2 in 0..<A {
                let p = n1 + next[c2 * A + a2]
                let q = reward[p] + value[p]
                best = max(best, q)
                sum += q
              }
            }
            previous[c1 * cells + c2] = maximise ? best : sum / Double(A * A)
          }
        }
        value = previous
      }
      total += value.reduce(0, +) / Double(cells * cells)
    }
    return total / Double(pairs.count)
  }

  /// The exact expected return of a deterministic policy given per agent, averaged over every start.
  /// `policy(env, i)` returns agent i's move; a *decentralised* policy reads only what
  /// `env.observation(of: i)` reveals.
  public func exactReturn(of policy: (GridSpread, Int) -> Int) -> Double {
    checkTwoAgents("exactReturn")
    let S = config.size, cells = S * S
    var total = 0.0
    let pairs = landmarkPairs
    var rng = RandomGenerator(seed: 0)  // never drawn from: the dynamics are deterministic
    for (l1, l2) in pairs {
      for c1 in 0..<cells {
        for c2 in 0..<cells {
          var env = GridSpread(
            config: config, agents: [(c1 % S, c1 / S), (c2 % S, c2 / S)], landmarks: [(l1 % S, l1 / S), (l2 % S, l2 / S)])
          var end = StepEnd.continues
          while !end.endsEpisode {
            let actions = [policy(env, 0), policy(env, 1)]
            let step = env.step(actions, using: &rng)
            total += step.reward
            end = step.end
          }
        }
      }
    }
    return total / Double(pairs.count * cells * cells)
  }

  // MARK: - Two hand-written decentralised policies

  /// The hand-written decentralised policies of this task, for reference lines.
  public enum HandWrittenPolicy: Sendable {
    /// ``fixedRoleAction(of:)``: agent i walks to landmark i.
    case fixedRoles
    /// ``nearestLandmarkAction(of:)``: every agent walks to its nearest landmark.
    case nearestLandmark
  }

  /// The exact expected return of a hand-written policy: the same enumeration as the closure form
  /// of `exactReturn(of:)`, with the policy compiled (and optimised) inside the library.
  public func exactReturn(of policy: HandWrittenPolicy) -> Double {
    switch policy {
    case .fixedRoles: exactReturn { env, i in env.fixedRoleAction(of: i) }
    case .nearestLandmark: exactReturn { env, i in env.nearestLandmarkAction(of: i) }
    }
  }

  /// "Agent i goes to landmark i": a move that shortens the larger of the two offsets to landmark i
  /// (x first on ties), or stay when there. Decentralised: it reads only agent i's own offsets.
  public func fixedRoleAction(of i: Int) -> Int { stepToward(agents[i], landmarks[i]) }

  /// "Go to the nearest landmark" (lowest label on ties): what agents do when nothing tells them
  /// apart, e.g. a shared policy without an agent id. Decentralised.
  public func nearestLandmarkAction(of i: Int) -> Int {
    let p = agents[i]
    let nearest = landmarks.min { abs($0.x - p.x) + abs($0.y - p.y) < abs($1.x - p.x) + abs($1.y - p.y) }!
    return stepToward(p, nearest)
  }

  private func stepToward(_ p: (x: Int, y: Int), _ q: (x: Int, y: Int)) -> Int {
    let (dx, dy) = (q.x - p.x, q.y - p.y)
    if dx == 0 && dy == 0 { return 0 }
    if abs(dx) >= abs(dy) { return dx > 0 ? 4 : 3 }
    return dy > 0 ? 1 : 2
  }
}
