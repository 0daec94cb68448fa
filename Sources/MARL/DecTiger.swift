/// The decentralised tiger problem (Dec-Tiger): two agents face two doors, a tiger behind one and
/// treasure behind the other. Listening costs a little and is 85% accurate; opening a door resets the
/// problem. The agents are rewarded for opening the treasure door together and punished hard for
/// opening the tiger door, or for opening different doors.
///
/// Indices: states TL = 0, TR = 1; actions Listen = 0, OpenLeft = 1, OpenRight = 2; observations
/// HearLeft = 0, HearRight = 1.
///
/// Source: Nair, Tambe, Yokoo, Pynadath & Marsella, "Taming decentralized POMDPs" (IJCAI 2003);
/// the model file `problems/dectiger.dpomdp` of the MADP Toolbox.
public enum DecTiger {
  /// s = TL: the tiger is behind the left door.
  public static let tigerLeft = 0
  /// s = TR: the tiger is behind the right door.
  public static let tigerRight = 1
  /// aᵢ = Listen.
  public static let listen = 0
  /// aᵢ = OpenLeft.
  public static let openLeft = 1
  /// aᵢ = OpenRight.
  public static let openRight = 2
  /// oᵢ = HearLeft.
  public static let hearLeft = 0
  /// oᵢ = HearRight.
  public static let hearRight = 1
  /// Pr(oᵢ = the tiger's side | ⟨Listen, Listen⟩, s′) = 0.85, independently for each agent.
  public static let listeningAccuracy = 0.85

  /// Optimal values V*(h) of the undiscounted problem from b⁰ = (½, ½), h = 2, 3, 4.
  /// Source: masplan.org "Optimal values for Finite-Horizon Dec-POMDPs" (Oliehoek et al.).
  public static let publishedOptimalValues: [Int: Double] = [2: -4.0, 3: 5.190812, 4: 4.802755]

  /// R(s, ⟨a₁, a₂⟩), the Dec-TIGER reward table (symmetric in the agents):
  /// both listen −2; both open the treasure door +20; both open the tiger door −50; they open different
  /// doors −100; one listens and the other opens the tiger door −101, the treasure door +9.
  public static func reward(state s: Int, _ a1: Int, _ a2: Int) -> Double {
    let treasureDoor = s == tigerLeft ? openRight : openLeft
    switch (a1, a2) {
    case (listen, listen): return -2
    case (listen, _), (_, listen):
      let opened = a1 == listen ? a2 : a1
      return opened == treasureDoor ? 9 : -101
    default:
      if a1 != a2 { return -100 }
      return a1 == treasureDoor ? 20 : -50
    }
  }

  /// The Dec-Tiger Dec-POMDP with horizon h:
  /// T(s′|s,⟨Li,Li⟩) = [s′ = s], otherwise ½ (a reset);
  /// 𝒪(⟨o₁,o₂⟩|⟨Li,Li⟩,s′) = Πᵢ (0.85 if oᵢ names s′'s side else 0.15), otherwise ¼; b⁰ = (½, ½).
  public static func model(horizon: Int) -> DecPOMDP {
    let bothListen = 0  // ⟨Listen, Listen⟩ = 0·3 + 0
    return DecPOMDP(
      stateNames: ["TL", "TR"],
      actionNames: [["Listen", "OpenLeft", "OpenRight"], ["Listen", "OpenLeft", "OpenRight"]],
      observationNames: [["HearLeft", "HearRight"], ["HearLeft", "HearRight"]],
      transition: { s, a, sNext in
        a == bothListen ? (s == sNext ? 1 : 0) : 0.5
      },
      observation: { a, sNext, o in
        guard a == bothListen else { return 0.25 }
        let (o1, o2) = (o / 2, o % 2)  // joint o = o₁·|O₂| + o₂
        let correct = sNext == tigerLeft ? hearLeft : hearRight
        let p1 = o1 == correct ? listeningAccuracy : 1 - listeningAccuracy
        let p2 = o2 == correct ? listeningAccuracy : 1 - listeningAccuracy
        return p1 * p2
      },
      reward: { s, a in reward(state: s, a / 3, a % 3) },
      initialBelief: [0.5, 0.5],
      horizon: horizon)
  }
}
