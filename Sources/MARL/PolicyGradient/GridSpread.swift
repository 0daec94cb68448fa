import Autodiff

/// A small partially observable cooperative navigation task in the spirit of the multi-agent particle
/// environment's "spread" scenario, on a grid.
///
/// n agents and n landmarks (labelled 1…n) on a size × size grid. Each step every agent moves one cell
/// (stay, up, down, left, right; a move into the wall leaves it in place), then the team receives
///
///     r_t = −(1/n) Σ_l min_i ‖p_i − q_l‖₁ / (size − 1)
///
/// (the mean over landmarks of the distance to the nearest agent, in units of the grid's side), so
/// the return is best when every landmark has an agent on it: the agents must *spread out*, and
/// nothing in the reward says who takes which landmark. Episodes last `horizon` steps and then
/// terminate (the time limit is part of the task, and the time is in the observation and state).
///
/// **Partial observability.** Agent i sees its own position, every landmark's offset from itself, the
/// time, and the other agents only within Chebyshev distance `viewRadius` (a visibility flag and an
/// offset; zeros when out of sight). It never learns which landmark a far-away partner is heading to:
/// a convention ("agent 1 takes landmark 1") must be learned, which separate networks can do and a
/// shared network only with an agent id.
///
/// Observation of agent i, length 5n, every coordinate divided by size − 1: (x_i, y_i); the offsets
/// q_l − p_i for l = 1…n; for each other agent j, (visible, p_j − p_i) or zeros; then t/horizon.
/// Global state, length 4n + 1: every p_i, every q_l, then t/horizon.
///
/// Initial distribution: landmarks on distinct cells drawn uniformly (ordered), agents on uniformly
/// drawn cells independently (they may share a cell).
///
/// Source: our design, after Lowe et al., "Multi-Agent Actor-Critic for Mixed Cooperative-Competitive
/// Environments" (NeurIPS 2017), the cooperative navigation task (reward −Σ_l min_i distance).
public struct GridSpread: CooperativeEnvironment, Sendable {
  /// The task's parameters.
  public struct Config: Sendable, Equatable {
    /// The side of the grid.
    public var size: Int
    /// n: agents and landmarks.
    public var agentCount: Int
    /// Steps per episode.
    public var horizon: Int
    /// An agent sees another within this Chebyshev distance.
    public var viewRadius: Int

    /// The defaults (4 × 4, 2 agents, 6 steps, view radius 1) are small enough for PPO to show learning
    /// within seconds, and for separate PPO learners to come close to the hand-written fixed-role
    /// policy in a few hundred iterations.
    public init(size: Int = 4, agentCount: Int = 2, horizon: Int = 6, viewRadius: Int = 1) {
      ensure(
        size >= 2 && agentCount >= 1 && agentCount <= size * size && horizon >= 1 && viewRadius >= 0,
        "GridSpread.Config: invalid size \(size), agents \(agentCount), horizon \(horizon), view radius \(viewRadius)")
      self.size = size
      self.agentCount = agentCount
      self.horizon = horizon
      self.viewRadius = viewRadius
    }
  }

  /// The five moves: stay, up (+y), down (−y), left (−x), right (+x).
  public static let moves: [(dx: Int, dy: Int)] = [(0, 0), (0, 1), (0, -1), (-1, 0), (1, 0)]

  /// The parameters.
  public let config: Config
  /// p_i, the agents' cells (x, y).
  public private(set) var agents: [(x: Int, y: Int)]
  /// q_l, the landmarks' cells (x, y).
  public private(set) var landmarks: [(x: Int, y: Int)]
  /// t, the steps taken in this episode.
  public private(set) var time = 0

  /// An environment in a fixed, valid position (call ``reset(using:)`` to draw an episode's start).
  public init(config: Config = Config()) {
    self.config = config
    agents = (0..<config.agentCount).map { _ in (0, 0) }
    landmarks = (0..<config.agentCount).map { ($0 % config.size, $0 / config.size) }
  }

  /// An environment at a given start (for exact evaluation and tests): agents and landmarks by cell.
  public init(config: Config = Config(), agents: [(x: Int, y: Int)], landmarks: [(x: Int, y: Int)]) {
    ensure(
      agents.count == config.agentCount && landmarks.count == config.agentCount,
      "GridSpread: expected \(config.agentCount) agents and landmarks, got \(agents.count) and \(landmarks.count)")
    self.config = config
    self.agents = agents
    self.landmarks = landmarks
  }

