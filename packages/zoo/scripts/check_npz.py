"""Loads a `metanet zoo export --npz` file with numpy alone and checks it against the zoo it came from.

Usage: python3 check_npz.py ZOO_DIR ZOO.npz   (numpy only; not part of the test suite)
Checks ids and test accuracies against index.jsonl, and every stacked weight against the bundle's weights.bin.
"""
import json
import sys

import numpy as np

zoo_dir, npz_path = sys.argv[1], sys.argv[2]
z = np.load(npz_path)
records = [json.loads(line) for line in open(f"{zoo_dir}/index.jsonl")]
ids = [str(x) for x in z["id"]]
by_id = {r["id"]: r for r in records}
assert set(ids) <= set(by_id), "the npz names nets the index does not have"
assert np.array_equal(z["testAcc"], np.array([by_id[i]["metrics"]["testAcc"] for i in ids])), "testAcc differs"
stacked = [k for k in z.keys() if k.startswith("w/") and k.count("/") == 1]
for i, rid in enumerate(ids):
    manifest = json.load(open(f"{zoo_dir}/{by_id[rid]['file']}/manifest.json"))
    raw = open(f"{zoo_dir}/{by_id[rid]['file']}/weights.bin", "rb").read()
    for t in manifest["tensors"]:
        key = f"w/{t['name']}" if stacked else f"w/{rid}/{t['name']}"
        got = z[key][i] if stacked else z[key]
        want = np.frombuffer(raw, dtype="<f4", count=int(np.prod(t["shape"])), offset=t["offset"]).reshape(t["shape"])
        assert np.array_equal(got, want), f"{rid} {t['name']} differs"
print(f"ok: {len(ids)} nets, {len(z.keys())} arrays")
