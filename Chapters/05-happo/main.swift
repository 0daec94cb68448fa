// Chapter 5: heterogeneous-agent trust-region learning. The multi-agent advantage decomposition
// (Lemma 1) proved step by step and checked exactly; why simultaneous trust-region updates can lower
// the return (the r = a¹a² game); the monotonic improvement bound (Lemma 2); HATRPO's natural-gradient
// step; HAPPO's sequential PPO with the factor M; one HAPPO iteration traced row by row on a 2×2 game;
// an experiment where parameter sharing fails; and HAPPO and HATRPO on chapter 3's GridSpread.

import Autodiff
import Foundation
import MARL
import Workbook

let chapter = Chapter(
  number: 5, slug: "happo", title: "Heterogeneous-agent trust regions: the advantage decomposition, HATRPO and HAPPO")

chapter.section("The multi-agent Q-function and advantage", definitionsSection)
chapter.section("The multi-agent advantage decomposition (Lemma 1)", decompositionSection)
chapter.section("Why simultaneous trust-region updates can lower the return", simultaneousUpdatesSection)
chapter.section("The monotonic improvement bound (Lemma 2)", improvementBoundSection)
chapter.section("HATRPO: one natural-gradient step per agent", hatrpoSection)
chapter.section("HAPPO: sequential PPO with the factor M", happoSection)
chapter.section("One iteration of HAPPO, traced", tracedIterationSection)
chapter.section("Experiment: heterogeneous agents, where sharing fails", experimentSection)
chapter.section("HAPPO on a partially observable grid", gridSpreadSection)

chapter.run()
