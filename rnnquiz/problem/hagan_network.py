"""Hagan's layered digital dynamic networks (Neural Network Design, ch. 14), as a file writes
them in `notation: hagan` with tapped delay lines:

    layer m:  n^m(t) = Σ_d iw^m(d) src(t-d) + Σ_l Σ_d lw^{m,l}(d) a^l(t-d) + b^m
              a^m(t) = transfer^m(n^m(t))

src is the input p for layer 1 and a^{m-1} for layer m > 1 (delay 0 included: Hagan's layer
weight LW^{m,m-1}). `iw` and `lw` are a number or a matrix (iw(0), lw(1)), or `{delay: weight}`;
`lw: {from_layer: {delay: weight}}` is feedback from any layer. p(t) = 0 before t = 1;
a^l(0), a^l(-1), ... come from the layer's `a_init` (newest first), 0 where not given.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .network import Network
from .values import shown_value, numbers

LAYER_KEYS = ("transfer", "iw", "lw", "b", "a_init")
# what the LDDN runner does not take: each would be read and do nothing
REFUSED = ("truncate", "clip", "upstream", "given", "batch", "feedback", "bidirectional",
           "readout", "regularization", "tie", "layout")


@dataclass
class Layer:
    """One layer: its size, transfer function, weights by delay, bias and past outputs."""

    S: int
    transfer: str
    iw: dict                      # delay -> (S, size of the source)
    lw: dict                      # from layer (1-based) -> delay -> (S, S_from)
    b: np.ndarray
    init: np.ndarray = None       # (D, S): a(0), a(-1), ..., a(1-D)
    written: dict = field(default_factory=dict)   # key -> how it was written (for answers)


@dataclass
class LDDN:
    """The layers, the input size R, and where each key of the file sits (its key path)."""

    layers: list
    R: int
    listed: bool                   # network written as a list of layers


def claim(p, data: dict, err, notation) -> bool:
    """Read the network as an LDDN when some weight is written with its delays (a mapping);
    a plain network is the simple RNN (or a stack of them), read by the layout."""
    net = data.get("network")
    layers = net if isinstance(net, list) else [net]
    if not any(isinstance(layer, dict) and any(isinstance(layer.get(k), dict) for k in ("iw", "lw"))
               for layer in layers):
        return False
    for key in REFUSED:
        if key in data:
            raise err((key,), "is not taken with Hagan's tapped delay lines (network weights "
                              "written {delay: weight}); leave it out")
    if data.get("reduction", "sum") not in ("sum", "mean"):
        raise err(("reduction",), "expected sum or mean with Hagan's tapped delay lines")
    lddn = read(net, p.inputs, err, notation.words["transfer"])
    M = len(lddn.layers)
    if p.ask.direction not in (None, "forward"):
        raise err(("ask", "direction"), "Hagan's networks run forward only; leave it out")
    if p.ask.layer is not None and not 1 <= p.ask.layer <= M:
        raise err(("ask", "layer"), f"expected a layer from 1 to {M}, got {p.ask.layer}")
    top = lddn.layers[-1]
    params = {f"{key}^{m + 1}": arr for m, layer in enumerate(lddn.layers)
              for key, arr in _arrays(layer)}
    # a state is a list where a layer has several units or a weight is written as a list
    # (a scalar layer's a_init lists its past values, not its units)
    vector = p.inputs_vector or any(layer.S > 1 for layer in lddn.layers) or any(
        _listed(form) for layer in lddn.layers
        for key, form in layer.written.items() if key != "a_init")
    p.network = Network(notation=notation, params=params, written={},
                        sizes={"h": top.S, "x": lddn.R, "y": top.S},
                        words={"transfer": top.transfer, "hidden": top.transfer},
                        has_output=False, vector=vector, engine="lddn")
    p.detail = lddn
    return True


def _arrays(layer: Layer):
    for d, W in layer.iw.items():
        yield f"iw({d})", W
    for src, by in layer.lw.items():
        for d, W in by.items():
            yield f"lw{src}({d})", W
    yield "b", layer.b


def _listed(form) -> bool:
    """Whether a key's written form holds a list anywhere."""
    if form is None:
        return False
    kind, shape = form
    if kind in ("number", "list"):
        return shape is not None
    # "delays": {delay: the weight's shape}; "layers": {layer: its delays' form}
    return any(_listed(v) if kind == "layers" else v is not None for v in shape.values())


