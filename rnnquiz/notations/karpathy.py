"""min-char-rnn (Karpathy): column vectors, the keys of its `lossFun`.

    hs[t] = tanh(Wxh·xs[t] + Whh·hs[t-1] + bh)      ys[t] = Why·hs[t] + by
"""

from . import make
from .layouts import Gate, Layout

make("karpathy", Layout("rnn", {"z": Gate(W_x="Wxh", W_h="Whh", b=("bh",))},
                        readout=("Why", "by")),
     states={"hprev": "h"})
