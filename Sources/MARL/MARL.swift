// The MARL library: placeholder until the models land.
import Autodiff
