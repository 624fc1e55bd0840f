"""Download the pet images and turn them into normalised tensors."""

from pathlib import Path

import torch


def preprocess(raw_dir: Path, out_dir: Path) -> None:
    """Stack the raw images into one tensor file, normalised per channel."""
    images = torch.load(raw_dir / "images.pt")
    labels = torch.load(raw_dir / "labels.pt")
    images = (images - images.mean(dim=(0, 2, 3), keepdim=True)) / images.std(dim=(0, 2, 3), keepdim=True)
    out_dir.mkdir(parents=True, exist_ok=True)
    torch.save((images, labels), out_dir / "pets.pt")


def load_dataset(processed: Path) -> torch.utils.data.TensorDataset:
    images, labels = torch.load(processed / "pets.pt")
    return torch.utils.data.TensorDataset(images, labels)
