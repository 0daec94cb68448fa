import Autodiff

// Parameter sharing: one network serves every agent. Agents that see the same observation would then
// act identically, so the network is told *who* is asking: a one-hot agent id is appended to each input.
//
// Row layout used throughout the multi-agent code: a batch of B joint steps of n agents is a matrix of
// B·n rows, agent-minor. Row r = b·n + i holds agent i at step b (so rows 0…n−1 are the first step).

/// The one-hot agent ids of a batch laid out agent-minor: row r is e_{r mod n}. Shape [rows, n].
///
///     agentIDs(rows: 4, agentCount: 2)   // [[1, 0], [0, 1], [1, 0], [0, 1]]
///
/// Source: the "agent id" input of parameter-shared networks, Gupta, Egorov & Kochenderfer,
/// "Cooperative Multi-agent Control Using Deep Reinforcement Learning" (AAMAS 2017 workshops), §4;
/// Yu et al. (NeurIPS 2022) `obs_agent_id`; EPyMARL `obs_agent_id`.
public func agentIDs(rows: Int, agentCount n: Int) -> Tensor {
  ensure(n >= 1 && rows % n == 0, "agentIDs: \(rows) rows is not a whole number of joint steps of \(n) agents")
  return Tensor.oneHot((0..<rows).map { $0 % n }, depth: n)
}

/// [x | e_i]: each row of x [B·n, d] (agent-minor) with its agent's one-hot id appended, [B·n, d + n].
/// Differentiable in x (the ids are constants).
public func appendingAgentIDs(_ x: Tensor, agentCount n: Int) -> Tensor {
  ensure(x.rank == 2, "appendingAgentIDs: expects x [B·n, d], got \(x.shape)")
  // snippet: agent-ids
  return Tensor(concatenating: [x, agentIDs(rows: x.shape[0], agentCount: n)], alongAxis: 1)
  // end snippet
}

/// How the agents' networks are organised.
public enum ParameterSharing: Sendable, Equatable, CustomStringConvertible {
  /// Every agent has its own parameters θⁱ (no sharing).
  case separate
  /// One set of parameters θ for all agents, θⁱ = θ; with `agentIDs`, inputs carry the one-hot id.
  case shared(agentIDs: Bool)

  /// "separate", "shared + id", "shared, no id".
  public var description: String {
    switch self {
    case .separate: "separate"
    case .shared(let ids): ids ? "shared + id" : "shared, no id"
    }
  }

  /// Whether the networks' inputs carry a one-hot agent id.
  public var appendsAgentIDs: Bool { self == .shared(agentIDs: true) }
  /// How many copies of each network there are for n agents: 1 when shared, n when separate.
  public func networkCount(agents n: Int) -> Int { self == .separate ? n : 1 }
}

/// Applies one network per agent (`networks.count == n`) or one shared network (`count == 1`) to the
/// agent-minor rows of x [B·n, d], giving [B·n, k].
///
/// Separate networks each see only their agent's rows: x is viewed as [B, n, d], agent i's slice
/// [B, d] goes through network i, and the n outputs are stacked back to [B·n, k].
public func applyPerAgent<Network>(
  _ networks: [Network], to x: Tensor, agentCount n: Int, _ apply: (Network, Tensor) -> Tensor
) -> Tensor {
  ensure(x.rank == 2 && x.shape[0] % n == 0, "applyPerAgent: expects x [B·\(n), d], got \(x.shape)")
  if networks.count == 1 { return apply(networks[0], x) }
  ensure(networks.count == n, "applyPerAgent: \(networks.count) networks for \(n) agents")
  let B = x.shape[0] / n, d = x.shape[1]
  let perAgent = x.reshaped([B, n, d])
  let outputs = (0..<n).map { i in apply(networks[i], perAgent.slice(i..<(i + 1), alongAxis: 1).reshaped([B, d])) }
  let stacked = Tensor(stacking: outputs, alongAxis: 1)  // [B, n, k]
  return stacked.reshaped([B * n, -1])
}
