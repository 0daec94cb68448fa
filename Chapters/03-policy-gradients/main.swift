// Chapter 3: policy gradients. The score-function estimator checked against the exact gradient of a
// matrix game; returns, TD errors and GAE with episode ends; categorical and Gaussian policy heads;
// A2C and PPO-clip; then many agents: independent and centralised critics, parameter sharing and its
// worst case (Kuba et al.'s Proposition 1), MADDPG, and an experiment on a partially observable grid.

import Autodiff
import Foundation
import MARL
import Workbook

let chapter = Chapter(number: 3, slug: "policy-gradients", title: "Policy gradients: from REINFORCE to IPPO, MAPPO and MADDPG")

chapter.section("The policy gradient on a matrix game", policyGradientSection)
chapter.section("Returns, TD errors and GAE(λ)", advantageSection)
chapter.section("Policy heads: categorical and Gaussian", policyHeadSection)
chapter.section("A2C and PPO-clip", ppoSection)
chapter.section("Many agents: independent and centralised critics, shared parameters", multiAgentSection)
chapter.section("When sharing parameters costs almost everything", sharingBoundSection)
chapter.section("MADDPG: a deterministic policy gradient through a centralised Q", maddpgSection)
chapter.section("Experiment: IPPO and MAPPO, with and without sharing", experimentSection)

chapter.run()