  // MARK: - CooperativeEnvironment

  /// n.
  public var agentCount: Int { config.agentCount }
  /// 5: stay, up, down, left, right.
  public var actionCount: Int { Self.moves.count }
  /// 2 (own cell) + 2n (landmark offsets) + 3(n − 1) (others: flag, offset) + 1 (time).
  public var observationSize: Int { 2 + 2 * config.agentCount + 3 * (config.agentCount - 1) + 1 }
  /// 2n (agents) + 2n (landmarks) + 1 (time).
  public var stateSize: Int { 4 * config.agentCount + 1 }

  /// Draws the landmarks (distinct cells) and the agents (any cells) uniformly; t = 0.
  public mutating func reset(using rng: inout RandomGenerator) {
    let cells = config.size * config.size
    var taken: [Int] = []
    while taken.count < config.agentCount {
      let c = rng.integer(below: cells)
      if !taken.contains(c) { taken.append(c) }
    }
    landmarks = taken.map { ($0 % config.size, $0 / config.size) }
    agents = (0..<config.agentCount).map { _ in
      let c = rng.integer(below: cells)
      return (c % config.size, c / config.size)
    }
    time = 0
  }

  /// oⁱ (length 5n): own cell, landmark offsets, the others within the view radius, t/horizon.
  public func observation(of i: Int) -> [Double] {
    ensure(i >= 0 && i < agentCount, "GridSpread.observation: agent \(i) out of 0..<\(agentCount)")
    let scale = 1 / Double(config.size - 1)
    let p = agents[i]
    var o = [Double(p.x) * scale, Double(p.y) * scale]
    for q in landmarks { o += [Double(q.x - p.x) * scale, Double(q.y - p.y) * scale] }
    for j in agents.indices where j != i {
      let (dx, dy) = (agents[j].x - p.x, agents[j].y - p.y)
      let visible = max(abs(dx), abs(dy)) <= config.viewRadius
      o += visible ? [1, Double(dx) * scale, Double(dy) * scale] : [0, 0, 0]
    }
    o.append(Double(time) / Double(config.horizon))
    return o
  }

  /// s (length 4n + 1): every agent's cell, every landmark's cell, t/horizon.
  public var state: [Double] {
    let scale = 1 / Double(config.size - 1)
    var s: [Double] = []
    for p in agents + landmarks { s += [Double(p.x) * scale, Double(p.y) * scale] }
    s.append(Double(time) / Double(config.horizon))
    return s
  }

  /// Every move is always allowed (a move into the wall stays put).
  public func availableActions(of agent: Int) -> [Bool] { [Bool](repeating: true, count: actionCount) }

  /// Moves every agent, then returns the coverage reward and `.terminated` after `horizon` steps.
  public mutating func step(_ jointAction: [Int], using rng: inout RandomGenerator) -> (reward: Double, end: StepEnd) {
    ensure(
      jointAction.count == agentCount && jointAction.allSatisfy { $0 >= 0 && $0 < actionCount },
      "GridSpread.step: expected \(agentCount) actions in 0..<\(actionCount), got \(jointAction)")
    ensure(time < config.horizon, "GridSpread.step: the episode is over (t = \(time)); call reset first")
    for i in agents.indices { agents[i] = moved(agents[i], jointAction[i]) }
    time += 1
    return (coverageReward, time == config.horizon ? .terminated : .continues)
  }

  // MARK: - Dynamics and reward

  /// The cell reached from `p` by move `a` (clamped to the grid).
  public func moved(_ p: (x: Int, y: Int), _ a: Int) -> (x: Int, y: Int) {
    let m = Self.moves[a]
    return (min(max(p.x + m.dx, 0), config.size - 1), min(max(p.y + m.dy, 0), config.size - 1))
  }

  /// −(1/n) Σ_l min_i ‖p_i − q_l‖₁ / (size − 1) at the current positions.
  public var coverageReward: Double {
    var total = 0
    for q in landmarks { total += agents.map { abs($0.x - q.x) + abs($0.y - q.y) }.min()! }
    return -Double(total) / Double(landmarks.count * (config.size - 1))
  }
}
