/// An optimal deterministic joint policy found by a search, with the work it took.
public struct SearchResult: Sendable {
  /// π* = argmax_π V(π) (the first optimum in the search's enumeration order).
  public let policy: JointPolicy
  /// V(π*).
  public let value: Double
  /// How many candidates the search examined: joint policies evaluated (brute force) or best responses
  /// computed (exhaustive search, branch and bound).
  public let candidatesExamined: Int
}

extension DecPOMDP {
  /// The optimal deterministic joint policy π* = argmax_π V(π), by enumerating every joint policy
  /// ⟨π₁,…,πₙ₋₁⟩ of the first n − 1 agents and taking agent n's exact best response:
  ///
  ///     V* = max_{π₁,…,πₙ₋₁} max_{πₙ} V(π) = max_{π₁,…,πₙ₋₁} V(⟨π₁,…,πₙ₋₁, BRₙ(π₋ₙ)⟩).
  ///
  /// Equal to the brute force, but examines Π_{i<n} |Aᵢ|^{nodesᵢ} candidates instead of Πᵢ |Aᵢ|^{nodesᵢ}.
  /// Dec-Tiger: h = 2 → 27 best responses, h = 3 → 2187; h = 4 → 3¹⁵ ≈ 1.4·10⁷ (use `branchAndBoundSearch`).
  ///
  /// Source: Oliehoek & Amato (2016) (brute-force search over joint policies); best responses
  /// as in Nair et al. (IJCAI 2003).
  public func exhaustiveSearch() -> SearchResult {
    let last = agentCount - 1
    var trees = (0..<last).map { zeroPolicy(of: $0) }
    let lastTree = zeroPolicy(of: last)
    var best = SearchResult(policy: JointPolicy(trees + [lastTree]), value: -.infinity, candidatesExamined: 0)
    var examined = 0
    // snippet: exhaustive-search
    repeat {
      let response = bestResponse(of: last, to: JointPolicy(trees + [lastTree]))
      examined += 1
      if response.value > best.value {
        best = SearchResult(policy: JointPolicy(trees + [response.policy]), value: response.value, candidatesExamined: 0)
      }
    } while advance(&trees)
    // end snippet
    return SearchResult(policy: best.policy, value: best.value, candidatesExamined: examined)
  }

  /// The optimal deterministic joint policy by brute force: V* = max_π V(π) over all Πᵢ |Aᵢ|^{nodesᵢ}
  /// joint policies, each evaluated exactly. Only for tiny problems (Dec-Tiger h = 2: 729 policies).
  ///
  /// Source: Oliehoek & Amato (2016) (brute-force search).
  public func bruteForceSearch() -> SearchResult {
    var trees = (0..<agentCount).map { zeroPolicy(of: $0) }
    var best = SearchResult(policy: JointPolicy(trees), value: -.infinity, candidatesExamined: 0)
    var examined = 0
    repeat {
      let value = evaluate(JointPolicy(trees)).value
      examined += 1
      if value > best.value { best = SearchResult(policy: JointPolicy(trees), value: value, candidatesExamined: 0) }
    } while advance(&trees)
    return SearchResult(policy: best.policy, value: best.value, candidatesExamined: examined)
  }

  /// The tree that takes action 0 at every history.
  func zeroPolicy(of agent: Int) -> PolicyTree {
    PolicyTree(
      observationCount: observationCounts[agent], horizon: horizon,
      actions: [Int](repeating: 0, count: decisionNodeCount(of: agent)))
  }

  /// Steps ⟨π₁,…,π_m⟩ (the first m agents) to the next combination, the last agent's tree the fastest;
  /// false after the last one.
  func advance(_ trees: inout [PolicyTree]) -> Bool {
    for i in stride(from: trees.count - 1, through: 0, by: -1) {
      if trees[i].advance(actionCount: actionCounts[i]) { return true }
    }
    return false
  }
}
