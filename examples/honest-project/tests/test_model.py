import torch

from petclassifier.model import PetClassifier


def test_output_shape():
    assert PetClassifier()(torch.zeros(1, 3, 32, 32)).shape == (1, 2)
