"""The price probe (training/price_probe.py): a shopper's price level from purchases before the cut
only, and lists scored by closeness to it."""
import os
import tempfile
import unittest

import numpy as np

from training import price_probe


class PriceProbeTests(unittest.TestCase):
    def test_profiles_read_only_purchases_before_the_cut(self):
        prices = {"a": np.log(1.0), "b": np.log(4.0), "c": np.log(100.0)}
        purchases = [("2010-05-01", "u", "a"), ("2010-05-02", "u", "b"), ("2010-06-01", "u", "c"), ("2010-05-03", "v", "x")]
        profiles = price_probe.price_profiles(purchases, prices, "2010-06-01")
        self.assertEqual(set(profiles), {"u"})  # v bought only an unpriced product
        median, spread = profiles["u"]
        self.assertAlmostEqual(median, np.log(2.0))  # the median of 1 and 4 in logs, not the later 100
        self.assertAlmostEqual(spread, np.log(2.0) + 0.3)

    def test_lists_rank_the_closest_price_first_and_keep_lists_with_both_labels(self):
        with tempfile.TemporaryDirectory() as root:
            with open(f"{root}/candidates_homepage.csv", "w") as f:
                f.write("task,query_id,user_id,query_source,query,position,product_id,document,blended\n")
                for position, product in enumerate(["near", "far", "mid"], 1):
                    f.write(f"homepage,u,u,purchases,Q,{position},{product},D,{1 / position}\n")
                f.write("homepage,w,w,purchases,Q,1,near,D,1\n")  # no other candidate: dropped
            open(f"{root}/candidates_cart.csv", "w").write("task,query_id,user_id,query_source,query,position,product_id,document,blended\n")
            open(f"{root}/truth_taskA.csv", "w").write("user_id,product_id\nu,near\nw,near\n")
            open(f"{root}/truth_taskC.csv", "w").write("basket_id,product_id\n")
            prices = {"near": np.log(2.0), "mid": np.log(8.0), "far": np.log(64.0)}
            profiles = {"u": (np.log(2.0), 1.0), "w": (np.log(2.0), 1.0)}
            found = price_probe.lists(root, root, profiles, prices)
        self.assertEqual(len(found), 1)
        task, blended, match, logs, labels = found[0]
        self.assertEqual(task, "homepage")
        self.assertEqual(list(labels), [True, False, False])
        self.assertEqual(list(np.argsort(-match)), [0, 2, 1])  # near, then mid, then far


if __name__ == "__main__":
    unittest.main()
