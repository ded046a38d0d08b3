"""JSON-ready copies of recorded numpy data, shared by the recording scripts beside this file."""
import math

import numpy as np


def jsonable(x, non_finite="strings"):
    """Floats stay exact (repr round-trips). Infinities become "Infinity"/"-Infinity" (the shared
    reference file's convention) with non_finite="strings"; non_finite="raise" rejects infinities and NaN."""
    if isinstance(x, dict):
        return {k: jsonable(v, non_finite) for k, v in x.items()}
    if isinstance(x, (list, tuple, np.ndarray)):
        return [jsonable(v, non_finite) for v in list(x)]
    if isinstance(x, (bool, np.bool_)):
        return bool(x)
    if isinstance(x, (int, np.integer)):
        return int(x)
    if isinstance(x, (float, np.floating)):
        v = float(x)
        if non_finite == "raise" and (math.isinf(v) or math.isnan(v)):
            raise ValueError("non-finite value in a recorded step")
        if math.isinf(v):
            return "Infinity" if v > 0 else "-Infinity"
        return v
    return x