def read(net, inputs: np.ndarray, err, transfers: tuple) -> LDDN:
    """Every layer's keys read, sizes inferred and checked, delays validated by key path."""
    listed = isinstance(net, list)
    if not listed and not isinstance(net, dict):
        raise err(("network",), f"expected a mapping of parameters, got {shown_value(net)}")
    raw = net if listed else [net]
    if not raw:
        raise err(("network",), "expected at least one layer")
    M = len(raw)
    where = [("network", m) if listed else ("network",) for m in range(M)]
    for m, layer in enumerate(raw):
        if not isinstance(layer, dict):
            raise err(where[m], f"expected a mapping of a layer's keys, got {shown_value(layer)}")
        for key in layer:
            if key not in LAYER_KEYS:
                raise err(where[m] + (key,), f"unknown key for a layer in hagan notation; "
                                             f"expected one of {', '.join(LAYER_KEYS)}")
    R = inputs.shape[-1]
    # weights by delay, as arrays, before the sizes are known
    iw = [_delays(layer.get("iw"), where[m] + ("iw",), 0, err) for m, layer in enumerate(raw)]
    lw = [_feedback(layer.get("lw"), where[m] + ("lw",), m, M, err)
          for m, layer in enumerate(raw)]
    S = [_size(raw[m], iw[m], lw[m], m) for m in range(M)]
    layers = []
    for m, layer in enumerate(raw):
        transfer = layer.get("transfer", transfers[0])      # the default listed first
        if transfer not in transfers:
            raise err(where[m] + ("transfer",), f"expected one of {', '.join(transfers)}, "
                                                f"got {shown_value(transfer)}")
        src = R if m == 0 else S[m - 1]
        written = {}
        W_in = {}
        for d, (arr, shape, path) in iw[m][0].items():
            W_in[d] = _shaped(arr, shape, (S[m], src), path, err)
        written["iw"] = iw[m][1]
        W_fb = {}
        for l, by in lw[m][0].items():
            W_fb[l] = {d: _shaped(arr, shape, (S[m], S[l - 1]), path, err)
                       for d, (arr, shape, path) in by.items()}
        written["lw"] = lw[m][1]
        b = np.zeros(S[m])
        if "b" in layer:
            arr, shape = numbers(layer["b"], where[m] + ("b",), depth=1)
            if arr.size not in (1, S[m]) or (arr.ndim and arr.size != S[m]):
                raise err(where[m] + ("b",), f"has {arr.size} numbers, expected {S[m]} "
                                             f"(layer {m + 1} has {S[m]} units)")
            b = np.broadcast_to(arr, (S[m],)).astype(float).copy()
            written["b"] = ("number", None) if shape is None else ("list", shape)
        layers.append(Layer(S=S[m], transfer=transfer, iw=W_in, lw=W_fb, b=b, written=written))
    for l in range(M):        # the past a layer's output is read at: its a_init's length
        D = max([d for d in layers[l + 1].iw] if l + 1 < M else [], default=0)
        for k in layers:
            D = max([D, *k.lw.get(l + 1, {})])
        layers[l].init = _init(raw[l].get("a_init"), where[l] + ("a_init",), S[l], D, err)
        if "a_init" in raw[l]:
            layers[l].written["a_init"] = _init_form(raw[l]["a_init"])
    return LDDN(layers=layers, R=R, listed=listed)


def _delay(k, path, low: int, err) -> int:
    if isinstance(k, str) and k.strip().lstrip("-").isdigit():
        k = int(k)
    if isinstance(k, bool) or not isinstance(k, int) or k < low:
        what = "; lw's delays start at 1: delay 0 would feed a(t) into itself" if low else ""
        raise err(path + (k,), f"expected a delay, a whole number >= {low}, got {shown_value(k)}"
                               + what)
    return k


