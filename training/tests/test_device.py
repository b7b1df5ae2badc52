"""The base model's trip to a lent GPU machine (training/device.py): packed small enough to travel,
unpacked into what train.py loads, with the rows the lists use exactly as in float16."""
import os
import tempfile
import unittest

import numpy as np
from safetensors.numpy import load_file

from training import device
from training.tests.test_smoke import tiny_model_dir


class DevicePackTests(unittest.TestCase):
    def test_rows_quantize_within_half_a_step(self):
        rng = np.random.default_rng(0)
        matrix = rng.normal(size=(64, 48)).astype(np.float32)
        matrix[3] = 0  # an all-zero row keeps a usable scale
        q, scale = device.quantize_rows(matrix)
        self.assertEqual(q.dtype, np.int8)
        self.assertTrue(np.all(np.abs(q.astype(np.float32) * scale[:, None] - matrix) <= scale[:, None] / 2 + 1e-7))
        self.assertTrue(np.all(q[3] == 0))

    def test_unpacked_base_keeps_used_rows_and_every_other_tensor(self):
        with tempfile.TemporaryDirectory() as root:
            base = tiny_model_dir(root)
            used = {0, 101, 102, 2000, 7592}
            device.pack_base(base, used, f"{root}/packed.safetensors")
            device.unpack_base(f"{root}/packed.safetensors", f"{root}/unpacked.safetensors")
            original = load_file(f"{base}/model.safetensors")
            unpacked = load_file(f"{root}/unpacked.safetensors")
            self.assertEqual(set(original), set(unpacked))
            words = "bert.embeddings.word_embeddings.weight"
            ids = sorted(used)
            np.testing.assert_array_equal(unpacked[words][ids], original[words][ids].astype(np.float16).astype(np.float32))
            others = np.setdiff1d(np.arange(original[words].shape[0]), ids)
            self.assertFalse(np.any(unpacked[words][others]))
            for name, value in original.items():
                if value.ndim == 2 and "embeddings" not in name:
                    step = np.abs(value).max(axis=1, keepdims=True) / 127
                    self.assertTrue(np.all(np.abs(unpacked[name] - value) <= step / 2 + 1e-6), name)
                elif name != words:
                    np.testing.assert_allclose(unpacked[name], value, atol=1e-3, rtol=1e-3, err_msg=name)
            self.assertLess(os.path.getsize(f"{root}/packed.safetensors"), os.path.getsize(f"{base}/model.safetensors") / 3)


if __name__ == "__main__":
    unittest.main()
