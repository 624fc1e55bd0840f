import torch

from weather.model import Forecaster


def test_forward_shape():
    assert Forecaster()(torch.zeros(2, 24)).shape == (2, 1)
