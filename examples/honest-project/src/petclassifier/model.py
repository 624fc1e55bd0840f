"""A small convolutional classifier for cats and dogs."""

import torch
from torch import nn


class PetClassifier(nn.Module):
    def __init__(self, hidden_dim: int = 128, dropout: float = 0.2) -> None:
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(3, 16, 3), nn.ReLU(), nn.AdaptiveAvgPool2d(4))
        self.head = nn.Sequential(nn.Flatten(), nn.Linear(256, hidden_dim), nn.Dropout(dropout),
                                  nn.Linear(hidden_dim, 2))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.features(x))