def _delays(v, path, low: int, err):
    """({delay: (array, shape, path)}, how it was written) for a number, matrix or mapping."""
    if v is None:
        return {}, None
    if not isinstance(v, dict):
        arr, shape = numbers(v, path)
        return {low: (arr, shape, path)}, ("number" if shape is None else "list", shape)
    if not v:
        raise err(path, "expected {delay: weight} with at least one delay")
    out, forms = {}, {}
    for k, w in v.items():
        d = _delay(k, path, low, err)
        if d in out:
            raise err(path + (k,), f"delay {d} is written twice")
        if isinstance(w, dict):
            raise err(path + (k,), "expected a weight (a number or a matrix), got a mapping")
        arr, shape = numbers(w, path + (k,))
        out[d], forms[d] = (arr, shape, path + (k,)), shape
    return out, ("delays", forms)


def _feedback(v, path, m: int, M: int, err):
    """lw as {delay: weight} (the layer's own feedback) or {from_layer: {delay: weight}}."""
    if isinstance(v, dict) and v and any(isinstance(w, dict) for w in v.values()):
        out, forms = {}, {}
        for k, by in v.items():
            l = _delay(k, path, 1, err) if not isinstance(k, bool) else None
            if not isinstance(by, dict):
                raise err(path + (k,), "expected {delay: weight} (every entry of lw names a "
                                       "layer, or none does)")
            if l is None or not 1 <= l <= M:
                raise err(path + (k,), f"expected a layer from 1 to {M}, got {shown_value(k)}")
            out[l], forms[l] = _delays(by, path + (k,), 1, err)
        return out, ("layers", forms)
    got, form = _delays(v, path, 1, err)
    return ({m + 1: got} if got else {}), form


def _size(layer: dict, iw, lw, m: int) -> int:
    """A layer's units from its bias, its own feedback, its iw's rows, or its a_init."""
    if "b" in layer and isinstance(layer["b"], list):
        return len(layer["b"])
    for arr, shape, _ in [*lw[0].get(m + 1, {}).values(), *iw[0].values()]:
        if arr.ndim == 2:
            return arr.shape[0]
    for arr, shape, _ in lw[0].get(m + 1, {}).values():
        if arr.ndim == 1:
            return arr.shape[0]
    init = layer.get("a_init")
    if isinstance(init, list) and init and isinstance(init[0], list):
        return len(init[0])
    return 1


def _shaped(arr, shape, want: tuple, path, err) -> np.ndarray:
    if arr.ndim == 0 and want == (1, 1):
        return arr.reshape(1, 1)
    if arr.ndim == 1 and want[0] == 1 and arr.shape[0] == want[1]:
        return arr.reshape(1, -1)
    if arr.ndim == 1 and want[1] == 1 and arr.shape[0] == want[0]:
        return arr.reshape(-1, 1)
    if arr.shape != want:
        got = "a number" if shape is None else "x".join(map(str, arr.shape))
        raise err(path, f"has shape {got}, expected {want[0]}x{want[1]} (units of the layer "
                        f"by units of what it reads)")
    return arr


def _init(v, path, S: int, D: int, err) -> np.ndarray:
    """(rows given, S): a(0), a(-1), ... newest first; the older ones, up to the largest delay,
    are 0 (kept implicit: a delay of a million needs no million rows)."""
    if v is None:
        return np.zeros((1, S))
    arr, shape = numbers(v, path)
    if arr.ndim == 0:
        rows = np.full((1, S), float(arr))
    elif arr.ndim == 1:
        # a flat list is a(0) for a layer of several units, the past values of one unit
        rows = arr.reshape(-1, 1) if S == 1 else arr.reshape(1, -1)
    else:
        rows = arr
    if rows.shape[1] != S:
        raise err(path, f"has {rows.shape[1]} numbers a step, expected {S} (the layer's units)")
    if len(rows) > max(D, 1):
        raise err(path, f"gives {len(rows)} past outputs, the largest delay reading this layer "
                        f"is {D}; expected at most {max(D, 1)}")
    return np.asarray(rows, dtype=float)


def _init_form(v) -> tuple:
    return ("number", None) if not isinstance(v, list) else ("list", np.shape(v))
