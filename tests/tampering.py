"""A result's JSON dict with some entries changed (``"search.p_max"`` names a nested one): the
tampered files and dicts the results tests feed to the loaders."""
import json


def tampered(r, **changes) -> dict:
    d = json.loads(json.dumps(r.to_dict()))
    for key, value in changes.items():
        if "." in key:
            outer, inner = key.split(".")
            d[outer][inner] = value
        else:
            d[key] = value
    return d
