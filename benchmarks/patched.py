"""The effect of global patching on code that copies through copy.deepcopy
inside libraries: stdlib, copium patched, fastcopy patched, side by side in
one process, interleaved, best of several rounds.

    python -m benchmarks.patched [--rounds N]

Cases:
  pydantic_model_copy   pydantic v2 model_copy(deep=True) on nested models
                        (skipped if pydantic is not installed)
  hook_dict_copy        a class whose __deepcopy__ copies its __dict__ with
                        `from copy import deepcopy` (a common library pattern)
  dataclass_asdict      dataclasses.asdict() on dataclasses holding sets and
                        custom objects, which asdict deep-copies
"""

import argparse
import copy
import dataclasses
import math
import time
from copy import deepcopy as early_bound_deepcopy


class Settings:
    """Copies itself the way many libraries do: deepcopy of its __dict__."""

    def __init__(self, i):
        self.name = "s%d" % i
        self.values = list(range(10))
        self.options = {"a": [1, 2], "b": {"c": i}}

    def __deepcopy__(self, memo):
        new = Settings.__new__(Settings)
        new.__dict__.update(early_bound_deepcopy(self.__dict__, memo))
        return new


class Tag:
    def __init__(self, label):
        self.label = label


@dataclasses.dataclass
class Item:
    sku: str
    labels: set
    tag: Tag


@dataclasses.dataclass
class Order:
    id: int
    items: list


def cases():
    out = {}
    try:
        import pydantic

        class Address(pydantic.BaseModel):
            street: str
            city: str
            tags: list[str]

        class User(pydantic.BaseModel):
            id: int
            name: str
            addresses: list[Address]
            meta: dict[str, list[int]]

        user = User(id=1, name="n", meta={"k": [1, 2, 3]},
                    addresses=[Address(street="s%d" % i, city="c", tags=["a", "b"])
                               for i in range(20)])
        out["pydantic_model_copy"] = lambda: user.model_copy(deep=True)
    except ImportError:
        print("pydantic not installed: pydantic_model_copy skipped")
    settings = [Settings(i) for i in range(200)]
    out["hook_dict_copy"] = lambda: copy.deepcopy(settings)
    orders = [Order(i, [Item("x%d" % j, {j, j + 1}, Tag("t")) for j in range(10)])
              for i in range(50)]
    out["dataclass_asdict"] = lambda: [dataclasses.asdict(o) for o in orders]
    return out


def modes():
    import fastcopy

    def stdlib():
        fastcopy.unpatch()
        try:
            import copium.patch
            copium.patch.disable()
        except ImportError:
            pass

    result = {"stdlib": stdlib}
    try:
        import copium.patch

        def copium_on():
            stdlib()
            copium.patch.enable()
        result["copium patched"] = copium_on
    except ImportError:
        print("copium not installed: skipped")

    def fastcopy_on():
        stdlib()
        fastcopy.patch()
    result["fastcopy patched"] = fastcopy_on
    return result


def run(rounds):
    all_modes = modes()
    rows = []
    for name, func in cases().items():
        best = {m: math.inf for m in all_modes}
        number = None
        for _ in range(rounds):
            for mode, switch in all_modes.items():
                switch()
                if number is None:
                    t0 = time.perf_counter()
                    func()
                    number = max(1, int(0.02 / max(time.perf_counter() - t0, 1e-7)))
                t0 = time.perf_counter()
                for _ in range(number):
                    func()
                best[mode] = min(best[mode], (time.perf_counter() - t0) / number)
        all_modes["stdlib"]()
        rows.append((name, best))
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args(argv)
    rows = run(args.rounds)
    labels = list(rows[0][1]) if rows else []
    print("%-22s" % "case" + "".join("%18s" % label for label in labels)
          + "   fastcopy vs stdlib / vs copium")
    for name, best in rows:
        line = "%-22s" % name + "".join("%15.1f us" % (best[label] * 1e6) for label in labels)
        fc = best["fastcopy patched"]
        line += "   %5.1fx" % (best["stdlib"] / fc)
        if "copium patched" in best:
            line += " / %4.2fx" % (best["copium patched"] / fc)
        print(line)


if __name__ == "__main__":
    main()
