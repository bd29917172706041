"""Extract the PNG figures and text outputs of an executed notebook, to look at them:

    python tools/notebook_images.py notebooks/NN.ipynb /tmp/out_dir
"""
import json, base64, sys, os
nb = json.load(open(sys.argv[1])); out = sys.argv[2]; os.makedirs(out, exist_ok=True)
k = 0
for i, c in enumerate(nb["cells"]):
    for o in c.get("outputs", []):
        for key, val in o.get("data", {}).items():
            if key == "image/png":
                fn = f"{out}/cell{i:02d}_{k}.png"; open(fn, "wb").write(base64.b64decode(val)); k += 1
                print(fn, len(val))
            elif key == "text/plain":
                print(f"cell{i:02d} text:", val[:200] if isinstance(val,str) else "".join(val)[:200])
        if o.get("output_type") == "stream":
            print(f"cell{i:02d} {o['name']}:", "".join(o["text"])[:300])
